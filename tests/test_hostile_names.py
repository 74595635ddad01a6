"""Column names from a file are shown, never obeyed (issue 20 item 17).

A model file (or a CSV header) may name its columns with an escape sequence
that clears the screen, or a newline that forges a line of output such as
"parameters: 0". Wherever such a name is shown (inspect, predict's header and
messages, train --resume, errors, pictures) it is written escaped, as Python
writes a string (``tinynet.checks.shown``); an ordinary name is left as it is.
"""

import numpy as np
import pytest
from click.testing import CliRunner
from test_cli import write_csv

import tinynet
from cli.main import cli
from tinynet.checks import shown

CLEARS, FORGES = "a\x1b[2J\x1b[H", "b\nparameters: 0"  # clears the screen; forges a line of inspect's


def run(*args):
    """``tinynet *args`` with escape sequences kept, as a terminal would receive them (click strips them
    from output that is not a terminal, but a newline it never strips)."""
    return CliRunner().invoke(cli, [str(a) for a in args], color=True)


@pytest.fixture
def hostile_model(tmp_path):
    model = tinynet.mlp([2, 3, 1], "relu", seed=0)
    model.feature_names = [CLEARS, FORGES]
    path = tmp_path / "hostile.npz"
    tinynet.save(model, path)
    return path


def assert_shown_not_obeyed(text: str) -> None:
    assert "\x1b" not in text  # no escape sequence reaches the terminal
    assert "\nparameters: 0" not in text  # no line forged
    assert r"'a\x1b[2J\x1b[H'" in text and r"'b\nparameters: 0'" in text  # both names, escaped


def test_shown_escapes_only_what_a_terminal_would_obey():
    assert shown("age") == "age" and shown("température") == "température" and shown("a b") == "a b"
    assert shown(CLEARS) == r"'a\x1b[2J\x1b[H'" and shown(FORGES) == r"'b\nparameters: 0'"
    assert shown("temp\udcff") == r"'temp\udcff'"  # a header that was not UTF-8: printable, to the end
    assert shown("tab\there") == r"'tab\there'"


def test_inspect_shows_the_names_escaped(hostile_model):
    result = run("inspect", hostile_model)
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)
    assert [line for line in result.stdout.splitlines() if line.startswith("parameters:")] == ["parameters: 13"]


def test_predict_escapes_the_names_in_its_header(hostile_model, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(f'"{CLEARS}","{FORGES}",id\n1,2,x\n3,4,y\n')  # the model's columns, found by name
    result = run("predict", hostile_model, "--input", path)
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[0].endswith(",id,prediction")  # a header line and a line per row
    expected = tinynet.predict(tinynet.load(hostile_model), np.array([[1.0, 2.0], [3.0, 4.0]]))[:, 0]
    assert [float(line.split(",")[-1]) for line in lines[1:]] == expected.tolist()


@pytest.mark.parametrize("command", ["predict", "train --resume", "inspect --data"])
def test_a_missing_column_is_said_on_one_line_with_the_names_escaped(hostile_model, tmp_path, command):
    data = write_csv(tmp_path / "other.csv", ["p", "q", "y"], [[1, 2, 3], [4, 5, 6]])
    args = {"predict": ("predict", hostile_model, "--input", data),
            "train --resume": ("train", "--data", data, "--resume", hostile_model, "--epochs", "5"),
            "inspect --data": ("inspect", hostile_model, "--data", data)}[command]
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert_shown_not_obeyed(result.stderr)
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and "was trained on columns 'a\\x1b[2J\\x1b[H', 'b\\nparameters: 0'" in line


def test_a_name_that_is_matplotlib_math_is_drawn_as_written(tmp_path):
    # "$\frac{$" in a CSV header stopped the picture with a parse error of several lines, after training
    pytest.importorskip("matplotlib")
    x = np.linspace(-1, 1, 50)
    data = write_csv(tmp_path / "math.csv", ["$\\frac{$", "y"], zip(x, np.abs(x)))
    result = run("train", "--data", data, "--hidden", "4", "--epochs", "20", "--plot", tmp_path / "fit.png",
                 "--save", tmp_path / "m.npz")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fit.png").read_bytes().startswith(b"\x89PNG")
    result = run("inspect", tmp_path / "m.npz", "--plot", tmp_path / "hinges.png")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "hinges.png").read_bytes().startswith(b"\x89PNG")
