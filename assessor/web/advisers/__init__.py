"""Cluster advisers: sign-in, workshops with live dashboards, one-to-one assessments,
follow-up of companies, and the cluster administrator's pages (services, advisers)."""

from assessor.web.advisers.views import blueprint

__all__ = ["blueprint"]
