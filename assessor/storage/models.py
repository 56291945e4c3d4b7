"""Database models. Results are never stored only as numbers: answers are the truth,
and every assessment records the questionnaire id, version and file hash it was
answered on, so its result can always be recomputed."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessor.domain import text_limits as limits
from assessor.storage.db import Model


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_token() -> str:
    """An unguessable respondent token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def new_public_id() -> str:
    """An unguessable id for the URLs advisers use (128 random bits); never the row id,
    and for an assessment never its respondent token, which would let advisers edit it."""
    return secrets.token_urlsafe(16)


class Cluster(Model):
    __tablename__ = "cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(limits.NAME))
    country: Mapped[str] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    default_language: Mapped[str] = mapped_column(String(12), default="en")
    contact_name: Mapped[str | None] = mapped_column(String(limits.NAME))
    contact_email: Mapped[str | None] = mapped_column(String(limits.CONTACT_EMAIL))
    website: Mapped[str | None] = mapped_column(String(limits.WEB_ADDRESS))
    description: Mapped[str | None] = mapped_column(Text)
    is_example: Mapped[bool] = mapped_column(default=False)
    # The network-wide catalogue: not offered as a cluster, used when a cluster has no match.
    is_network: Mapped[bool] = mapped_column(default=False, server_default=false())
    colour: Mapped[str] = mapped_column(String(7), default="#0b5d4b", server_default="#0b5d4b")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(32))
    # Bumped whenever the profile or the services change (part of the PDF cache key).
    catalogue_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The platform-wide questionnaires the cluster offers (None: every one) and the one its
    # start form selects; its own questionnaires are always offered.
    offered_questionnaires: Mapped[list[str] | None] = mapped_column(JSON)
    default_questionnaire: Mapped[str | None] = mapped_column(String(100))

    services: Mapped[list[ClusterService]] = relationship(
        back_populates="cluster", cascade="all, delete-orphan", order_by="ClusterService.position"
    )

    def __repr__(self) -> str:
        return f"<Cluster {self.slug}>"


class ClusterService(Model):
    """One service of a cluster's catalogue; texts are {language: text} mappings."""

    __tablename__ = "cluster_service"
    __table_args__ = (UniqueConstraint("cluster_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(limits.SERVICE_ID))
    position: Mapped[int] = mapped_column(default=0)
    category: Mapped[str] = mapped_column(String(32))
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON)
    topics: Mapped[list[str]] = mapped_column(JSON)
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_name: Mapped[str | None] = mapped_column(String(limits.NAME))
    contact_email: Mapped[str | None] = mapped_column(String(limits.CONTACT_EMAIL))
    url: Mapped[str | None] = mapped_column(String(limits.WEB_ADDRESS))

    cluster: Mapped[Cluster] = relationship(back_populates="services")

    def __repr__(self) -> str:
        return f"<ClusterService {self.cluster_id}/{self.key}>"


class Assessment(Model):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    questionnaire_id: Mapped[str] = mapped_column(String(100), index=True)
    questionnaire_version: Mapped[int]
    questionnaire_sha256: Mapped[str] = mapped_column(String(64))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    language: Mapped[str] = mapped_column(String(12), default="en")
    # The languages the respondent's browser said they read, best first (Accept-Language
    # when the assessment was started): a cluster service without a text in the page's
    # language is shown in one of these before the site's fallback languages.
    reader_languages: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    company_name: Mapped[str | None] = mapped_column(String(limits.NAME))
    share_with_cluster: Mapped[bool] = mapped_column(default=False)
    # A cluster administrator answering a questionnaire before publishing it: never in
    # statistics, peers, companies or exports.
    is_preview: Mapped[bool] = mapped_column(default=False, server_default=false())
    # In its workshop's figures: set once, never unset (see services/workshops.py).
    in_workshop_figures: Mapped[bool] = mapped_column(default=False, server_default=false())
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    # Bumped on every change; a save based on an older revision is detected.
    revision: Mapped[int] = mapped_column(default=0)
    # Taken in a workshop (the workshop's cluster), or filled in with an adviser in a
    # one-to-one meeting (it then belongs to the cluster: advisers see it).
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="SET NULL"), index=True
    )
    assisted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    cluster: Mapped[Cluster | None] = relationship()
    workshop: Mapped[Workshop | None] = relationship(back_populates="assessments")
    assisted_by: Mapped[User | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )
    facets: Mapped[list[ResultFacet]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_adviser_assisted(self) -> bool:
        return self.assisted_by_id is not None

    @property
    def visible_to_cluster(self) -> bool:
        """Whether the cluster's advisers may see this assessment one by one."""
        return self.cluster_id is not None and (self.share_with_cluster or self.is_adviser_assisted)

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.questionnaire_id} v{self.questionnaire_version}>"


