"""Cluster insights: an assessment's facets of one kind and answer found by one index probe

Revision ID: a17e2a3b4c52
Revises: a17c0d1e2f30
Create Date: 2026-12-07 08:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a17e2a3b4c52'
down_revision = 'a17c0d1e2f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('result_facet', schema=None) as batch_op:
        batch_op.create_index(
            'ix_result_facet_assessment_kind', ['assessment_id', 'kind', 'key', 'value'], unique=False
        )


def downgrade():
    with op.batch_alter_table('result_facet', schema=None) as batch_op:
        batch_op.drop_index('ix_result_facet_assessment_kind')
