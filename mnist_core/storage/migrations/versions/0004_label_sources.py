"""Schema 4: where each label came from, so one network address can be held to a rate.

`address` is a keyed hash of the visitor's network address (see storage/pace.py for why),
keyed by `address_key`, a random secret made here once per database, so that every app
server of the class hashes an address alike. Drawings kept before have none. Two indexes
let the limits count a student's and an address's recent labels without reading the table.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.add_column("drawings", sa.Column("address", sa.String(64)))
    op.create_index("drawings_by_address", "drawings", ["address", "created"])
    op.create_index("drawings_by_student", "drawings", ["session_id", "created"])
    settings = sa.table("digitlab_settings", sa.column("key"), sa.column("value"))
    op.execute(sa.insert(settings).values(key="address_key", value=secrets.token_hex(32)))
