"""Every command in the README and docs/ still works, checked cheaply but for real.

Each shell command in a code block (```sh, ```powershell) or in an inline code span that
starts like a command is split into simple commands; each is checked for what it names:
Python modules exist and their own argument parsers accept the arguments as written, files
and folders exist, executables are in the virtual environment, environment variables are
ones the code reads, Streamlit options exist. Nothing is trained or served. The README's
test command must be exactly what .ci/run reads and runs.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Documents the README links to that other changes write (issues 17 and 18): a link to one
# of these may be missing until they are merged. Empty this once they are.
PENDING: set[str] = set()
README_LINES = 150

# Programs that belong to the system, not to this project: named, not run.
SYSTEM = {"sudo", "apt-get", "apt", "cd", "git", "export", "flock", "pg_virtualenv", "awk"}
# In the virtual environment the README's command makes; tensorboard the docs install first.
VENV_TOOLS = {"pip", "streamlit", "ruff", "lint-imports", "python"}
SEPARATE_INSTALL = {"tensorboard"}
OUTPUT_FLAGS = {"--out", "--to", "--logdir"}  # what follows need not exist yet
COMMAND_START = re.compile(
    r"^(\.venv[/\\]|python3? |py |pip |pytest |streamlit |sudo |bash |export |\$env:)"
)
FENCE = re.compile(r"^[ \t]*```(\w*)\n(.*?)^[ \t]*```", re.M | re.S)  # in lists too


class Parsed(BaseException):
    """Raised by the patched parse_args once a module's parser has read the arguments."""


def blocks(text: str) -> list[tuple[str, str]]:
    return [(lang, body) for lang, body in FENCE.findall(text)]


def inline_spans(text: str) -> list[str]:
    """Inline code spans (outside code blocks) that are commands, joined across lines."""
    prose = FENCE.sub("", text)
    spans = re.findall(r"`([^`]+)`", prose)
    spans = [" ".join(s.split()) for s in spans]
    return [s for s in spans if COMMAND_START.match(s) and " " in s]  # not a bare path


def commands_in(doc: Path) -> list[tuple[str, list[str]]]:
    """(where, argv) for every simple command in a document."""
    text = doc.read_text(encoding="utf-8")
    found = []
    for lang, body in blocks(text):
        if lang in ("sh", "bash"):
            found += [(f"{doc.name}: {cmd}", argv) for cmd, argv in shell_commands(body)]
        elif lang == "powershell":
            found += [(f"{doc.name}: {cmd}", argv) for cmd, argv in powershell_commands(body)]
    for span in inline_spans(text):
        split = powershell_commands if span.startswith(("py ", ".venv\\", "$env:")) else None
        pairs = split(span) if split else shell_commands(span)
        found += [(f"{doc.name} (inline): {cmd}", argv) for cmd, argv in pairs]
    return found


def shell_commands(body: str) -> list[tuple[str, list[str]]]:
    """Simple commands of a POSIX shell snippet: split at && ; | and new lines, comments and
    `for ... do ... done` loops taken apart (the loop's variable takes its first value)."""
    commands = []
    for line in body.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        lexer.commenters = "#"
        lexer.wordchars += "$=.,/:-~+[]"
        current = []
        for token in [*lexer, ";"]:
            if token in ("&&", ";", "|", "||"):
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(token)
    variables = {}
    result = []
    for words in commands:
        if words[0] == "for" and len(words) >= 4 and words[2] == "in":
            variables[words[1]] = words[3]
            continue
        if words[0] == "do":
            words = words[1:]
        if not words or words == ["done"]:
            continue
        for name, value in variables.items():
            words = [w.replace(f"${name}", value) for w in words]
        result.append((" ".join(words), words))
    return result


def powershell_commands(body: str) -> list[tuple[str, list[str]]]:
    """PowerShell's `;`-separated commands, read as their POSIX twins (.venv/bin for
    .venv\\Scripts, python3 for py)."""
    result = []
    for line in body.splitlines():
        for cmd in line.split(";"):
            words = cmd.split()
            if not words:
                continue
            if words[0].startswith("$env:"):
                words = ["export", words[0][len("$env:") :].split("=")[0] + "=value"]
            words = [w.replace(".venv\\Scripts\\", ".venv/bin/") for w in words]
            if words[0] == "py":
                words[0] = "python3"
            result.append((cmd.strip(), words))
    return result


