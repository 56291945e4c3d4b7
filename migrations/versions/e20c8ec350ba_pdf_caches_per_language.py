"""PDF caches per language: plans per (assessment, language), workshop summaries

Revision ID: e20c8ec350ba
Revises: 62aabb7a8258
Create Date: 2026-12-06 15:00:00.000000

The plan cache held one PDF per assessment; it now holds one per assessment and language.
Cached plans are only a cache: the table is made anew, and each plan is rendered again at
its next download.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e20c8ec350ba'
down_revision = '62aabb7a8258'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('plan_document')
    op.create_table('plan_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('cache_key', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_plan_document_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_document')),
    sa.UniqueConstraint('assessment_id', 'language', name='uq_plan_document_assessment_id_language')
    )
    op.create_table('workshop_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('cache_key', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_document_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_document')),
    sa.UniqueConstraint('workshop_id', 'language', name='uq_workshop_document_workshop_id_language')
    )


def downgrade():
    op.drop_table('workshop_document')
    op.drop_table('plan_document')
    op.create_table('plan_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('cache_key', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_plan_document_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_document')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_plan_document_assessment_id'))
    )
