"""The core's top level holds its few shared concepts; everything else lives in a folder
that says which side of the TensorFlow boundary it is on (see mnist_core/__init__.py)."""

from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "mnist_core"


def test_the_core_top_level_holds_at_most_six_modules():
    modules = sorted(p.name for p in CORE.glob("*.py"))
    assert len(modules) <= 6, modules


def test_the_command_line_lives_in_one_folder():
    commands = {p.stem for p in (CORE / "commands").glob("*.py")}
    assert {"main", "average", "classroom"} <= commands
