"""The private redis-server of the rate-limit tests, for the queue's Redis broker."""

from __future__ import annotations

from tests.production.test_shared_rate_limits import redis_url  # noqa: F401 (a fixture)
