"""`python -m mnist_core database ...`: the app's database schema, looked at or upgraded by hand.

Every app server upgrades the database as it starts; `database upgrade` does the same before
any starts (after stopping the old ones, see docs/deployment.md), so an operator sees the
upgrade happen, or fail, in a terminal rather than on the first student's page.
Reads `DIGITLAB_DATABASE_URL`, else the SQLite file in `DIGITLAB_DATA_DIR`.
"""

from __future__ import annotations

import argparse

import sqlalchemy as sa

from mnist_core.storage.database import SCHEMA_VERSION, database_version, upgrade_database
from mnist_core.storage.locations import database_url


def add_database_commands(commands: argparse._SubParsersAction) -> None:
    """The `database` command and its own subcommands, on the main parser."""
    parser = commands.add_parser("database", help="the app's database: its version, upgrading")
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    actions.add_parser("upgrade", help="create the database or upgrade it to this version")
    actions.add_parser("version", help="the database's schema version, changing nothing")


def run_database(args: argparse.Namespace, argv: list[str]) -> int:
    del argv  # the database commands record no command line
    url = database_url()
    shown = sa.make_url(url).render_as_string(hide_password=True)
    if args.action == "upgrade":
        before, after = upgrade_database(url)
        if before is None:
            print(f"created the database at schema {after}: {shown}")
        elif before == after:
            print(f"the database is already at schema {after}: {shown}")
        else:
            print(f"upgraded the database from schema {before} to schema {after}: {shown}")
        return 0
    version = database_version(url)
    if version is None:
        print(f"no database yet (this Digit Lab makes schema {SCHEMA_VERSION}): {shown}")
    else:
        print(f"schema {version} (this Digit Lab's is {SCHEMA_VERSION}): {shown}")
    return 0
