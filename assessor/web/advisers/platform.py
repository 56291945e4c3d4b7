"""The platform administrator's view: every cluster, aggregates only."""

from __future__ import annotations

from flask import render_template

from assessor.services.platform import platform_figures
from assessor.storage.models import Role
from assessor.web.advisers.access import signed_in
from assessor.web.routes import Routes

routes = Routes()


@routes.get("/platform")
@signed_in(Role.PLATFORM_ADMIN)
def platform() -> str:
    figures = platform_figures()
    return render_template(
        "advisers/platform.html", figures=figures.clusters, minimum=figures.minimum
    )
