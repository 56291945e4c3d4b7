"""Which cluster a questionnaire belongs to, and who may therefore work on it.

A questionnaire is platform-wide (None) or a cluster's own. Until the questionnaire
registry lands, every questionnaire is platform-wide; ``owner_cluster_id`` is the one place
that says otherwise.
"""

from __future__ import annotations

from assessor.storage.models import Role, User


def owner_cluster_id(questionnaire_id: str) -> int | None:
    """The id of the cluster that owns the questionnaire; None when it is platform-wide."""
    return None


def may_translate(user: User, questionnaire_id: str) -> bool:
    """Platform administrators translate platform-wide questionnaires; a cluster's
    administrators their cluster's own."""
    owner = owner_cluster_id(questionnaire_id)
    if owner is None:
        return user.role_enum is Role.PLATFORM_ADMIN
    return user.role_enum is Role.CLUSTER_ADMIN and user.cluster_id == owner
