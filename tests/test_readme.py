"""The README's promises that code can check: its links point at the lines they name,
its quick start is the two commands, and CI runs the same test command."""

import re
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
