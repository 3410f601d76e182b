"""A Redis cache that falls back to another cache when Redis does not answer.

allauth keeps its login rate limits in the default cache. With a plain Redis
cache, Redis being down turns every login and password reset into a 500. This
backend sends each call to Redis and, on a connection error or a timeout, sends
it to the fallback cache instead (the database cache, shared by all web
processes like Redis, so the limits still hold). After a failure it leaves Redis
alone for ``retry_after`` seconds, so an outage costs one failed connection per
process per window rather than one per cache call.

Counts kept in the fallback while Redis was down do not travel back: when Redis
returns, the limits start afresh there. That is the price of staying up.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# The database table of the fallback cache; migration 0003 creates it.
FALLBACK_TABLE = "portal_cache_fallback"

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)

# Per process (not per thread): when one thread finds Redis down, the others skip it too.
_redis_down_until: dict[str, float] = {}


class RedisWithFallbackCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias = options.pop("fallback", "fallback")
        self._retry_after = float(options.pop("retry_after", 30))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._breaker_key = ",".join(self._servers)

    @property
    def fallback(self):
        return caches[self._fallback_alias]

    def _call(self, name, *args, **kwargs):
        if time.monotonic() >= _redis_down_until.get(self._breaker_key, 0):
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNAVAILABLE as error:
                _redis_down_until[self._breaker_key] = time.monotonic() + self._retry_after
                logger.warning(
                    "Redis cache unavailable (%s: %s); using the %r cache for %d seconds.",
                    type(error).__name__,
                    error,
                    self._fallback_alias,
                    self._retry_after,
                )
        return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
