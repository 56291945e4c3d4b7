"""What a cluster offers on its start form, and previews: an administrator answering a
questionnaire text before publishing it, results and plan included, never counted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessor.domain.cluster_files import COMPANY_CHOOSES
from assessor.services.assessments import start_assessment
from assessor.services.questionnaires.catalogue import own_questionnaires, platform_questionnaires
from assessor.services.questionnaires.publishing import TextCheck
from assessor.services.questionnaires.versions import store_source
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster


def start_preview(check: TextCheck, cluster: Cluster | None, language: str) -> Assessment:
    """A preview assessment on the checked text's content, for ``cluster`` (None: the
    platform administrator's). The content is kept unpublished: its version number is not
    taken, and publishing it later publishes the very content that was previewed."""
    if not check.ok or check.questionnaire is None:
        raise ValueError("only a text without errors can be previewed")
    store_source(check.questionnaire, check.text, published=False)
    return start_assessment(check.questionnaire, cluster, language, is_preview=True)


@dataclass(frozen=True)
class Offer:
    """A cluster's choice of platform questionnaires and of its start form's default."""

    platform: tuple[str, ...] | None  # the platform-wide ids offered; None: every one, new too
    default: str  # a questionnaire id, or COMPANY_CHOOSES


@dataclass(frozen=True)
class OfferProblems:
    """Why an offer is refused, by the form field it concerns."""

    questionnaires: str | None = None
    automatic: str | None = None
    default: str | None = None

    def __bool__(self) -> bool:
        return any((self.questionnaires, self.automatic, self.default))


def platform_ids() -> list[str]:
    """The platform-wide questionnaires a cluster may offer now, shortest first."""
    return [q.id for q in platform_questionnaires()]


def own_ids(cluster: Cluster) -> list[str]:
    """The cluster's own questionnaires offered now (withdrawn ones are offered to nobody)."""
    return [e.id for e in own_questionnaires(cluster) if not e.is_retired]


def check_offer(
    cluster: Cluster, chosen: Sequence[str], automatic: bool, default: str
) -> tuple[Offer | None, OfferProblems]:
    """The offer made of a form's choices, or why it cannot be: every chosen id a platform
    questionnaire, at least one questionnaire offered (its own count), "new ones
    automatically" only with every one chosen, and the default one of those offered."""
    available = platform_ids()
    own = own_ids(cluster)
    unknown = [q for q in chosen if q not in available]
    questionnaires = automatic_problem = default_problem = None
    if unknown:
        questionnaires = "unknown"
    elif not chosen and not own:
        questionnaires = "none"
    if automatic and set(chosen) != set(available):
        automatic_problem = "not-all"
    offered = set(own) | (set(chosen) - set(unknown))
    if default != COMPANY_CHOOSES and default not in offered:
        default_problem = "not-offered"
    problems = OfferProblems(questionnaires, automatic_problem, default_problem)
    if problems:
        return None, problems
    platform = None if automatic else tuple(q for q in available if q in chosen)
    return Offer(platform, default), problems


def set_offer(cluster: Cluster, offer: Offer) -> None:
    """Save the offer: start forms follow from the next page on (nothing else changes: a
    plan shows nothing of it, so the catalogue version stays)."""
    cluster.offered_questionnaires = list(offer.platform) if offer.platform is not None else None
    cluster.default_questionnaire = offer.default
    db.session.commit()
