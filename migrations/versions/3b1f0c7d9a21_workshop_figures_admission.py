"""Workshop figures admit participants once: a flag per assessment

Revision ID: 3b1f0c7d9a21
Revises: e20c8ec350ba
Create Date: 2026-12-06 15:40:00.000000

Whether an assessment is in its workshop's figures was worked out again on every view
from the current sharing choices, so changing one's choice could move one participant
alone in or out of the figures. It is now recorded once. Finished workshop assessments
of earlier versions were already in the figures they showed: they are marked so.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b1f0c7d9a21'
down_revision = 'e20c8ec350ba'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('in_workshop_figures', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        "UPDATE assessment SET in_workshop_figures = TRUE "
        "WHERE workshop_id IS NOT NULL AND submitted_at IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('in_workshop_figures')
