"""``DefaultHttpx2Client`` / ``DefaultAsyncHttpx2Client``: the official SDK's names, here oai's httpx clients.

The official SDK's 3.x line sends with ``httpx2`` (a fork of httpx) and names its default clients after it;
oai sends with httpx. So that code written for the official SDK runs unchanged, these names are
``oai.DefaultHttpxClient`` / ``oai.DefaultAsyncHttpxClient`` (the same arguments: ``proxy=``, ``verify=``,
``limits=``, ``transport=``...). An ``httpx2`` client itself passed as ``http_client=`` is refused with a
``TypeError`` naming the class to pass instead.
"""

from __future__ import annotations

from .._core import DefaultAsyncHttpxClient, DefaultHttpxClient

__all__ = ["DefaultAsyncHttpx2Client", "DefaultHttpx2Client"]

DefaultHttpx2Client = DefaultHttpxClient
DefaultAsyncHttpx2Client = DefaultAsyncHttpxClient
