"""A Redis cache whose clear() empties only its own keys (config/settings/test.py installs it).

Django's RedisCache.clear() flushes the whole Redis database. Under pytest-xdist the test processes
share one database (CACHE_URL, in CI) and each has a KEY_PREFIX of its own, so one process emptying its
cache around a test (tests/conftest.py) must not wipe the entries another is reading.
"""

from config.redis_cache import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self) -> bool:
        if not self.key_prefix:  # nothing marks this process's keys: the whole database is its own
            return super().clear()
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True
