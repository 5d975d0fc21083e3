"""config.redis_cache: Django's Redis cache backend with one client per connection pool."""

import os

import pytest

from config import redis_cache


def test_a_rediscache_url_gets_the_reusing_backend_and_others_are_left_alone():
    parsed = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://h:6379/1"}
    assert redis_cache.reusing_clients(parsed) == {**parsed, "BACKEND": "config.redis_cache.RedisCache"}
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"}
    assert redis_cache.reusing_clients(local) == local


def test_every_call_gets_the_same_client_of_its_pool():
    # Building a client connects to nothing, so this needs no Redis server.
    backend = redis_cache.RedisCache("redis://127.0.0.1:6379/15", {})
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is client
    assert backend._cache.get_client("c", write=True) is client  # one server: reads and writes share its pool


def test_reads_go_to_the_replicas_and_writes_to_the_first_server_each_with_its_own_client():
    backend = redis_cache.RedisCache("redis://127.0.0.1:6379/15,redis://127.0.0.1:6380/15", {})
    writer = backend._cache.get_client(write=True)
    reader = backend._cache.get_client()
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["port"] == 6379
    assert reader.connection_pool.connection_kwargs["port"] == 6380
    assert backend._cache.get_client() is reader


@pytest.mark.skipif(
    not os.environ.get("CACHE_URL", "").startswith("rediscache"), reason="needs the Redis of CACHE_URL"
)
def test_the_backend_stores_and_counts_on_a_real_redis():
    from django.core.cache import caches

    cache = caches["default"]
    assert isinstance(cache, redis_cache.RedisCache)
    cache.set("redis-cache-test", {"a": 1}, 30)
    assert cache.get("redis-cache-test") == {"a": 1}
    assert cache.add("redis-cache-test", 2, 30) is False
    cache.set("redis-cache-count", 1, 30)
    assert cache.incr("redis-cache-count") == 2
