"""Emptying the cache in tests without touching other test workers' keys."""

from django.core.cache import cache


def clear_cache() -> None:
    """This worker's keys only: with Redis, parallel workers share one database (each with its own key prefix), and
    ``cache.clear()`` would flush theirs too — sessions included, mid-test."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
