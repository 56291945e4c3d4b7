"""Questionnaires in the database: entries (platform-wide or a cluster's own), the
platform questionnaires a cluster offers, preview assessments, and content hashes

Revision ID: d16a0b3c5e72
Revises: c4d2a9e7f013
Create Date: 2026-12-07 04:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd16a0b3c5e72'
down_revision = 'c4d2a9e7f013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cluster', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offered_questionnaires', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('default_questionnaire', sa.String(length=100), nullable=True))
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_preview', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('questionnaire_sha256', sa.String(length=64), nullable=True))
    with op.batch_alter_table('questionnaire_source', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('published', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table('questionnaire_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=8), nullable=False),
    sa.Column('is_retired', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('retired_with_file', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_questionnaire_entry_cluster_id_cluster'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_questionnaire_entry_published_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_entry')),
    sa.UniqueConstraint('questionnaire_id', name=op.f('uq_questionnaire_entry_questionnaire_id'))
    )
    with op.batch_alter_table('questionnaire_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_entry_cluster_id'), ['cluster_id'], unique=False)
    _rehash_sources()


def _rehash_sources():
    """Sources were kept by the hash of their bytes; they are now kept by the hash of what
    they say, so that a comment or a re-indentation is not a new content. The assessments
    follow their source's new hash."""
    # The domain's own function: the hash must be the one the app computes from now on.
    from assessor.domain.loading import content_sha256

    connection = op.get_bind()
    source = sa.table(
        'questionnaire_source', sa.column('id'), sa.column('sha256'), sa.column('source')
    )
    assessment = sa.table('assessment', sa.column('questionnaire_sha256'))
    rows = connection.execute(sa.select(source.c.id, source.c.sha256, source.c.source)).all()
    taken = {row.sha256 for row in rows}
    for row in rows:
        new = content_sha256(row.source)
        if new is None or new == row.sha256:
            continue
        connection.execute(
            assessment.update()
            .where(assessment.c.questionnaire_sha256 == row.sha256)
            .values(questionnaire_sha256=new)
        )
        if new in taken:  # the same content written twice: one source is enough
            connection.execute(source.delete().where(source.c.id == row.id))
        else:
            connection.execute(source.update().where(source.c.id == row.id).values(sha256=new))
            taken.add(new)


def downgrade():
    with op.batch_alter_table('questionnaire_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_entry_cluster_id'))
    op.drop_table('questionnaire_entry')
    with op.batch_alter_table('questionnaire_source', schema=None) as batch_op:
        batch_op.drop_column('published')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('questionnaire_sha256')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('is_preview')
    with op.batch_alter_table('cluster', schema=None) as batch_op:
        batch_op.drop_column('default_questionnaire')
        batch_op.drop_column('offered_questionnaires')