class Answer(Model):
    """One answer per question; ``value`` is the checked answer as JSON."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")

    def __repr__(self) -> str:
        return f"<Answer {self.assessment_id}/{self.question_id}>"


class ResultFacet(Model):
    """Derived, recomputable figures of a submitted assessment, for peer statistics.

    ``kind`` is ``score`` (key: ``overall``, ``dimension:<id>`` or ``theme:<id>``,
    number in ``score``, level id in ``value``), ``profile`` (key: the profile key
    such as ``size``, text in ``value``; one row per selected option of a multi
    question), ``action`` (key: a triggered action's id, the level id it is about in
    ``value``, its priority rank from 1 in ``score``), ``focus`` (key: an action of the
    plan's focus, its rank there in ``score``), ``dma`` (key: an EU DMA dimension, the mean
    score of its tagged questions in ``score``) or ``readiness`` (key: a question with a
    ``rule``, the ReadinessState its answer tells in ``value``). See assessor.domain.facets;
    ``flask facets refresh`` computes them again.
    """

    __tablename__ = "result_facet"
    __table_args__ = (
        Index("ix_result_facet_lookup", "kind", "key", "value"),
        # An assessment's facets of one kind (and answer): the insights' profile filters.
        Index("ix_result_facet_assessment_kind", "assessment_id", "kind", "key", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(120))
    value: Mapped[str | None] = mapped_column(String(120))
    score: Mapped[float | None]

    def __repr__(self) -> str:
        return f"<ResultFacet {self.assessment_id} {self.kind} {self.key}>"


class RenderJob(StrEnum):
    """Where a PDF's render stands while its row holds no PDF for the state asked for."""

    QUEUED = "queued"  # a message is on the queue
    RENDERING = "rendering"  # a worker took it (job_started_at)
    FAILED = "failed"  # every attempt failed: the page offers "try again"


class RenderedDocument:
    """A cached PDF and the job that renders it, in one row per subject and language.

    ``cache_key`` and ``pdf`` are the last PDF rendered (none before the first render);
    ``job_*`` describe the render under way or failed: ``job_key`` is the state it was asked
    for (none when queued at submission, before anyone computed the state)."""

    language: Mapped[str] = mapped_column(String(12))
    cache_key: Mapped[str | None] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    job_state: Mapped[str | None] = mapped_column(String(12))
    job_key: Mapped[str | None] = mapped_column(String(64))
    job_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    job_queued_at: Mapped[datetime | None]
    job_started_at: Mapped[datetime | None]
    job_error: Mapped[str | None] = mapped_column(String(200))


class PlanDocument(RenderedDocument, Model):
    """The last rendered PDF plan of an assessment in one language, reused while its cache
    key holds (one row per language: switching back and forth renders nothing anew)."""

    __tablename__ = "plan_document"
    __table_args__ = (
        UniqueConstraint(
            "assessment_id", "language", name="uq_plan_document_assessment_id_language"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))

    def __repr__(self) -> str:
        return f"<PlanDocument {self.assessment_id} {self.language} {self.job_state}>"


class Role(StrEnum):
    ADVISER = "adviser"  # runs workshops, follows the companies that share with the cluster
    CLUSTER_ADMIN = "cluster-admin"  # also manages the cluster's services and advisers
    PLATFORM_ADMIN = "platform-admin"  # every cluster, aggregates only


