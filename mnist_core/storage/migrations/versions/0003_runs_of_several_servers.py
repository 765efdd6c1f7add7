"""Schema 3: the database numbers the runs, and keeps which server trains each and stop requests.

PostgreSQL needs a sequence for the numbers (in SQLite an integer primary key already is
one). Existing runs keep their numbers; new ones follow the highest.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("runs", sa.Column("server", sa.String(64)))
    op.add_column(
        "runs", sa.Column("stop_requested", sa.Boolean, nullable=False, server_default=sa.false())
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE runs_id_seq OWNED BY runs.id")
        op.execute("SELECT setval('runs_id_seq', COALESCE(MAX(id), 0) + 1, false) FROM runs")
        op.execute("ALTER TABLE runs ALTER COLUMN id SET DEFAULT nextval('runs_id_seq')")
