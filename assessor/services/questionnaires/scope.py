"""Who may work on a questionnaire: it is platform-wide or a cluster's own
(``catalogue.owner_cluster_id``)."""

from __future__ import annotations

from assessor.services.questionnaires.catalogue import owner_cluster_id
from assessor.storage.models import Role, User


def may_translate(user: User, questionnaire_id: str) -> bool:
    """Platform administrators translate platform-wide questionnaires; a cluster's
    administrators their cluster's own."""
    owner = owner_cluster_id(questionnaire_id)
    if owner is None:
        return user.role_enum is Role.PLATFORM_ADMIN
    return user.role_enum is Role.CLUSTER_ADMIN and user.cluster_id == owner
