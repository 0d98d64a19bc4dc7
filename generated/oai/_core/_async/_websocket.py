# unasync: twin
"""The WebSocket under an async Realtime connection: ``websockets``' asyncio client, with the connection's bounds.

A named twin of ``_sync/_websocket.py`` (``scripts/unasync.py`` leaves both alone):
the two ``websockets`` clients differ in their modules, in how a wait is bounded
(``asyncio.wait_for`` here, a blocking call with a timeout there) and in how a
stuck send is stopped. Kept apart from ``_backend.py`` so that everything that
touches ``websockets`` -- imported on first use, as the ``oai[realtime]`` extra
may be missing -- sits in one module per world. The close frame's code and
reason reach the connection as ``WebSocketClosed``, never as a ``websockets``
exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._realtime import ConnectTarget, closed_from, connect_error, require_websockets

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

__all__ = ["WebSocketChannel", "open_websocket"]


async def open_websocket(target: ConnectTarget) -> WebSocketChannel:
    """The opening handshake (bounded by ``target.open_timeout``); oai errors for a refusal, a timeout, a failure."""
    import asyncio

    require_websockets()
    from websockets.asyncio.client import connect

    try:
        websocket = await connect(target.url, **target.connect_kwargs())
    except asyncio.TimeoutError as exc:  # TimeoutError itself from Python 3.11 on
        raise connect_error(TimeoutError(), target) from exc
    except Exception as exc:
        raise connect_error(exc, target) from exc
    return WebSocketChannel(websocket)


class WebSocketChannel:
    """One open WebSocket: receive and send whole frames within a timeout, close."""

    def __init__(self, websocket: ClientConnection) -> None:
        self._websocket = websocket

    @property
    def websocket(self) -> Any:
        """The ``websockets`` connection underneath."""
        return self._websocket

    async def recv(self, timeout: float | None) -> bytes:
        """The next message as bytes; ``TimeoutError`` after ``timeout`` seconds (nothing is lost: receiving again
        gets it), ``WebSocketClosed`` once closed."""
        import asyncio

        from websockets.exceptions import ConnectionClosed

        try:
            if timeout is None:
                return await self._websocket.recv(decode=False)
            return await asyncio.wait_for(self._websocket.recv(decode=False), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError from None
        except ConnectionClosed as exc:
            raise closed_from(exc) from None

    async def send(self, text: str, timeout: float | None) -> None:
        """Send one text frame; ``TimeoutError`` when it is not written within ``timeout`` seconds, after which the
        connection is aborted (part of the frame may be on the wire)."""
        import asyncio

        from websockets.exceptions import ConnectionClosed

        try:
            if timeout is None:
                await self._websocket.send(text)
            else:
                await asyncio.wait_for(self._websocket.send(text), timeout)
        except asyncio.TimeoutError:
            self._websocket.transport.abort()
            raise TimeoutError from None
        except ConnectionClosed as exc:
            raise closed_from(exc) from None

    async def close(self, code: int, reason: str) -> None:
        """Send a close frame and wait for the server's (bounded by ``websockets``' ``close_timeout``)."""
        await self._websocket.close(code, reason)

    def discard(self) -> None:
        """Drop a connection that is already broken, without a closing handshake."""
        self._websocket.transport.abort()
