"""Self-assessment: start, one page per section, review, submit, resume, share, delete."""

from assessor.web.self_assessment import join  # noqa: F401  (routes register on import)
from assessor.web.self_assessment.views import blueprint

__all__ = ["blueprint"]
