"""Questionnaire translations a cluster makes in the browser or by uploading a .po file

Revision ID: b16a1c0e7f21
Revises: f16c2d4e6a83
Create Date: 2026-12-07 04:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b16a1c0e7f21'
down_revision = 'f16c2d4e6a83'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('questionnaire_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('context', sa.String(length=400), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_questionnaire_translation_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_translation')),
    sa.UniqueConstraint('questionnaire_id', 'language', 'context', 'source_sha256', name=op.f('uq_questionnaire_translation_questionnaire_id'))
    )


def downgrade():
    op.drop_table('questionnaire_translation')
