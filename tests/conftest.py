"""Shared test setup: the repository root on ``sys.path``.

So that test modules anywhere under ``tests/`` can import the shared helpers
as ``tests._servers`` and ``tests._client_fakes`` however pytest is started
(``make test``, bare ``pytest``, from another directory).
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
