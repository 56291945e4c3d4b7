"""Assessments keep the languages their respondent reads (for cluster service texts)

Revision ID: a18a1b2c3d40
Revises: a17f3b4c5d63
Create Date: 2026-12-07 10:10:00.000000

A cluster service without a text in the page's language is shown in a language the
respondent's browser lists (Accept-Language, kept when the assessment starts) before the
site's fallback languages. Existing assessments have none kept: they fall back as before.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a18a1b2c3d40"
down_revision = "a17f3b4c5d63"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("reader_languages", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("reader_languages")
