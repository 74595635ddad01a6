"""The promises of README.md and docs/*.md that code can check: their links point at files that exist and at the
lines they name, their console blocks are what the commands print (--help as a terminal 80 columns wide shows it),
the README's quick start is the two commands, the README quotes the training step that runs, and CI runs the same
test command. The >>> examples of every file run as doctests (setup.cfg's testpaths)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

sys.path.insert(0, str(ROOT / "docs"))
import readme_console

DOCUMENTS = readme_console.documents()
TEXTS = {document: document.read_text() for document in DOCUMENTS}
NAMES = [str(document.relative_to(ROOT)) for document in DOCUMENTS]


def test_the_readme_is_at_most_400_lines_and_the_docs_are_there():
    assert len(README.splitlines()) <= 400
    docs = {document.name for document in DOCUMENTS[1:]}
    assert {"two-dimensions.md", "watching.md", "seeds.md", "backprop.md", "pytorch.md", "sklearn.md",
            "model-files.md", "cli.md"} <= docs


# --- links ---

def line_at(link: str, document: Path) -> str:
    path, number = link.split("#L")
    lines = (document.parent / path).read_text().splitlines()
    assert 1 <= int(number) <= len(lines), link
    return lines[int(number) - 1]


@pytest.mark.parametrize("document", DOCUMENTS, ids=NAMES)
def test_every_line_link_exists(document):
    for link in re.findall(r"\]\(([\w/.-]+\.py#L\d+)\)", TEXTS[document]):
        assert line_at(link, document).strip(), link


def test_code_links_point_at_the_code_they_name():
    """If this fails after code moved, run python docs/readme_console.py: it updates the links."""
    for document, text in TEXTS.items():
        assert readme_console.update_links(text, document) == text, document.name
    for name, (path, code) in readme_console.LINKED_CODE.items():
        line = readme_console.line_of(path, code)
        found = [document for document, text in TEXTS.items()
                 if f"{readme_console.relative(path, document)}#L{line}" in text]
        assert found, f"no link to {path}#L{line} ({name}) in README.md or docs/"
        for document in found:
            assert code in line_at(f"{readme_console.relative(path, document)}#L{line}", document)


def slug(heading: str) -> str:
    """The anchor a Markdown heading gets: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    return {slug(heading) for heading in re.findall(r"^#+ (.*)$", text, re.MULTILINE)}


@pytest.mark.parametrize("document", DOCUMENTS, ids=NAMES)
def test_every_relative_link_resolves(document):
    """Links between the README and the docs (and to code, pictures, LICENSE) point at what exists; a link to a
    heading (file.md#heading) at a heading of that file."""
    text = re.sub(r"```.*?```", "", TEXTS[document], flags=re.DOTALL)  # code blocks hold no links
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if re.match(r"[a-z]+:", link):  # http:, https:, mailto:
            continue
        path, _, anchor = link.partition("#")
        target = (document.parent / path).resolve() if path else document
        assert target.exists(), f"{document.name}: {link} -> {target} does not exist"
        if anchor and target.suffix == ".md":
            assert anchor in anchors(target.read_text()), f"{document.name}: {link}: no such heading"


def test_every_doc_is_linked_from_the_readme():
    for document in DOCUMENTS[1:]:
        assert f"](docs/{document.name}" in README, document.name
    assert "](benchmarks/PERFORMANCE.md)" in README


def test_performance_lives_in_benchmarks_only():
    """One set of numbers, in benchmarks/PERFORMANCE.md: the README and the docs link to it."""
    performance = (ROOT / "benchmarks" / "PERFORMANCE.md").read_text()
    assert "| S1 | [1, 32, 32, 1], 64 |" in performance
    for document, text in TEXTS.items():
        assert "tinynet / floor" not in text and "| S1 |" not in text, document.name


# --- the README's own promises ---

def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Quick start\n\n```sh\n(.*?)```", README, re.DOTALL).group(1)
    install_and_run, test = block.strip().splitlines()
    assert install_and_run.endswith("&& tinynet compare")
    assert test.endswith("&& python -m pytest")
    assert test in (ROOT / ".ci" / "run").read_text()


def test_read_the_engine_comes_first_and_quotes_the_step_that_runs():
    """The README quotes train_step's five lines: they must be the lines of tinynet/engine/step.py, in order."""
    assert README.index("## Read the engine") < README.index("## The lesson")
    section = README[README.index("## Read the engine"):README.index("## The lesson")]
    files = ["module.py", "linear.py", "activations.py", "losses.py", "optim.py", "step.py"]
    places = [section.index(f"[`{name}`](tinynet/engine/{name})") for name in files]
    assert places == sorted(places)
    assert section.index("[`tinynet/fast`]", places[-1]) < section.index("[`training.py`](tinynet/training.py)")
    quoted = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1).splitlines()
    step = [line.strip() for line in (ROOT / "tinynet" / "engine" / "step.py").read_text().splitlines()]
    assert len(quoted) == 5
    at = [step.index(line.strip()) for line in quoted]
    assert at == list(range(at[0], at[0] + 5))


