"""Routes written next to their views, added to a blueprint where the blueprint is built.

A module of views declares ``routes = Routes()`` and decorates each view as it would with
a blueprint (``@routes.get("/companies")``); the package that builds the blueprint lists
its modules and adds their routes (``assessor/web/advisers/__init__.py``). So every route
is found from the blueprint by reading, not by importing modules for their side effect,
and endpoint names stay ``blueprint.function`` (``advisers.sign_in``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint

View = TypeVar("View", bound=Callable[..., Any])


class Routes:
    """The URL rules of one module's views, in the order they were declared."""

    def __init__(self) -> None:
        self._rules: list[tuple[str, Callable[..., Any], dict[str, Any]]] = []

    def route(self, rule: str, **options: Any) -> Callable[[View], View]:
        """Like ``Blueprint.route``: ``methods``, ``endpoint`` and the other options."""

        def record(view: View) -> View:
            self._rules.append((rule, view, options))
            return view

        return record

    def get(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self.route(rule, methods=["POST"], **options)

    def add_to(self, blueprint: Blueprint) -> None:
        """Add every rule to ``blueprint`` (before the blueprint is registered on an app)."""
        for rule, view, options in self._rules:
            blueprint.add_url_rule(rule, view_func=view, **options)
