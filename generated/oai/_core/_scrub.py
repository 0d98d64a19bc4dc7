"""Secrets out of what is recorded, without moving a byte: credential headers, quoted keys, URL passwords.

Used by the cassette writer (``_recorder``): header values that are
credentials become ``<redacted>``; in bodies and chunks, every secret
registered with ``_logging`` (the clients' API keys, in each quoted form)
and every credential the request itself carried is replaced character for
character by ``*``, so that a recorded chunk keeps its length and a replayed
drop still happens at the same byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import httpx

from ._logging import redact, secret_forms

__all__ = ["REDACTED", "SECRET_HEADERS", "Scrubber", "recorded_headers", "request_credentials"]

REDACTED = "<redacted>"

SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-api-key"}
)
"""Headers whose whole value is a credential: recorded as ``<redacted>``, whatever they hold."""


class Scrubber:
    """Masks registered secrets in a stream of chunks without moving a byte: each byte of a secret becomes ``*``.

    A secret may straddle two chunks, so a chunk is handed back only once the
    chunks after it hold enough bytes to finish any secret it starts. Chunks
    keep their boundaries and arrival times; they are only written later.
    """

    def __init__(self, secrets: Sequence[bytes]) -> None:
        self._secrets = [secret for secret in secrets if secret]
        self._keep = max((len(secret) for secret in self._secrets), default=1) - 1
        self._held: list[tuple[float, bytearray]] = []
        self._held_size = 0

    @classmethod
    def for_registered(cls, extra: Iterable[str] = ()) -> Scrubber:
        """A scrubber of every secret registered now (API keys of the clients made so far), and of ``extra``."""
        return cls([form.encode() for form in [*secret_forms(), *extra]])

    def feed(self, t: float, data: bytes) -> list[tuple[float, bytes]]:
        """Take one chunk; return the chunks (earlier ones too) that can be written now."""
        if not self._secrets:
            return [(t, data)]
        self._held.append((t, bytearray(data)))
        self._held_size += len(data)
        self._mask()
        ready: list[tuple[float, bytes]] = []
        while self._held and self._held_size - len(self._held[0][1]) >= self._keep:
            when, chunk = self._held.pop(0)
            self._held_size -= len(chunk)
            ready.append((when, bytes(chunk)))
        return ready

    def flush(self) -> list[tuple[float, bytes]]:
        """The chunks still held (the stream ended)."""
        ready = [(when, bytes(chunk)) for when, chunk in self._held]
        self._held.clear()
        self._held_size = 0
        return ready

    def scrub(self, data: bytes) -> bytes:
        """``data`` masked as one whole (a request body)."""
        if not self._secrets or not data:
            return data
        self.feed(0.0, data)
        return b"".join(chunk for _, chunk in self.flush())

    def _mask(self) -> None:
        joined = b"".join(chunk for _, chunk in self._held)
        spans: list[tuple[int, int]] = []
        for secret in self._secrets:
            start = joined.find(secret)
            while start != -1:
                spans.append((start, start + len(secret)))
                start = joined.find(secret, start + 1)
        if not spans:
            return
        offset = 0
        for _, chunk in self._held:
            end = offset + len(chunk)
            for start, stop in spans:
                lo, hi = max(start, offset), min(stop, end)
                if lo < hi:
                    chunk[lo - offset : hi - offset] = b"*" * (hi - lo)
            offset = end


def request_credentials(headers: httpx.Headers) -> list[str]:
    """What the credential headers of a request carry: the whole value, the part after a scheme
    (``Bearer``, ``Basic``) and each cookie's value. A server that quotes them back in its answer
    must not put them in the cassette either."""
    found: list[str] = []
    for name, value in headers.items():
        lower = name.lower()
        if lower not in SECRET_HEADERS:
            continue
        found.append(value)
        found.append(value.partition(" ")[2])
        if lower in ("cookie", "set-cookie"):
            found.extend(pair.partition("=")[2].strip() for pair in value.split(";"))
    return [value for value in found if len(value) >= _MIN_CREDENTIAL]


_MIN_CREDENTIAL = 8
"""Shorter values are not looked for in bodies: they would mask ordinary text."""


def recorded_headers(headers: httpx.Headers) -> list[list[str]]:
    """Headers as ``[name, value]`` pairs in order, with credentials redacted."""
    out: list[list[str]] = []
    for raw_name, raw_value in headers.raw:
        name = raw_name.decode("latin-1")
        value = REDACTED if name.lower() in SECRET_HEADERS else redact(raw_value.decode("latin-1"))
        out.append([name, value])
    return out