def test_the_table_of_commands_names_every_command():
    table = README[README.index("## Commands"):]
    listed = re.findall(r"^\| `(tinynet \w+)` \|", table, re.MULTILINE)
    assert sorted(listed) == readme_console.cli_commands()


# --- every console example is what the command prints now ---

CONSOLE_BLOCKS = [(document, runs) for document in DOCUMENTS for _, _, runs in readme_console.blocks(TEXTS[document])]


def test_the_readme_and_docs_have_console_examples():
    commands = [command for _, runs in CONSOLE_BLOCKS for command, _ in runs]
    assert "tinynet compare" in commands and "tinynet --help" in commands
    assert len(commands) >= 15
    in_readme = [command for document, runs in CONSOLE_BLOCKS if document.name == "README.md" for command, _ in runs]
    assert "tinynet compare" in in_readme and "tinynet inspect relu.npz --data sin" in in_readme


# a block of `tinynet compare` or `tinynet seeds` trains several nets at their full settings, a second or more:
# the quick loop (-m "not slow") leaves it out
@pytest.mark.parametrize("runs", [pytest.param(runs, marks=pytest.mark.slow)
                                  if runs[0][0].startswith(("tinynet compare", "tinynet seeds")) else runs
                                  for _, runs in CONSOLE_BLOCKS],
                         ids=[f"{document.name}: {runs[0][0]}" for document, runs in CONSOLE_BLOCKS])
def test_console_example_prints_what_the_file_shows(runs):
    """Run the block's commands in order in a fresh folder; each must print what is shown, number for
    number (times excepted). If this fails after a deliberate change, run python docs/readme_console.py."""
    for (command, shown), printed in zip(runs, readme_console.run_block(runs)):
        assert readme_console.same(shown, printed), f"$ {command}\n--- the file shows:\n{shown}\n--- prints:\n{printed}"


@pytest.mark.slow  # import torch takes seconds: the quick loop (-m "not slow") is the same without torch
def test_the_torch_examples_are_what_torch_prints():
    """docs/pytorch.md's torch blocks are plain code (its doctests must pass without torch): run them here."""
    pytest.importorskip("torch", reason="the torch bridge needs torch (the torch extra; CI installs it)")
    import contextlib
    import io

    from test_torch_bridge import DOC_EXAMPLE

    pytorch = (ROOT / "docs" / "pytorch.md").read_text()
    assert DOC_EXAMPLE in pytorch  # tests/test_torch_bridge.py runs this one
    code = re.search(r"```python\n(import torch\nimport tinynet as tn\n.*?)```\n```\n(.*?)```", pytorch, re.DOTALL)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code.group(1), {})  # noqa: S102 (running the doc's own text is the point)
    assert printed.getvalue() == code.group(2)


# --- the command reference: every command's --help, as a terminal of 80 columns shows it ---

HELP_COMMANDS = [command for _, runs in CONSOLE_BLOCKS for command, _ in runs if command.endswith("--help")]


def test_the_command_reference_has_every_command_and_nothing_else():
    """docs/cli.md is what readme_console writes: its prose and one --help block per command, in --help's order
    (a new command appears there after python docs/readme_console.py)."""
    text = readme_console.CLI_REFERENCE.read_text()
    empty = re.sub(r"(```console\n\$ tinynet[^\n]*\n).*?```", r"\1```", text, flags=re.DOTALL)
    assert empty == readme_console.cli_reference()
    shown = [runs[0][0] for _, _, runs in readme_console.blocks(text)]
    assert shown == ["tinynet --help"] + [f"{command} --help" for command in readme_console.cli_commands()]


# One real process prints every --help in turn (a Python started per command cost a quarter of a second each):
# after each, a line of NUL and the exit code.
HELPS = """
import shlex, sys
from cli.main import cli
for command in sys.argv[1:]:
    try:
        cli.main(shlex.split(command)[1:], prog_name="tinynet")
    except SystemExit as end:
        print(f"\\0{end.code or 0}", flush=True)
"""


@pytest.fixture(scope="module")
def helps_in_a_terminal() -> dict[str, tuple[str, str]]:
    """Each --help command's (exit code, stdout) in a real process with COLUMNS=80."""
    real = subprocess.run([sys.executable, "-c", HELPS, *HELP_COMMANDS], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": str(readme_console.COLUMNS)}, cwd=ROOT, check=True)
    parts = re.split(r"\0(\d+)\n", real.stdout)
    assert parts[-1] == "" and len(parts) == 2 * len(HELP_COMMANDS) + 1, real.stderr
    return {command: (parts[2 * i + 1], parts[2 * i]) for i, command in enumerate(HELP_COMMANDS)}


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_help_is_what_a_terminal_of_80_columns_shows(command, helps_in_a_terminal):
    """readme_console runs commands in-process (click's CliRunner); a real terminal goes through click's own
    reading of its width. Both must wrap the same way, or the docs show help no terminal prints."""
    code, printed = helps_in_a_terminal[command]
    assert code == "0"
    assert printed.rstrip("\n") == readme_console.run(command)
    assert max(len(line) for line in printed.splitlines()) <= readme_console.COLUMNS
