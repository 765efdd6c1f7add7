"""`python -m mnist_core class ...`: the class's drawings from a terminal.

Reads the same database as the app (`DIGITLAB_DATA_DIR` / `DIGITLAB_DATABASE_URL`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mnist_core.storage.database import open_database
from mnist_core.storage.drawings import ClassDrawings
from mnist_core.storage.export import export


def add_class_commands(commands: argparse._SubParsersAction) -> None:
    """The `class` command and its own subcommands, on the main parser."""
    parser = commands.add_parser("class", help="the class's labelled drawings: stats, export")
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    stats = actions.add_parser("stats", help="how many drawings the class has labelled")
    stats.add_argument("--json", action="store_true", help="one line of JSON")
    out = actions.add_parser("export", help="write the drawings as MNIST-style .npz or PNG .zip")
    out.add_argument("--out", required=True, help="FILE.npz (x, y as uint8) or FILE.zip (PNGs)")
    out.add_argument("--force", action="store_true", help="replace an existing file")


def run_class(args: argparse.Namespace, argv: list[str]) -> int:
    del argv  # the class commands record no command line
    store = ClassDrawings(open_database())
    if args.action == "stats":
        per_digit = store.per_digit()
        if args.json:
            print(json.dumps({"drawings": sum(per_digit), "per_digit": per_digit}))
        else:
            print(f"{sum(per_digit)} labelled drawings")
            for digit, count in enumerate(per_digit):
                print(f"  {digit}: {count}")
        return 0
    count = export(store, Path(args.out), force=args.force)
    print(f"wrote {count} drawings to {args.out}")
    return 0
