"""The console examples of README.md and docs/*.md: run them, check them, rewrite them.

Every block of these files that starts with ```console and whose lines start
with "$ tinynet" is real output: this script runs each command (in one
temporary folder per block, in order, so a file saved by one command is there
for the next) and writes what it printed, stdout and stderr as a terminal
shows them, under it. It also writes docs/cli.md, the command reference: one
``--help`` block for ``tinynet`` and for each of its commands, so a new
command or option appears there by itself.

    python docs/readme_console.py      # rewrite docs/cli.md, then every output and code link

tests/test_readme.py runs the same commands and compares what they print now
with what each file shows, so the README and the docs cannot drift from the
code. Times depend on the machine, so they are written as "… s" and any time
matches. Every other number must come out as shown: the commands print only
digits that do not depend on the BLAS kernel. OpenBLAS picks a kernel for the
CPU, and each adds the terms of a product in its own order; the outputs were
checked under SkylakeX (the CPU's own, with AVX-512), Haswell and
Sandybridge, the kernel set for each command alone:

    OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell python -m pytest tests/test_readme.py

and tests/test_kernels.py runs every block again under each other kernel the
CPU can run and compares the text.

The outputs are what a terminal 80 columns wide (or wider) shows: click wraps
help text at min(columns, max_content_width) - 2, so at 78, and cli/main.py
sets max_content_width to 80; tests/test_readme.py compares each --help
block with a real ``COLUMNS=80 tinynet ... --help``.
"""

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
CLI_REFERENCE = DOCS / "cli.md"
BLOCK = re.compile(r"```console\n(\$ tinynet.*?)```", re.DOTALL)
TIME = re.compile(r"\b\d+\.\d+ s\b")
COLUMNS = 80  # the terminal the outputs are shown for


def documents() -> list[Path]:
    """README.md and every docs/*.md: the files whose console blocks and code links are kept true."""
    return [README, *sorted(DOCS.glob("*.md"))]


def blocks(text: str) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """(start, end, [(command, shown output), ...]) for each console block of tinynet commands."""
    found = []
    for match in BLOCK.finditer(text):
        runs, command, output = [], None, []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                if command is not None:
                    runs.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        runs.append((command, "\n".join(output)))
        found.append((match.start(1), match.end(1), runs))
    return found


def run(command: str) -> str:
    """What ``command`` (a "tinynet ..." line) prints in the current folder, times written as "… s"."""
    from click.testing import CliRunner

    from cli.main import cli

    args = shlex.split(command)[1:]
    # click wraps help at min(columns, max_content_width) - 2: 78 in a terminal of 80 (see the docstring)
    result = CliRunner().invoke(cli, args, prog_name="tinynet", terminal_width=COLUMNS - 2)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise RuntimeError(f"{command!r} failed") from result.exception
    return TIME.sub("… s", result.output).rstrip("\n")


def run_block(runs) -> list[str]:
    """Run a block's commands in a fresh temporary folder; return their outputs."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            return [run(command) for command, _ in runs]
        finally:
            os.chdir(here)


def same(shown: str, printed: str) -> bool:
    """Equal but for runs of spaces (a time's width moves the columns after it)."""
    def squeeze(text):
        return [re.sub(r" +", " ", line.rstrip()) for line in text.splitlines()]
    return squeeze(shown) == squeeze(printed)


# --- the command reference ---

CLI_PROSE = """# Command reference

What `tinynet --help` and each command's `--help` print, in a terminal 80 columns wide.
`python docs/readme_console.py` writes this file from the commands themselves, and
tests/test_readme.py checks it; the [README](../README.md) says what each command is for.
"""


def cli_commands() -> list[str]:
    """The commands `tinynet --help` lists, in its order: "tinynet compare", ..."""
    import click

    from cli.main import cli

    with click.Context(cli) as context:
        return [f"tinynet {name}" for name in cli.list_commands(context)]


def cli_reference() -> str:
    """docs/cli.md with its --help blocks still empty: main() fills them in as it does every console block."""
    sections = [CLI_PROSE, "```console\n$ tinynet --help\n```\n"]
    for command in cli_commands():
        sections.append(f"## {command}\n\n```console\n$ {command} --help\n```\n")
    return "\n".join(sections)


# --- the code links ---

# The docs link each formula to the line of code that computes it, found by that line's text.
LINKED_CODE = {
    "dL/dW": ("tinynet/engine/linear.py", "self.weight.grad += self.x.T @ grad_output"),
    "dL/db": ("tinynet/engine/linear.py", "self.bias.grad += grad_output.sum(axis=0)"),
    "dL/dx": ("tinynet/engine/linear.py", "return grad_output @ self.weight.data.T"),
    "activations.py": ("tinynet/engine/activations.py", "return grad_output * self.mask"),
    "`train_step`": ("tinynet/engine/step.py", "def train_step"),
}


def line_of(path: str, code: str) -> int:
    """The number of the first line of ``path`` (from the repository's root) that contains ``code``."""
    lines = (ROOT / path).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if code in line)


def relative(path: str, document: Path) -> str:
    """``path`` (from the repository's root) as a link written in ``document``: docs/*.md links go up to it."""
    return Path(os.path.relpath(ROOT / path, document.parent)).as_posix()


def update_links(text: str, document: Path = README) -> str:
    """Point every code link of LINKED_CODE in ``document``'s text at the line that now holds its code."""
    for name, (path, code) in LINKED_CODE.items():
        target = re.escape(relative(path, document))
        link = f"{relative(path, document)}#L{line_of(path, code)}"
        if name.startswith("dL/"):  # a table row: | dL/dW | ... | [linear.py](../tinynet/engine/linear.py#L105) |
            text = re.sub(rf"(\| {re.escape(name)} \|.*?\]\(){target}#L\d+", rf"\g<1>{link}", text)
        else:
            text = re.sub(rf"(\[{re.escape(name)}\]\(){target}#L\d+", rf"\g<1>{link}", text)
    return text


def rewrite(document: Path) -> None:
    """Run every console block of ``document`` and write what it printed; update its code links."""
    text = update_links(document.read_text(), document)
    for start, end, runs in reversed(blocks(text)):
        outputs = run_block(runs)
        body = "".join(f"$ {command}\n{output}\n" if output else f"$ {command}\n"
                       for (command, _), output in zip(runs, outputs))
        text = text[:start] + body + text[end:]
    document.write_text(text)


def main() -> None:
    CLI_REFERENCE.write_text(cli_reference())
    for document in documents():
        rewrite(document)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
