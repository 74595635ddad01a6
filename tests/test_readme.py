"""The README's promises that code can check: its links point at the lines they name, its console
blocks are what the commands print (--help as a terminal 80 columns wide shows it),
its quick start is the two commands, and CI runs the same test command."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

sys.path.insert(0, str(ROOT / "docs"))
import readme_console


def line_at(link: str) -> str:
    path, number = link.split("#L")
    lines = (ROOT / path).read_text().splitlines()
    assert 1 <= int(number) <= len(lines), link
    return lines[int(number) - 1]


def test_every_line_link_exists():
    links = re.findall(r"\]\(([\w/]+\.py#L\d+)\)", README)
    assert len(links) >= 5
    for link in links:
        assert line_at(link).strip(), link


def test_code_links_point_at_the_code_they_name():
    """If this fails after code moved, run python docs/readme_console.py: it updates the links."""
    assert readme_console.update_links(README) == README
    for name, (path, code) in readme_console.LINKED_CODE.items():
        link = f"{path}#L{readme_console.line_of(path, code)}"
        assert link in README, name
        assert code in line_at(link)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Quick start\n\n```sh\n(.*?)```", README, re.DOTALL).group(1)
    install_and_run, test = block.strip().splitlines()
    assert install_and_run.endswith("&& tinynet compare")
    assert test.endswith("&& python -m pytest")
    assert test in (ROOT / ".ci" / "run").read_text()


# --- every console example is what the command prints now ---

CONSOLE_BLOCKS = readme_console.blocks(README)


def test_the_readme_has_console_examples():
    commands = [command for _, _, runs in CONSOLE_BLOCKS for command, _ in runs]
    assert "tinynet compare" in commands and "tinynet --help" in commands
    assert len(commands) >= 10


@pytest.mark.parametrize("runs", [runs for _, _, runs in CONSOLE_BLOCKS],
                         ids=[runs[0][0] for _, _, runs in CONSOLE_BLOCKS])
def test_console_example_prints_what_the_readme_shows(runs):
    """Run the block's commands in order in a fresh folder; each must print what is shown, number for
    number (times excepted). If this fails after a deliberate change, run python docs/readme_console.py."""
    for (command, shown), printed in zip(runs, readme_console.run_block(runs)):
        assert readme_console.same(shown, printed), f"$ {command}\n--- README shows:\n{shown}\n--- prints:\n{printed}"


def test_the_torch_examples_are_what_torch_prints():
    """The README's torch blocks are plain code (the README's doctests must pass without torch): run them here."""
    pytest.importorskip("torch", reason="the torch bridge needs torch (the torch extra; CI installs it)")
    import contextlib
    import io

    from test_torch_bridge import README_EXAMPLE

    assert README_EXAMPLE in README  # tests/test_torch_bridge.py runs this one
    code = re.search(r"```python\n(import torch\nimport tinynet as tn\n.*?)```\n```\n(.*?)```", README, re.DOTALL)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code.group(1), {})  # noqa: S102 (running the README's own text is the point)
    assert printed.getvalue() == code.group(2)


# --- the --help blocks are what a terminal of the README's width shows ---

HELP_COMMANDS = [command for _, _, runs in CONSOLE_BLOCKS for command, _ in runs if command.endswith("--help")]


def test_the_readme_shows_help_blocks():
    assert "tinynet --help" in HELP_COMMANDS and "tinynet train --help" in HELP_COMMANDS


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_help_is_what_a_terminal_of_80_columns_shows(command):
    """readme_console runs commands in-process (click's CliRunner); a real terminal goes through click's own
    reading of its width. Both must wrap the same way, or the README shows help no terminal prints."""
    found = shutil.which("tinynet")
    program = [found] if found else [sys.executable, "-c", "from cli.main import main; main()"]
    real = subprocess.run([*program, *shlex.split(command)[1:]], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": str(readme_console.COLUMNS)}, check=True)
    assert real.stdout.rstrip("\n") == readme_console.run(command)
    assert max(len(line) for line in real.stdout.splitlines()) <= readme_console.COLUMNS
