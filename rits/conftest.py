"""Test-wide fixtures."""

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache


@pytest.fixture(autouse=True)
def _empty_caches() -> Iterator[None]:
    """Every test starts with empty caches: a test that writes rows directly (not through
    the services, which renew a plan's content token) must not meet what an earlier test
    left behind under the same ids. The database cache is a table of the test database:
    each test's transaction, rolled back, empties it."""
    for cache in caches.all():
        if not isinstance(cache, DatabaseCache):
            cache.clear()
    yield