def check(argv: list[str]) -> None:
    """Fail, saying why, if this command could not work as written."""
    while argv and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", argv[0]):  # NAME=value command
        check_variable(argv[0].split("=")[0])
        argv = argv[1:]
    program, args = argv[0], argv[1:]
    if program == "export":
        for assignment in args:
            check_variable(assignment.split("=")[0])
        return
    if program in SYSTEM:
        return
    if program == "bash":
        script = ROOT / args[0]
        assert script.is_file(), f"{args[0]} is not a file"
        if args[1:]:
            check(args[1:])
        return
    if program in ("python", "python3", "streamlit", "pip", "pytest"):
        # The README's install does not activate the virtual environment: only the
        # system's python3 making it is meant; everything else runs from .venv/bin.
        assert args == ["-m", "venv", ".venv"], f"{' '.join(argv)}: write .venv/bin/{program}"
        return
    if program.startswith(".venv/bin/"):
        tool = program.removeprefix(".venv/bin/")
        if tool in SEPARATE_INSTALL:
            return
        assert tool in VENV_TOOLS, f"{program}: not a tool the virtual environment provides"
        assert (Path(sys.executable).parent / tool).exists(), f"{tool} is not installed"
        program = tool
    if program == "python":
        assert args[0] == "-m", f"{argv}: run Python modules with -m"
        check_module(args[1], args[2:])
    elif program == "pip" and args[1:] and args[1] in SEPARATE_INSTALL:
        assert args[0] == "install", argv
    elif program == "pip":
        assert args[:2] == ["install", "-r"] and (ROOT / args[2]).is_file(), argv
    elif program == "streamlit":
        check_streamlit(args)
    elif program in ("ruff", "lint-imports"):
        pass  # their configuration is checked by running them in the test command
    else:
        raise AssertionError(f"{' '.join(argv)}: no check for {program!r}; add one")
    check_paths(args)


