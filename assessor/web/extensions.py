"""Flask extensions, created unbound and attached by the factory with init_app."""

from __future__ import annotations

from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from assessor.storage.db import db

migrate = Migrate()
csrf = CSRFProtect()

__all__ = ["csrf", "db", "migrate"]
