"""assessor: twin-transition maturity assessment for logistics SMEs.

This module stays light on purpose: ``import assessor.domain`` must never pull
in Flask, so the factory is imported only when an application is wanted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application (``flask --app assessor`` finds this)."""
    from assessor.web.app import build_app

    return build_app(config)
