"""Django's Redis cache backend, with one `redis.Redis` client per connection pool instead of one per call.

Django 5.2's RedisCacheClient.get_client builds a new `redis.Redis(connection_pool=pool)` for every
get, set and add; redis-py's constructor fills a table of some 170 response callbacks each time,
0.14 ms on this project's 2-core machine, and a list page that misses the page cache makes ten cache
calls (benchmarks/RESULTS.md, "One Redis client and one catalogue version per request"). A
`redis.Redis` is safe to share between threads (it takes a connection from the pool for each command),
so one per pool is kept. Everything else (pools, serializer, options, URLs) is Django's.
"""

from django.core.cache.backends import redis as django_redis

DJANGO_BACKEND = "django.core.cache.backends.redis.RedisCache"
BACKEND = "config.redis_cache.RedisCache"


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # A race here builds a second client for the same pool; either works, one is kept.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


def reusing_clients(cache: dict) -> dict:
    """A CACHES entry (as django-environ parses a `rediscache://` URL) with this backend for Django's."""
    if cache.get("BACKEND") == DJANGO_BACKEND:
        return {**cache, "BACKEND": BACKEND}
    return cache
