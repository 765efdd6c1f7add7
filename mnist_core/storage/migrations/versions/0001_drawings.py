"""Schema 1: the class's labelled drawings, and the settings table that records the version.

As Digit Lab's first database made them (metadata.create_all); frozen here, never the app's
tables of today.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "digitlab_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "drawings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("label", sa.SmallInteger, nullable=False),
        sa.Column("predicted", sa.SmallInteger),
        sa.Column("confidence", sa.Float),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("pixels", sa.LargeBinary, nullable=False),
        sa.Column("original", sa.LargeBinary, nullable=False),
        sa.CheckConstraint("label >= 0 AND label <= 9", name="label_is_a_digit"),
    )
