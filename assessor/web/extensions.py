"""Flask extensions, created unbound and attached by the factory with init_app.

Flask-Migrate is not among them: it is set up when a migration runs (assessor.cli.migrations)."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
# Storage from RATELIMIT_STORAGE_URI: memory:// counts per process; point it at Redis or
# Memcached when several app processes must share the counts.
limiter = Limiter(get_remote_address)
login_manager = LoginManager()

# The database handle is not among them: views reach the database through services
# (pyproject.toml, "Views run no queries"); only the factory binds it (web/app.py).
__all__ = ["csrf", "limiter", "login_manager"]
