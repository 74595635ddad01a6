"""The console examples of README.md: run them, check them, rewrite them.

Every block of README.md that starts with ```console and whose lines start
with "$ tinynet" is real output: this script runs each command (in one
temporary folder per block, in order, so a file saved by one command is there
for the next) and writes what it printed, stdout and stderr as a terminal
shows them, under it.

    python docs/readme_console.py      # rewrite the outputs (and the code links) in README.md

tests/test_readme.py runs the same commands and compares what they print now
with what README.md shows, so the README cannot drift from the code.
Times depend on the machine, so they are written as "… s" and any time
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

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```console\n(\$ tinynet.*?)```", re.DOTALL)
TIME = re.compile(r"\b\d+\.\d+ s\b")
COLUMNS = 80  # the terminal the outputs are shown for


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


# The README links each formula to the line of code that computes it, found by that line's text.
LINKED_CODE = {
    "dL/dW": ("tinynet/engine/linear.py", "self.weight.grad += self.x.T @ grad_output"),
    "dL/db": ("tinynet/engine/linear.py", "self.bias.grad += grad_output.sum(axis=0)"),
    "dL/dx": ("tinynet/engine/linear.py", "return grad_output @ self.weight.data.T"),
    "activations.py": ("tinynet/engine/activations.py", "return grad_output * self.mask"),
    "`train_step`": ("tinynet/engine/step.py", "def train_step"),
}


def line_of(path: str, code: str) -> int:
    """The number of the first line of ``path`` that contains ``code``."""
    lines = (README.parent / path).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if code in line)


def update_links(text: str) -> str:
    """Point every code link of LINKED_CODE at the line that now holds its code."""
    for name, (path, code) in LINKED_CODE.items():
        link = f"{path}#L{line_of(path, code)}"
        if name.startswith("dL/"):  # a table row: | dL/dW | ... | [linear.py](tinynet/engine/linear.py#L105) |
            text = re.sub(rf"(\| {re.escape(name)} \|.*?\]\(){re.escape(path)}#L\d+", rf"\g<1>{link}", text)
        else:
            text = re.sub(rf"(\[{re.escape(name)}\]\(){re.escape(path)}#L\d+", rf"\g<1>{link}", text)
    return text


def main() -> None:
    text = update_links(README.read_text())
    for start, end, runs in reversed(blocks(text)):
        outputs = run_block(runs)
        body = "".join(f"$ {command}\n{output}\n" if output else f"$ {command}\n"
                       for (command, _), output in zip(runs, outputs))
        text = text[:start] + body + text[end:]
    README.write_text(text)


if __name__ == "__main__":
    sys.path.insert(0, str(README.parent))
    main()
