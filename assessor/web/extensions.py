"""Flask extensions, created unbound and attached by the factory with init_app."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from assessor.storage.db import db

migrate = Migrate()
csrf = CSRFProtect()
# Storage from RATELIMIT_STORAGE_URI: memory:// counts per process; point it at Redis or
# Memcached when several app processes must share the counts.
limiter = Limiter(get_remote_address)
login_manager = LoginManager()

__all__ = ["csrf", "db", "limiter", "login_manager", "migrate"]