class User(Model):
    """An adviser or administrator account; respondents never have one."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    email: Mapped[str] = mapped_column(String(limits.ACCOUNT_EMAIL), unique=True)
    name: Mapped[str] = mapped_column(String(limits.NAME))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default=Role.ADVISER.value)
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    # Changes when the password changes or the account is disabled: signs out every session.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    cluster: Mapped[Cluster | None] = relationship()

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.public_id}.{self.session_version}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Invitation(Model):
    """A one-time link with which a cluster administrator invites an adviser."""

    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the link's token
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(limits.ACCOUNT_EMAIL))
    role: Mapped[str] = mapped_column(String(20), default=Role.ADVISER.value)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    cluster: Mapped[Cluster] = relationship()


class Workshop(Model):
    """A group session: participants join with a short code and each fill in an assessment."""

    __tablename__ = "workshop"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(limits.NAME))
    held_on: Mapped[date]
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    # The content its participants answer (None for workshops created before it was kept).
    questionnaire_sha256: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(12))
    # Unique among all workshops so that an old code never leads into a new workshop.
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    is_open: Mapped[bool] = mapped_column(default=True)
    results_shown: Mapped[bool] = mapped_column(default=True)  # on the projector view
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    cluster: Mapped[Cluster] = relationship()
    created_by: Mapped[User | None] = relationship()
    assessments: Mapped[list[Assessment]] = relationship(back_populates="workshop")

    def __repr__(self) -> str:
        return f"<Workshop {self.join_code} {self.title!r}>"


class WorkshopDocument(RenderedDocument, Model):
    """The last rendered summary PDF of a workshop in one language, reused while its cache
    key (the summary's own HTML and the print design) holds."""

    __tablename__ = "workshop_document"
    __table_args__ = (
        UniqueConstraint(
            "workshop_id", "language", name="uq_workshop_document_workshop_id_language"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))

    def __repr__(self) -> str:
        return f"<WorkshopDocument {self.workshop_id} {self.language} {self.job_state}>"


class QuestionnaireSource(Model):
    """Every questionnaire content published or previewed, kept by the hash of what it says
    (``assessor.domain.loading.content_sha256``), so that an assessment is always scored
    and shown on the content it was answered on, and a reused version number is noticed."""

    __tablename__ = "questionnaire_source"
    __table_args__ = (Index("ix_questionnaire_source_version", "questionnaire_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # False for a content only answered in a preview: its version number is not taken.
    published: Mapped[bool] = mapped_column(default=True, server_default=true())


class QuestionnaireEntry(Model):
    """A questionnaire the platform offers: platform-wide (no cluster) or a cluster's own,
    with the content it serves now. Every app server and worker reads these rows, so a
    questionnaire published from the browser is served everywhere without a restart."""

    __tablename__ = "questionnaire_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100), unique=True)
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))  # the QuestionnaireSource served now
    version: Mapped[int]
    origin: Mapped[str] = mapped_column(String(8))  # "file" (questionnaires/) or "web"
    # Withdrawn: no new assessments; earlier ones keep their content.
    is_retired: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Withdrawn because its file left questionnaires/ (it comes back with the file); one
    # withdrawn by an administrator stays withdrawn whatever the files say.
    retired_with_file: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Raised by every publication and withdrawal: servers compare the sum, not clocks.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Changes with every publication or withdrawal: servers reload their catalogue on it.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    cluster: Mapped[Cluster | None] = relationship()
    published_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<QuestionnaireEntry {self.questionnaire_id} v{self.version}>"


class QuestionnaireDraft(Model):
    """The text a cluster administrator (or the platform administrator) is editing, kept so
    that checking, previewing and publishing work on the same text and nothing typed is lost.
    One draft per cluster and questionnaire; a new questionnaire's draft has no id until its
    text says one."""

    __tablename__ = "questionnaire_draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    cluster_id: Mapped[int | None] = mapped_column(  # None: a platform-wide questionnaire
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    updated_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<QuestionnaireDraft {self.questionnaire_id or 'new'} of cluster {self.cluster_id}>"


class AuditEvent(Model):
    """An adviser's action on data a company shared: viewed, downloaded, exported."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(40), index=True)  # a public id

    user: Mapped[User | None] = relationship()


class OutgoingMail(Model):
    """A message waiting for the relay: kept until it is sent (or given up), so that a relay
    down for a while, or a restart, loses nothing. The queue's messages carry only its id:
    addresses and links never reach the broker or its logs."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(limits.ACCOUNT_EMAIL))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # What the message is, for the logs: "password reset mail for user 12", never an address.
    purpose: Mapped[str] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuestionnaireTranslation(Model):
    """A questionnaire text translated by a cluster in the browser or by uploading a .po
    file; it wins over the gettext catalogs. Keyed by the English text as well as the node:
    a reworded text is a new entry, and the old one stays (never deleted when a newer
    version drops it) so that an old assessment keeps its texts in every language."""

    __tablename__ = "questionnaire_translation"
    # The source text may be long (an action's advice): the unique key holds its hash, which
    # every index can take, rather than the text itself.
    __table_args__ = (UniqueConstraint("questionnaire_id", "language", "context", "source_sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(12))
    context: Mapped[str] = mapped_column(String(400))  # "<questionnaire id>:<node path>"
    source_text: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    def __repr__(self) -> str:
        return f"<QuestionnaireTranslation {self.language} {self.context}>"


class ApiToken(Model):
    """A read-only key a cluster administrator gives the cluster's CRM: only its SHA-256 is
    stored (the token is shown once, at creation); ``prefix`` lets people tell tokens apart
    on the page and in logs without revealing them."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(limits.NAME))
    prefix: Mapped[str] = mapped_column(String(16))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    cluster: Mapped[Cluster] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.cluster_id} {self.prefix}>"


class WebhookEndpoint(Model):
    """Where a cluster wants to hear of assessments shared with it or withdrawn (one per
    cluster). ``secret`` signs every delivery (HMAC-SHA256); it is shown to the cluster's
    administrators, who give it to the receiver."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), unique=True
    )
    url: Mapped[str] = mapped_column(String(limits.WEB_ADDRESS))
    secret: Mapped[str] = mapped_column(String(64))
    is_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    cluster: Mapped[Cluster] = relationship()

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.cluster_id}>"


class WebhookDelivery(Model):
    """One event for a cluster's webhook and what became of it: the JSON sent (so that
    "send again" sends the same event), each attempt's outcome, and the state. A shared
    event keeps its assessment: once that is withdrawn or deleted, the event's JSON keeps
    only its public id and it is sent no more (services/webhooks)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_cluster_created", "cluster_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(40), unique=True)  # in the payload
    event: Mapped[str] = mapped_column(String(40))  # assessment.shared, assessment.withdrawn
    payload: Mapped[str] = mapped_column(Text)  # the JSON body, byte for byte what is signed
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="SET NULL"), index=True
    )  # an assessment.shared event's assessment; None once it is deleted
    url: Mapped[str] = mapped_column(String(limits.WEB_ADDRESS))
    state: Mapped[str] = mapped_column(String(12))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_status: Mapped[int | None]  # the receiver's HTTP status, None when none came back
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.cluster_id} {self.event} {self.state}>"
