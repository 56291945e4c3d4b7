"""The production tests' private redis-server, for the queue's Redis broker."""

from __future__ import annotations

from tests.production.conftest import redis_url  # noqa: F401 (a fixture)
