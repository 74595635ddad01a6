"""Exercises that check themselves: every stub fails, every solution passes, stub and solution come from the
same marked lines, a solution with its result doubled fails, and each usual mistake, written into a file as a
learner would, is named by its hint. The command line writes, refuses to overwrite, checks and prints."""

import ast
import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cli.main import cli
from tinynet import engine, kinds
from tinynet.exercises import EXERCISES, HINTS, check, get, start
from tinynet.exercises.checking import layer_gradcheck
from tinynet.exercises.source import MARKER

NAMES = [e.name for e in EXERCISES]
WRITE = [e.name for e in EXERCISES if not e.plant]  # the exercises whose stub has bodies to write
ENGINE = Path(engine.__file__).parent


def run(*args, cwd=None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="tinynet")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def flat(text: str) -> str:
    """The text with its line breaks and indents as single spaces (the report wraps at 78 columns)."""
    return " ".join(text.split())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / get(name).file_name
    path.write_text(text)
    return path


def edited(name: str, edits: list[tuple[str, str]]) -> str:
    """The solution with each (right, wrong) edit made once, as a learner's attempt would differ."""
    text = get(name).solution()
    for right, wrong in edits:
        assert text.count(right) == 1, (name, right)
        text = text.replace(right, wrong)
    return text


# --- the set ---

def test_the_list_is_at_least_ten_in_order_from_a_backward_to_a_bug_hunt():
    assert len(EXERCISES) >= 10 and len(set(NAMES)) == len(NAMES)
    for floor in ("linear-backward", "relu-backward", "sigmoid-backward", "tanh-backward", "mse-backward",
                  "bce-backward", "sgd-step", "sgd-momentum", "adam-step", "silu-layer", "find-the-bug"):
        assert floor in NAMES
    assert NAMES[0] == "relu-backward" and NAMES[-1] == "find-the-bug"
    width = max(map(len, NAMES))
    assert all(e.summary and width + 2 + len(e.summary) <= 78 for e in EXERCISES)  # one line each in `list`


@pytest.mark.parametrize("name", NAMES)
def test_an_untouched_stub_fails_its_check(tmp_path, name):
    report = check(name, start(name, tmp_path))
    assert not report.passed
    failed = [f for f in report.found if f.passed is False]
    if name in WRITE:
        assert failed[0].text.startswith("not written yet"), failed[0].text
        assert all(f.passed is None for f in report.found[report.found.index(failed[0]) + 1:])


@pytest.mark.parametrize("name", NAMES)
def test_a_solution_passes_every_check(tmp_path, name):
    report = check(name, write(tmp_path, name, get(name).solution()))
    assert report.passed, "\n".join(report.lines())
    assert [f.check for f in report.found][1:3] in (["shapes", "gradient check"], ["in place", "one step by hand"],
                                                    ["returns the loss", "one step by hand"])
    assert report.found[-1].check == "trains" and "\nevery check passes: " in "\n".join(report.lines())


@pytest.mark.parametrize("name", WRITE)
def test_no_stub_contains_a_line_of_its_solutions_body(name):
    stub = {line.strip() for line in get(name).stub().splitlines()}
    body = [line.strip() for line in get(name).piece().body_lines() if line.strip()]
    assert body and not [line for line in body if line in stub]


def test_the_bug_to_find_is_one_line_the_stub_has_wrong_and_the_solution_right():
    exercise = get("find-the-bug")
    stub, solution = exercise.stub().splitlines(), exercise.solution().splitlines()
    body = [line.strip() for line in exercise.piece().body_lines()]
    assert [line for line in body if line not in {s.strip() for s in stub}] == [exercise.plant[0]]
    assert exercise.plant[1] in exercise.stub() and exercise.plant[1] not in exercise.solution()
    assert len(stub) > len(solution)  # the stub adds only its longer docstring: the code has as many lines


def doubled(name: str) -> str:
    """The solution with every result its marked bodies return, add or subtract doubled."""
    exercise = get(name)
    code = exercise.piece().solution()
    lines = code.split("\n")
    for body in exercise.piece().bodies:
        for i in range(body.start, body.end):
            statement = lines[i].partition("  #")[0]
            found = re.match(r"(\s*)(return |.*?[+\-*]= )(.+)$", statement)
            if found:
                lines[i] = f"{found.group(1)}{found.group(2)}2 * ({found.group(3)})"
    assert "\n".join(lines) != code
    return exercise.solution().replace(code, "\n".join(lines))


@pytest.mark.parametrize("name", NAMES)
def test_a_solution_with_its_result_doubled_fails(tmp_path, name):
    assert not check(name, write(tmp_path, name, doubled(name))).passed


