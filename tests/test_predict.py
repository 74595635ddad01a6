"""tinynet predict on the inputs people really have: other columns of any kind, extreme values,
a closed stdin, a model whose output overflows, an input that already has a "prediction" column."""

import csv
import io
import os
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
from cli.main import cli


def run(*args, input=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input, prog_name="tinynet")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def error_line(result, code: int = 1) -> str:
    """The one "Error:" line on stderr; nothing else there (no numpy RuntimeWarning) and nothing on stdout."""
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""
    return result.stderr


def read_output(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def named_model(tmp_path):
    """A model that reads columns a and b by name, as `tinynet train --data FILE.csv` saves it."""
    model = tinynet.mlp([2, 3, 1], "tanh", seed=0)
    model.feature_names = ["a", "b"]
    path = tmp_path / "ab.npz"
    tinynet.save(model, path)
    return str(path), model


def test_columns_the_model_does_not_use_may_hold_anything(tmp_path, named_model):
    path, model = named_model
    inputs = tmp_path / "in.csv"
    # an id column of names, an empty target column, a column of notes: none of them is read
    inputs.write_text('id,b,y,a,notes\nalice,2,,1,"n/a, see below"\nbob,-1,,0.5,\n')
    result = run("predict", path, "--input", inputs)
    assert result.exit_code == 0, result.output
    header, *rows = read_output(result.stdout)
    assert header == ["id", "b", "y", "a", "notes", "prediction"]
    assert [row[:5] for row in rows] == [["alice", "2.0", "", "1.0", "n/a, see below"], ["bob", "-1.0", "", "0.5", ""]]
    expected = tinynet.predict(model, np.array([[1.0, 2.0], [0.5, -1.0]]))  # the model's order: a, b
    np.testing.assert_array_equal([float(row[5]) for row in rows], expected[:, 0])


def test_a_column_the_model_uses_must_still_be_numbers(tmp_path, named_model):
    inputs = tmp_path / "in.csv"
    inputs.write_text("id,a,b\nalice,1,oops\n")
    assert "line 2: column 'b' holds 'oops'" in error_line(run("predict", named_model[0], "--input", inputs))


def test_an_input_column_named_prediction_is_not_repeated(tmp_path, named_model):
    result = run("predict", named_model[0], "--input", "-", input="a,b,prediction\n1,2,0.5\n")
    assert result.exit_code == 0, result.output
    header, row = read_output(result.stdout)
    assert header == ["a", "b", "prediction", "prediction.1"]  # the old column kept, the new one named apart
    assert row[2] == "0.5"
    result = run("predict", named_model[0], "--input", "-", input="a,b,prediction,prediction.1\n1,2,0.5,0.6\n")
    assert read_output(result.stdout)[0][-1] == "prediction.2"


def test_a_value_too_large_for_a_float32_model_names_file_column_and_reason(tmp_path):
    model = tinynet.mlp([1, 3, 1], seed=0, dtype=np.float32)
    tinynet.save(model, tmp_path / "m32.npz")
    inputs = tmp_path / "big.csv"
    inputs.write_text("x\n1\n1e39\n")
    message = error_line(run("predict", tmp_path / "m32.npz", "--input", inputs))
    assert f"{inputs}: column 'x' holds 1e+39, too large for float32" in message
    assert "NaN or infinite" not in message


def test_an_output_that_overflows_names_its_lines_and_exits_1(tmp_path):
    # weights near the largest float64: x = 0.5, 1 and 3 overflow to inf, x = -1 is switched off by the ReLU
    model = tinynet.Sequential(tinynet.Linear.from_weights([[1e308]], [0.0]), tinynet.ReLU(),
                               tinynet.Linear.from_weights([[10.0]], [0.0]))
    tinynet.save(model, tmp_path / "huge.npz")
    message = error_line(run("predict", tmp_path / "huge.npz", "--input", "-", input="x\n0.5\n1\n-1\n3\n"))
    assert "inf or nan for 3 of 4 rows" in message
    assert "lines 2, 3, 5" in message


def test_many_rows_that_overflow_are_counted_not_all_listed(tmp_path):
    model = tinynet.Sequential(tinynet.Linear.from_weights([[1e308]], [0.0]), tinynet.Linear.from_weights([[10.0]]))
    tinynet.save(model, tmp_path / "huge.npz")
    message = error_line(run("predict", tmp_path / "huge.npz", "--input", "-", input="x\n" + "1\n" * 50))
    assert "50 of 50 rows" in message and "lines 2, 3, 4" in message and "and 40 more" in message


def test_a_closed_stdin_is_one_error_line(tmp_path, named_model):
    command = [sys.executable, "-c", "from cli.main import main; main()", "predict", named_model[0], "--input", "-"]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run(command, preexec_fn=lambda: os.close(0), capture_output=True, text=True, timeout=60,
                          cwd=root, check=False)  # as `tinynet predict model.npz --input - <&-`
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "stdin is closed" in done.stderr


def test_predict_finds_a_models_columns_by_the_rule_every_command_uses(named_model):
    # predict, train --resume and inspect --data and --plot all pick a named model's columns through this function
    from tinynet.io import columns_for_model

    assert columns_for_model(named_model[1], ["y", "b", "a"], "f.csv", "the model in m.npz") == ["a", "b"]