def check_variable(name: str) -> None:
    if not name.startswith(("DIGITLAB_", "MNIST_")):
        return  # NAME in "export NAME=value", or the shell's own
    sources = [*ROOT.glob("mnist_core/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / ".ci/run"]
    sources += [*ROOT.glob("tests/*.py"), *ROOT.glob("benchmarks/*.py")]
    assert any(name in p.read_text(encoding="utf-8") for p in sources), f"{name} is read nowhere"


def check_paths(args: list[str]) -> None:
    """Files and folders named inside the repository exist (outputs and ../ aside)."""
    for before, arg in zip([None, *args], args):
        if before in OUTPUT_FLAGS or arg.startswith(("-", "../", "/", "$", "http")):
            continue
        if "/" in arg or arg.endswith((".py", ".txt", ".toml", ".md")):
            assert (ROOT / arg).exists(), f"{arg} does not exist"


def check_module(module: str, args: list[str]) -> None:
    if module == "venv":
        assert args == [".venv"], args
        return
    if module == "pytest":
        check_paths([a for a in args if not a.startswith("-")])
        return
    assert importlib.util.find_spec(module) is not None, f"no module {module}"
    parse_only(module, args)


def parse_only(module: str, args: list[str]) -> None:
    """Run the module as `python -m` would, up to its argument parser, and stop there."""
    original = argparse.ArgumentParser.parse_args

    def parse_args(self, argv=None, namespace=None):
        raise Parsed(original(self, argv, namespace))

    saved_argv = sys.argv
    out = io.StringIO()
    argparse.ArgumentParser.parse_args = parse_args
    sys.argv = [module, *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            runpy.run_module(module, run_name="__main__", alter_sys=False)
    except Parsed:
        return
    except SystemExit as exc:
        assert exc.code in (0, None), f"{module} {' '.join(args)}: {out.getvalue()[-500:]}"
        assert "usage" in out.getvalue().lower(), f"{module} stopped before parsing"
        return
    finally:
        argparse.ArgumentParser.parse_args = original
        sys.argv = saved_argv
    raise AssertionError(f"{module} ran without reading its arguments")


def check_streamlit(args: list[str]) -> None:
    from streamlit import config

    assert args[0] == "run" and (ROOT / args[1]).is_file(), args
    for flag in args[2:]:
        if flag.startswith("--"):
            config.get_option(flag.removeprefix("--"))  # raises for an unknown option


def all_commands() -> list[tuple[str, list[str]]]:
    return [pair for doc in DOCS for pair in commands_in(doc)]


@pytest.mark.parametrize(("where", "argv"), all_commands(), ids=lambda v: str(v)[:80])
def test_every_command_in_the_docs_works_as_written(where, argv):
    check(argv)


def test_the_commands_found_include_the_readme_s_own():
    found = {where for where, _ in all_commands()}
    for expected in (
        "README.md: .venv/bin/streamlit run app.py",
        "README.md: bash tests/with_postgres .venv/bin/python -m pytest",
        ".venv\\Scripts\\streamlit run app.py",
        "measurements.md: .venv/bin/python -m benchmarks.draw_latency --why --drawings 20",
        "teaching.md: .venv\\Scripts\\streamlit run app.py",  # in a numbered step
    ):
        assert any(expected in where for where in found), expected


def test_the_command_line_synopsis_names_only_real_options():
    from mnist_core.commands.main import build_parser

    subcommands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    synopsis = next(body for lang, body in blocks(text) if lang == "text" and "mnist_core" in body)
    command, checked = None, 0
    for line in synopsis.splitlines():
        words = line.split()
        if line.startswith(".venv/bin/python -m mnist_core"):
            command = subcommands[words[3]]
        for option in re.findall(r"--[a-z][a-z-]*", line.split("#")[0]):
            assert option in command._option_string_actions, f"{words[3:4]} {option}"
            checked += 1
    assert checked > 20


def test_the_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    program = re.search(r"awk '([^']+)' README\.md", ci).group(1)
    ran = subprocess.run(
        ["awk", program, "README.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme.split("<!-- test-command -->\n", 1)[1]
    _, body = blocks(after)[0]
    assert after.startswith("```sh\n") and body.strip() == ran  # the whole block, one line
    assert "bash tests/with_postgres .venv/bin/python -m pytest" in ran
    assert 'bash -c "$command"' in ci


def test_the_readme_is_a_short_front_door_and_its_links_and_pictures_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= README_LINES
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
        targets += re.findall(r'<img src="([^"]+)"', text)
        for target in targets:
            if target.startswith("http"):
                continue
            path = (doc.parent / target).resolve()
            relative = path.relative_to(ROOT).as_posix()
            assert path.exists() or relative in PENDING, f"{doc.name} links to {target}"
    for picture in ("docs/draw-phone.png", "docs/class-projector.png"):
        assert picture in readme
        assert (ROOT / picture).stat().st_size < 300_000, picture


def test_the_lesson_names_only_what_the_app_shows():
    """Words in italics in the lesson are the app's own labels, word for word."""
    sources = [*ROOT.glob("pages/*.py"), *ROOT.glob("mnist_core/**/*.py")]
    code = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    lesson = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    labels = set(re.findall(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])", " ".join(lesson.split())))
    assert len(labels) > 20
    missing = sorted(label for label in labels if label not in code)
    assert not missing, f"not in the app: {missing}"


ITALICS = re.compile(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])")


@pytest.mark.parametrize("tag", ["de", "fr", "es", "pt-BR", "zh-Hans"])
def test_each_translated_lesson_names_what_the_app_shows_in_its_language(tag):
    """The lesson in German names the German buttons: every phrase in italics is in the
    German catalog's translations, word for word, as many as the English lesson has; the
    README and the glossary link to it."""
    from mnist_core.i18n.catalogs import read_catalog
    from mnist_core.i18n.languages import BY_TAG

    catalog = read_catalog(BY_TAG[tag])
    said = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple | list) else m.string
        for m in catalog
        if m.id
    )
    said = " ".join(said.split())
    lesson = (ROOT / "docs" / f"teaching.{tag}.md").read_text(encoding="utf-8")
    labels = set(ITALICS.findall(" ".join(lesson.split())))
    english = set(ITALICS.findall(" ".join((ROOT / "docs" / "teaching.md").read_text().split())))
    assert len(labels) >= len(english) - 2
    missing = sorted(label for label in labels if label not in said)
    assert not missing, f"not in the {tag} catalog: {missing}"
    assert "](teaching.md)" in lesson  # back to the English original
    for doc in ("README.md", "docs/glossary.md"):
        assert f"teaching.{tag}.md" in (ROOT / doc).read_text(encoding="utf-8"), doc


def test_shell_splitting_sees_every_command():
    loop = "for s in 0 1; do\n  python -m mnist_core train --seed $s  # note\ndone\nbash x && y | z"
    assert [w for _, w in shell_commands(loop)] == [
        ["python", "-m", "mnist_core", "train", "--seed", "0"],
        ["bash", "x"],
        ["y"],
        ["z"],
    ]
    with pytest.raises(AssertionError, match=r"unrecognized arguments: --no-such-flag"):
        check([".venv/bin/python", "-m", "mnist_core", "train", "--no-such-flag"])
    with pytest.raises(AssertionError, match=r"write \.venv/bin/streamlit"):
        check(["streamlit", "run", "app.py"])  # not there after the README's install