# --- stub and solution from the same lines ---

@pytest.mark.parametrize("name", NAMES)
def test_the_solution_is_the_marked_source_itself(name):
    exercise = get(name)
    piece = exercise.piece()
    source = (ENGINE.parent / exercise.source).read_text().splitlines()
    original = source[piece.first_line - 1:piece.first_line - 1 + len(piece.lines)]
    assert [MARKER.sub("", line) for line in original] == list(piece.lines)
    assert piece.solution() in exercise.solution()
    ast.parse(exercise.stub()), ast.parse(exercise.solution())


def test_every_marker_in_the_engine_names_an_exercise_and_is_a_comment_on_a_def_line():
    found = set()
    for path in ENGINE.glob("*.py"):
        for line in path.read_text().splitlines():
            marker = MARKER.search(line)
            if marker:
                assert line.lstrip().startswith("def ") and marker.group(1) in NAMES, line
                found.add(marker.group(1))
    assert found == {e.name for e in EXERCISES if e.source.startswith("engine/")}


# --- the usual mistakes, each named ---

# each usual mistake as a learner would write it: a line of the solution written wrong, by exercise
ONE_LINE_WRONG = {  # exercise: {the solution's line: {the hint's key: the line as written}}
    "relu-backward": {"self.mask = x > 0": {"relu-mask-wrong-side": "self.mask = x <= 0"},
                      "return grad_output * self.mask": {"no-chain-rule": "return self.mask * 1.0"}},
    "sigmoid-backward": {"return grad_output * self.s * (1 - self.s)": {
        "sigmoid-twice": "s = 1 / (1 + np.exp(-self.s))\n        return grad_output * s * (1 - s)"}},
    "tanh-backward": {"grad_output * (1 - self.t**2)": {"tanh-square": "grad_output * (1 - self.t) ** 2",
                                                        "tanh-twice": "grad_output * (1 - np.tanh(self.t) ** 2)"}},
    "linear-backward": {
        "self.x.T @ grad_output": {"weight-transposed": "grad_output.T @ self.x"},
        "self.bias.grad += grad_output.sum(axis=0)": {"bias-not-summed": "self.bias.grad += grad_output",
                                                      "bias-averaged": "self.bias.grad += grad_output.mean(axis=0)"},
        "self.weight.grad += ": {"grad-assigned": "self.weight.grad = "},
        "return grad_output @ self.weight.data.T": {"input-not-transposed": "return grad_output @ self.weight.data"}},
    "mse-backward": {"return 2 * self.diff / self.diff.size": {
        "mse-missing-2": "return self.diff / self.diff.size", "mse-missing-mean": "return 2 * self.diff",
        "mse-missing-both": "return self.diff", "mse-per-row": "return 2 * self.diff / len(self.diff)",
        "sign": "return 2 * -self.diff / self.diff.size"}},
    "bce-backward": {"/ (p * (1 - p)) / p.size": {"bce-logit-gradient": "/ p.size",
                                                  "bce-missing-mean": "/ (p * (1 - p))"}},
    "sgd-step": {"p.data -= self.lr * p.grad": {
        "not-in-place": "p.data = p.data - self.lr * p.grad", "sgd-sign": "p.data += self.lr * p.grad",
        "sgd-no-lr": "p.data -= p.grad"}},
    "sgd-momentum": {
        "velocity *= self.momentum": {"momentum-lost": "velocity *= 0"},
        "velocity += p.grad + self.weight_decay * p.data": {
            "momentum-dampened": "velocity += (1 - self.momentum) * (p.grad + self.weight_decay * p.data)",
            "weight-decay-ignored": "velocity += p.grad"}},
    "adam-step": {"grad = p.grad + self.weight_decay * p.data": {"weight-decay-ignored": "grad = p.grad"}},
    "train-step": {
        "    optimizer.zero_grad()                  # 3. forget the last step's gradients\n": {"zero-grad": ""},
        "    return loss": {"loss-after-step": "    return loss_fn(model(X), y)"}},
    "silu-layer": {"return grad_output * (s + self.x * s * (1 - s))": {
        "silu-product-rule": "return grad_output * s", "no-chain-rule": "return s + self.x * s * (1 - s)"}},
}
SEVERAL_EDITS = [  # (exercise, [(right, wrong), ...], the hint's key): the mistakes that change two places
    ("sigmoid-backward", [("self.s = 1 / (1 + np.exp(-x))", "self.s = 1 / (1 + np.exp(-x))\n            self.x = x"),
                          ("grad_output * self.s * (1 - self.s)", "grad_output * self.x * (1 - self.x)")],
     "sigmoid-at-x"),
    ("tanh-backward", [("self.t = np.tanh(x)", "self.t = np.tanh(x)\n        self.x = x"),
                       ("grad_output * (1 - self.t**2)", "grad_output * (1 - self.x**2)")], "tanh-at-x"),
    ("adam-step", [("m_hat = m / (1 - b1**self.t)", "m_hat = m"), ("v_hat = v / (1 - b2**self.t)", "v_hat = v")],
     "adam-no-bias-correction"),
    ("adam-step", [("m[...] = b1 * m", "m = b1 * m"), ("v[...] = b2 * v", "v = b2 * v")], "adam-state-lost"),
    ("adam-step", [("        self.t += 1\n", ""),
                   ("(np.sqrt(v_hat) + self.eps)\n", "(np.sqrt(v_hat) + self.eps)\n        self.t += 1\n")],
     "adam-t-late"),
    ("train-step", [("    optimizer.zero_grad()                  # 3. forget the last step's gradients\n", ""),
                    ("    optimizer.step()  ", "    optimizer.zero_grad()\n    optimizer.step()  ")], "zero-grad"),
    ("train-step", [("    model.backward(loss_fn.backward())     # 4. backward: dL/d(every parameter)\n", ""),
                    ("    return loss", "    model.backward(loss_fn.backward())\n    return loss")],
     "step-before-backward"),
]
MISTAKES = [(name, [(right, wrong)], key) for name, lines in ONE_LINE_WRONG.items()
            for right, wrongs in lines.items() for key, wrong in wrongs.items()] + SEVERAL_EDITS


