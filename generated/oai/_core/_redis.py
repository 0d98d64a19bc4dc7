"""``RedisRateLimiter``: rate-limit budgets shared by every process that names the same Redis key.

``OpenAI(rate_limiter=RedisRateLimiter("redis://cache:6379/0", key="org-acme"), max_requests_per_minute=500)``
keeps the client's budgets (see ``_ratelimit``) in Redis, so 32 workers on
four machines together send at most what one client would. Every operation
is one Lua script run by Redis (``EVALSHA``, loaded again by redis-py when a
restarted server has forgotten it), so it is atomic across all of them, and
its clock is Redis's (``TIME``): the machines' clocks need not agree.

Keys: ``oai:ratelimit:{<key>}:<budget>`` (a hash: level and time) and
``oai:ratelimit:{<key>}:pause``; the braces keep them in one Redis Cluster
slot. A budget's key expires once it would be full again, so an idle limiter
leaves nothing behind.

When Redis does not answer (down, restarting, unreachable), ``on_unavailable``
decides:

* ``"open"`` (the default): the call goes ahead under an in-process limiter
  with the same limits -- each process alone keeps the limits, all together
  may not -- and one warning per outage is logged;
* ``"closed"``: nothing is sent without Redis's say-so; calls wait for it
  (retrying every 50 ms to 1 s) and, once the outage has lasted
  ``unavailable_timeout`` seconds, raise ``RateLimiterUnavailableError``.

Corrections (usage, headers, pauses) are best-effort either way: lost when
Redis is down. A Redis restarted without persistence starts with full budgets.
Needs the ``oai[redis]`` extra (redis-py 5 or later): its sync client for
``OpenAI``, its asyncio client for ``AsyncOpenAI`` (one per event loop).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Sequence
from typing import Any, Literal

from ._errors import RateLimiterUnavailableError
from ._logging import logger, redact, safe_url
from ._ratelimit import Cost, InProcessRateLimiter, RateLimiter, bucket_shape

__all__ = ["RedisRateLimiter"]

# KEYS[1] is the pause key, the others budgets. ARGV[1] is the operation:
#   take   ARGV = take, then (per budget) rate, capacity, amount     -> seconds to wait, "0" when taken
#   adjust ARGV = adjust, rate, capacity, delta, at_most ("" = none) -> "0"
#   pause  ARGV = pause, seconds                                     -> "0"
_SCRIPT = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000

local function level_of(key, rate, capacity)
  local v = redis.call('HMGET', key, 'level', 'at')
  local level, at = tonumber(v[1]), tonumber(v[2])
  if level == nil or at == nil then return capacity end
  local elapsed = now - at
  if elapsed < 0 then elapsed = 0 end
  level = level + elapsed * rate
  if level > capacity then level = capacity end
  return level
end

local function store(key, level, rate, capacity)
  redis.call('HSET', key, 'level', level, 'at', now)
  local ttl = math.ceil(((capacity - level) / rate + 1) * 1000)
  if ttl < 1000 then ttl = 1000 end
  redis.call('PEXPIRE', key, ttl)
end

local op = ARGV[1]
if op == 'take' then
  local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
  if paused > now then return tostring(paused - now) end
  local wait = 0
  local levels = {}
  for i = 2, #KEYS do
    local j = 2 + (i - 2) * 3
    local rate, capacity, amount = tonumber(ARGV[j]), tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2])
    local level = level_of(KEYS[i], rate, capacity)
    levels[i] = level
    local need = math.min(amount, capacity)
    if level < need then
      local w = (need - level) / rate
      if w > wait then wait = w end
    end
  end
  if wait > 0 then return tostring(wait) end
  for i = 2, #KEYS do
    local j = 2 + (i - 2) * 3
    store(KEYS[i], levels[i] - tonumber(ARGV[j + 2]), tonumber(ARGV[j]), tonumber(ARGV[j + 1]))
  end
  return '0'
elseif op == 'adjust' then
  local rate, capacity, delta = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
  local level = level_of(KEYS[1], rate, capacity) + delta
  if ARGV[5] ~= '' then
    local at_most = tonumber(ARGV[5])
    if level > at_most then level = at_most end
  end
  if level > capacity then level = capacity end
  store(KEYS[1], level, rate, capacity)
  return '0'
elseif op == 'pause' then
  local until_ = now + tonumber(ARGV[2])
  local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
  if until_ > paused then
    redis.call('SET', KEYS[1], tostring(until_), 'PX', math.ceil(tonumber(ARGV[2]) * 1000) + 1000)
  end
  return '0'
end
return redis.error_reply('oai rate limiter: unknown operation ' .. tostring(op))
"""

