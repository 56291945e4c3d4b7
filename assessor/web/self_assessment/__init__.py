"""Self-assessment: start, one page per section, review, submit, resume, share, delete
(``views``), and joining a workshop by its code (``join``), on one blueprint."""

from assessor.web.self_assessment import join, views

blueprint = views.blueprint
join.routes.add_to(blueprint)

__all__ = ["blueprint"]
