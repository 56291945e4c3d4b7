"""PDF render jobs: a cached document's row also tells where its render stands

Revision ID: a7c3e5f1b2d4
Revises: 3b1f0c7d9a21
Create Date: 2026-12-06 22:30:00.000000

PDFs are rendered by background workers (issue 14): a row exists from the moment a render
is queued, before there is a PDF, so ``cache_key`` and ``pdf`` may be empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e5f1b2d4'
down_revision = '3b1f0c7d9a21'
branch_labels = None
depends_on = None

TABLES = ('plan_document', 'workshop_document')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column('cache_key', existing_type=sa.String(length=64), nullable=True)
            batch.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
            batch.add_column(sa.Column('job_state', sa.String(length=12), nullable=True))
            batch.add_column(sa.Column('job_key', sa.String(length=64), nullable=True))
            batch.add_column(
                sa.Column('job_attempts', sa.Integer(), server_default='0', nullable=False)
            )
            batch.add_column(sa.Column('job_queued_at', sa.DateTime(), nullable=True))
            batch.add_column(sa.Column('job_started_at', sa.DateTime(), nullable=True))
            batch.add_column(sa.Column('job_error', sa.String(length=200), nullable=True))


def downgrade():
    for table in TABLES:
        # Rows of renders never finished have no PDF: they cannot stay in the old table.
        op.execute(sa.text(f'DELETE FROM {table} WHERE pdf IS NULL OR cache_key IS NULL'))
        with op.batch_alter_table(table) as batch:
            for column in (
                'job_error', 'job_started_at', 'job_queued_at', 'job_attempts', 'job_key',
                'job_state',
            ):
                batch.drop_column(column)
            batch.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
            batch.alter_column('cache_key', existing_type=sa.String(length=64), nullable=False)
