"""The README's promises that code can check: its links point at the lines they name,
its quick start is the two commands, and CI runs the same test command."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

# the README links each backprop formula to the line of code that computes it
LINKED_CODE = {
    "dL/dW": "self.weight.grad += np.dot(x.T, grad_output)",
    "dL/db": "self.bias.grad += np.dot(ones, grad_output)",
    "dL/dx": "return np.dot(grad_output, self.weight.data.T)",
}


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


@pytest.mark.parametrize("gradient", sorted(LINKED_CODE))
def test_linear_backward_formulas_link_to_their_code(gradient):
    row = next(line for line in README.splitlines() if line.startswith(f"| {gradient} |"))
    link = re.search(r"\]\(([\w/]+\.py#L\d+)\)", row).group(1)
    assert LINKED_CODE[gradient] in line_at(link)


def test_relu_backward_and_training_step_links():
    relu = re.search(r"\[activations.py\]\((tinynet/activations.py#L\d+)\)", README).group(1)
    assert "grad_output * self._saved(self.mask" in line_at(relu)
    step = re.search(r"\[`_train_step`\]\((tinynet/train.py#L\d+)\)", README).group(1)
    assert "def _train_step" in line_at(step)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Quick start\n\n```sh\n(.*?)```", README, re.DOTALL).group(1)
    install_and_run, test = block.strip().splitlines()
    assert install_and_run.endswith("&& tinynet compare")
    assert test.endswith("&& python -m pytest")
    assert test in (ROOT / ".ci" / "run").read_text()


# --- every console example is what the command prints now ---

sys.path.insert(0, str(ROOT / "docs"))
import readme_console  # docs/ is not a package: found through the path above

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