_RETRY_MIN = 0.05
_RETRY_MAX = 1.0


def _import_redis() -> Any:
    try:
        import redis
    except ImportError:
        raise ImportError(
            "RedisRateLimiter needs the redis package: pip install 'oai[redis]' (redis-py 5 or later)"
        ) from None
    return redis


class RedisRateLimiter(RateLimiter):
    """Rate-limit budgets in Redis, shared by every client (in any process) that uses the same ``key``.

    ``url``: where Redis is (``redis://[:password@]host:port/db``, ``rediss://``,
    ``unix://``); or pass ready clients: ``client=`` (a ``redis.Redis``, for
    ``OpenAI``) and/or ``async_client=`` (a ``redis.asyncio.Redis``, for
    ``AsyncOpenAI``). ``key`` names the shared budgets (an organization or
    project id, say). ``on_unavailable``: ``"open"`` or ``"closed"`` (see the
    module docstring); ``unavailable_timeout``: how long a ``"closed"`` limiter
    waits for Redis before calls raise ``RateLimiterUnavailableError``.
    ``socket_timeout`` bounds each Redis command of the clients made from ``url``.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        key: str,
        client: Any = None,
        async_client: Any = None,
        on_unavailable: Literal["open", "closed"] = "open",
        unavailable_timeout: float = 30.0,
        socket_timeout: float = 2.0,
    ) -> None:
        if not isinstance(key, str) or not key:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"key must be a non-empty string naming the shared budgets, got {key!r}")
        if url is None and client is None and async_client is None:
            raise ValueError("RedisRateLimiter needs a url (redis://host:port/db) or a client= / async_client=")
        if on_unavailable not in ("open", "closed"):
            raise ValueError(f'on_unavailable must be "open" or "closed", got {on_unavailable!r}')
        if unavailable_timeout < 0:
            raise ValueError(f"unavailable_timeout must be 0 or more seconds, got {unavailable_timeout!r}")
        if socket_timeout <= 0:
            raise ValueError(f"socket_timeout must be above 0 seconds, got {socket_timeout!r}")
        self._redis = _import_redis()
        self.key = key
        self.on_unavailable = on_unavailable
        self.unavailable_timeout = unavailable_timeout
        self._url = url
        self._socket_timeout = socket_timeout
        self._where = safe_url(url) if url is not None else "the given Redis client"
        prefix = f"oai:ratelimit:{{{key}}}:"
        self._prefix = prefix
        self._pause_key = prefix + "pause"
        self._client = client
        self._script: Any = None
        self._async_client = async_client
        self._async_scripts: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()
        self._fallback = InProcessRateLimiter()
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._failures = 0
        errors = self._redis.exceptions
        self._unavailable: tuple[type[BaseException], ...] = (errors.ConnectionError, errors.TimeoutError, OSError)

    def __repr__(self) -> str:
        return f"RedisRateLimiter({self._where!r}, key={self.key!r}, on_unavailable={self.on_unavailable!r})"

    # -- the clients ---------------------------------------------------------------------------------------------------

    def _sync_script(self) -> Any:
        script = self._script
        if script is None:
            with self._lock:
                if self._client is None:
                    if self._url is None:
                        raise TypeError(
                            "This RedisRateLimiter has only an async_client: a sync OpenAI client needs client="
                        )
                    self._client = self._redis.Redis.from_url(
                        self._url, socket_timeout=self._socket_timeout, socket_connect_timeout=self._socket_timeout
                    )
                script = self._script = self._client.register_script(_SCRIPT)
        return script

    def _async_script(self) -> Any:
        import asyncio

        loop = asyncio.get_running_loop()
        found = self._async_scripts.get(loop)
        if found is None:
            client = self._async_client
            if client is None:
                if self._url is None:
                    raise TypeError("This RedisRateLimiter has only a sync client: AsyncOpenAI needs async_client=")
                client = self._redis.asyncio.Redis.from_url(
                    self._url, socket_timeout=self._socket_timeout, socket_connect_timeout=self._socket_timeout
                )
            found = (client, client.register_script(_SCRIPT))
            self._async_scripts[loop] = found
        return found[1]

    def close(self) -> None:
        """Close the sync client made from ``url`` (a client passed in is the caller's to close)."""
        if self._client is not None and self._url is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Close the async client of the running event loop, if it was made from ``url``."""
        import asyncio

        found = self._async_scripts.pop(asyncio.get_running_loop(), None)
        if found is not None and self._async_client is None:
            await found[0].aclose()

    # -- arguments -----------------------------------------------------------------------------------------------------

    def _take_args(self, costs: Sequence[Cost]) -> tuple[list[str], list[object]]:
        keys: list[str] = [self._pause_key]
        args: list[object] = ["take"]
        for name, per_minute, amount in costs:
            rate, capacity = bucket_shape(per_minute)
            keys.append(self._prefix + name)
            args += [repr(rate), repr(capacity), repr(float(amount))]
        return keys, args

    def _adjust_args(
        self, name: str, per_minute: float, delta: float, at_most: float | None
    ) -> tuple[list[str], list[object]]:
        rate, capacity = bucket_shape(per_minute)
        limit = "" if at_most is None else repr(float(at_most))
        return [self._prefix + name], ["adjust", repr(rate), repr(capacity), repr(float(delta)), limit]

    # -- outages -------------------------------------------------------------------------------------------------------

    def _answered(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is not None:  # pyright: ignore[reportUnnecessaryComparison] - another thread
                logger.warning("Redis at %s answers again: the shared rate limits hold again", self._where)
                self._down_since = None
                self._failures = 0

    def _failed(self, exc: BaseException) -> float:
        """Redis did not answer a ``reserve``: seconds to wait before asking again (closed), or -1 (open)."""
        now = time.monotonic()
        with self._lock:
            first = self._down_since is None
            if first:
                self._down_since = now
            self._failures += 1
            failures = self._failures
            down_since = self._down_since or now
        if self.on_unavailable == "open":
            if first:
                logger.warning(
                    "Redis at %s does not answer (%s): calls go on under this process's own limits until it does "
                    "(on_unavailable='open')",
                    self._where,
                    redact(repr(exc)),
                )
            return -1.0
        if now - down_since >= self.unavailable_timeout:
            raise RateLimiterUnavailableError(
                f"Redis at {self._where} has not answered for {now - down_since:.1f} s (unavailable_timeout="
                f"{self.unavailable_timeout} s) and the rate limiter fails closed: the call was not sent. "
                f"Last error: {redact(repr(exc))}"
            )
        if first:
            logger.warning(
                "Redis at %s does not answer (%s): calls wait for it (on_unavailable='closed')",
                self._where,
                redact(repr(exc)),
            )
        return min(_RETRY_MAX, _RETRY_MIN * 2.0 ** min(failures - 1, 8))

    def _lost(self, what: str, exc: BaseException) -> None:
        logger.debug("Redis at %s did not answer; a rate-limit %s was lost: %s", self._where, what, redact(repr(exc)))

    # -- RateLimiter ---------------------------------------------------------------------------------------------------

    def reserve(self, costs: Sequence[Cost]) -> float:
        keys, args = self._take_args(costs)
        try:
            answer = self._sync_script()(keys=keys, args=args)
        except self._unavailable as exc:
            wait = self._failed(exc)
            return self._fallback.reserve(costs) if wait < 0 else wait
        self._answered()
        return float(answer)

    async def areserve(self, costs: Sequence[Cost]) -> float:
        keys, args = self._take_args(costs)
        try:
            answer = await self._async_script()(keys=keys, args=args)
        except self._unavailable as exc:
            wait = self._failed(exc)
            return self._fallback.reserve(costs) if wait < 0 else wait
        self._answered()
        return float(answer)

    def adjust(self, name: str, per_minute: float, delta: float = 0.0, at_most: float | None = None) -> None:
        self._fallback.adjust(name, per_minute, delta, at_most)
        keys, args = self._adjust_args(name, per_minute, delta, at_most)
        try:
            self._sync_script()(keys=keys, args=args)
        except self._unavailable as exc:
            self._lost("correction", exc)

    async def aadjust(self, name: str, per_minute: float, delta: float = 0.0, at_most: float | None = None) -> None:
        self._fallback.adjust(name, per_minute, delta, at_most)
        keys, args = self._adjust_args(name, per_minute, delta, at_most)
        try:
            await self._async_script()(keys=keys, args=args)
        except self._unavailable as exc:
            self._lost("correction", exc)

    def pause(self, seconds: float) -> None:
        self._fallback.pause(seconds)
        try:
            self._sync_script()(keys=[self._pause_key], args=["pause", repr(float(seconds))])
        except self._unavailable as exc:
            self._lost("pause", exc)

    async def apause(self, seconds: float) -> None:
        self._fallback.pause(seconds)
        try:
            await self._async_script()(keys=[self._pause_key], args=["pause", repr(float(seconds))])
        except self._unavailable as exc:
            self._lost("pause", exc)
