"""Webhooks: a shared event keeps its assessment, whose data leaves the event once withdrawn

Revision ID: a17f3b4c5d63
Revises: a17e2a3b4c52
Create Date: 2026-12-07 08:30:00.000000

Existing ``assessment.shared`` deliveries get their assessment from the public id in their
JSON; those of an assessment that is gone, or no longer visible to the cluster, keep only
the event's id, type, time, cluster and the assessment's public id (and fail if they were
still to be delivered), as a withdrawal now does (assessor.services.webhooks).
"""

import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a17f3b4c5d63"
down_revision = "a17e2a3b4c52"
branch_labels = None
depends_on = None

_delivery = sa.table(
    "webhook_delivery",
    sa.column("id", sa.Integer),
    sa.column("cluster_id", sa.Integer),
    sa.column("event", sa.String),
    sa.column("payload", sa.Text),
    sa.column("state", sa.String),
    sa.column("last_error", sa.String),
    sa.column("assessment_id", sa.Integer),
)
_assessment = sa.table(
    "assessment",
    sa.column("id", sa.Integer),
    sa.column("public_id", sa.String),
    sa.column("cluster_id", sa.Integer),
    sa.column("submitted_at", sa.DateTime),
    sa.column("is_preview", sa.Boolean),
    sa.column("share_with_cluster", sa.Boolean),
    sa.column("assisted_by_id", sa.Integer),
)


def upgrade():
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assessment_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_webhook_delivery_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_webhook_delivery_assessment_id_assessment"),
            "assessment",
            ["assessment_id"],
            ["id"],
            ondelete="SET NULL",
        )

    connection = op.get_bind()
    shared = connection.execute(
        sa.select(
            _delivery.c.id, _delivery.c.cluster_id, _delivery.c.payload, _delivery.c.state
        ).where(_delivery.c.event == "assessment.shared")
    ).all()
    for delivery_id, cluster_id, payload, state in shared:
        try:
            event = json.loads(payload)
            public_id = event["assessment"]["public_id"]
        except (ValueError, KeyError, TypeError):
            event, public_id = {}, None
        found = None
        if public_id is not None:
            found = connection.execute(
                sa.select(
                    _assessment.c.id,
                    _assessment.c.cluster_id,
                    _assessment.c.submitted_at,
                    _assessment.c.is_preview,
                    _assessment.c.share_with_cluster,
                    _assessment.c.assisted_by_id,
                ).where(_assessment.c.public_id == public_id)
            ).first()
        seen = (
            found is not None
            and found.cluster_id == cluster_id
            and found.submitted_at is not None
            and not found.is_preview
            and (found.share_with_cluster or found.assisted_by_id is not None)
        )
        values = {"assessment_id": found.id if found is not None else None}
        if not seen:
            kept = {key: event[key] for key in ("id", "type", "created", "cluster") if key in event}
            kept["assessment"] = {"public_id": public_id}
            values["payload"] = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
            if state == "pending":
                values.update(state="failed", last_error="withdrawn before delivery")
        connection.execute(_delivery.update().where(_delivery.c.id == delivery_id).values(**values))


def downgrade():
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_webhook_delivery_assessment_id_assessment"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_assessment_id"))
        batch_op.drop_column("assessment_id")
