"""Questionnaire drafts: the text a cluster administrator is editing before publishing it

Revision ID: f16c2d4e6a83
Revises: d16a0b3c5e72
Create Date: 2026-12-07 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f16c2d4e6a83'
down_revision = 'd16a0b3c5e72'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('questionnaire_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_questionnaire_draft_cluster_id_cluster'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_questionnaire_draft_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_draft')),
    sa.UniqueConstraint('public_id', name=op.f('uq_questionnaire_draft_public_id'))
    )
    with op.batch_alter_table('questionnaire_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_draft_cluster_id'), ['cluster_id'], unique=False)


def downgrade():
    with op.batch_alter_table('questionnaire_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_draft_cluster_id'))
    op.drop_table('questionnaire_draft')