def test_every_hint_is_tried_by_a_mistake_below():
    assert {key for _, _, key in MISTAKES} == set(HINTS)


@pytest.mark.parametrize(("name", "edits", "key"), MISTAKES, ids=[f"{n}-{k}" for n, _, k in MISTAKES])
def test_a_usual_mistake_is_recognised_and_named(tmp_path, monkeypatch, name, edits, key):
    write(tmp_path, name, edited(name, edits))
    result = run("exercise", "check", name, cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    title, fix = HINTS[key]
    assert f"hint ({title}): {fix}" in flat(result.output), result.output
    assert "first thing to fix: " in result.output


def test_the_bug_to_find_is_located_by_which_gradients_are_right(tmp_path):
    report = check("find-the-bug", start("find-the-bug", tmp_path))
    assert report.hint == ("which gradients are off", report.hint[1])
    assert report.hint[1].startswith("dL/dW2, dL/db2 right, dL/dx, dL/dW1, dL/db1 off")


# --- what the checks show ---

def test_a_sample_at_a_kink_is_named_and_set_aside_not_counted(tmp_path):
    report = check("relu-backward", write(tmp_path, "relu-backward", get("relu-backward").solution()))
    gradient = next(f for f in report.found if f.check == "gradient check")
    assert gradient.passed and "7 samples" in gradient.text
    assert gradient.notes == [("sample 3 set aside: x[3, 1] = 4e-07 lies within eps = 1e-06 of the kink at 0, "
                              "where x +- eps straddles the corner")]
    rng = np.random.default_rng(1)  # kept, that sample alone would fail a right ReLU: the corner, not backward
    x = rng.normal(size=(8, 3))
    x[3, 1] = 4e-7
    assert layer_gradcheck(engine.ReLU(), x, rng.normal(size=(8, 3)))["input"] > 1e-2


def test_the_comparison_includes_a_batch_of_one_and_a_shared_parameter(tmp_path):
    report = check("linear-backward", write(tmp_path, "linear-backward", get("linear-backward").solution()))
    against = report.found[3]
    assert "(1, 1), (1, 4)" in against.text and "shared by two layers" in against.text


def test_an_error_in_the_learners_code_names_its_line_and_shows_no_traceback(tmp_path, monkeypatch):
    write(tmp_path, "tanh-backward", edited("tanh-backward", [("return grad_output * (1 - self.t**2)",
                                                                "return grad_output * (1 - self.tt**2)")]))
    result = run("exercise", "check", "tanh-backward", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert re.search(r"FAIL shapes: AttributeError: .* at line \d+ of tanh_backward.py: `return grad_output "
                     r"\* \(1 - self.tt\*\*2\)`", flat(result.output)), result.output


def test_a_file_that_does_not_load_fails_the_first_check(tmp_path, monkeypatch):
    write(tmp_path, "relu-backward", "def broken(:\n")
    result = run("exercise", "check", "relu-backward", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1 and "FAIL  loads: SyntaxError" in result.output
    write(tmp_path, "relu-backward", "import numpy as np\n")
    result = run("exercise", "check", "relu-backward", cwd=tmp_path, monkeypatch=monkeypatch)
    assert "FAIL  loads: relu_backward.py defines no ReLU" in result.output


def test_the_new_layer_trains_registered_and_the_table_is_left_as_it_was(tmp_path):
    class Other(engine.Module):
        name = "silu"

    kinds.register_activation(Other)
    try:
        report = check("silu-layer", write(tmp_path, "silu-layer", get("silu-layer").solution()))
        assert report.passed and "registered as 'silu'" in report.found[-1].text
        assert kinds.ACTIVATIONS["silu"] is Other and kinds.kind_of(Other()).cls is Other
    finally:
        del kinds.ACTIVATIONS["silu"]
    check("silu-layer", tmp_path / "silu_layer.py")
    assert "silu" not in kinds.ACTIVATIONS


# --- the command line ---

def test_list_and_its_json(monkeypatch, tmp_path):
    result = run("exercise", "list")
    assert result.output.splitlines()[0].startswith("relu-backward  ")
    rows = json.loads(run("exercise", "list", "--json").output)
    assert [row["name"] for row in rows] == NAMES and all(row["summary"] for row in rows)


def test_start_writes_here_or_into_dir_and_never_overwrites(tmp_path, monkeypatch):
    result = run("exercise", "start", "relu-backward", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 0 and (tmp_path / "relu_backward.py").read_text() == get("relu-backward").stub()
    (tmp_path / "relu_backward.py").write_text("my work")
    result = run("exercise", "start", "relu-backward")
    assert result.exit_code == 1
    assert result.output.startswith("Error: relu_backward.py exists already and is kept as it is")
    assert (tmp_path / "relu_backward.py").read_text() == "my work"
    (tmp_path / "sub").mkdir()
    assert run("exercise", "start", "adam-step", "--dir", "sub").exit_code == 0
    assert (tmp_path / "sub" / "adam_step.py").is_file()
    assert run("exercise", "start", "adam-step", "--dir", "missing").exit_code == 2


def test_check_exits_1_on_a_stub_and_0_on_the_printed_solution(tmp_path, monkeypatch):
    run("exercise", "start", "mse-backward", cwd=tmp_path, monkeypatch=monkeypatch)
    result = run("exercise", "check", "mse-backward")
    assert result.exit_code == 1 and "not written yet: MSELoss.backward" in result.output
    solution = run("exercise", "solution", "mse-backward").output
    (tmp_path / "mine.py").write_text(solution)
    result = run("exercise", "check", "mse-backward", "mine.py")
    assert result.exit_code == 0 and flat(result.output).endswith(
        "every check passes: mse-backward is done. Next: tinynet exercise start bce-backward")


def test_check_without_the_file_or_with_an_unknown_name(tmp_path, monkeypatch):
    result = run("exercise", "check", "relu-backward", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1 and result.output == (
        "Error: no file relu_backward.py: write it with `tinynet exercise start relu-backward` first, "
        "or give its path\n")
    assert run("exercise", "check", "no-such").exit_code == 2


# --- docs/exercises.md walks through the first exercise with outputs that are true ---

DOC = (ENGINE.parent.parent / "docs" / "exercises.md").read_text()


def test_the_walk_through_shows_what_check_prints_for_each_attempt(tmp_path, monkeypatch):
    stub = get("relu-backward").stub()
    fenced = re.findall(r"```(\w+)\n(.*?)```", DOC, re.DOTALL)  # (language, text) of each block, in order
    blocks = [(code, shown) for (language, code), (after, shown) in itertools.pairwise(fenced)
              if (language, after) == ("python", "text")]
    assert len(blocks) == 2
    for attempt, shown in blocks:
        write(tmp_path, "relu-backward", stub[:stub.index("    def forward")] + attempt)
        result = run("exercise", "check", "relu-backward", cwd=tmp_path, monkeypatch=monkeypatch)
        assert result.output == shown
    # the stub as the walk-through shows it: the docstring's example elided ("..."), since the docs' doctests
    # would run it (its expected output would run on into the closing quotes)
    shown = re.search(r"```python\n(class ReLU.*?)```", DOC, re.DOTALL).group(1)
    example = re.search(r"\n\n    >>> .*?\n    (?=\"\"\")", stub, re.DOTALL).group(0)
    assert shown == stub[stub.index("class ReLU"):].replace(example, "\n    ...\n    ")


def test_the_walk_through_names_every_hint():
    assert all(title in " ".join(DOC.split()) for title, _ in HINTS.values())
