"""Self-assessment: start, one page per section, review, submit, resume, share, delete."""

from assessor.web.self_assessment.views import blueprint

__all__ = ["blueprint"]
