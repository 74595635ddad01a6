"""The command line through click's CliRunner: every command, its output, its guard rails and its errors.

The nets here are small (--hidden 8, a few hundred epochs) so the whole file
runs in seconds; the lesson's facts at the default settings are tested on
the engine in test_lesson.py.
"""

import json
import os
import re
import sys

import click
import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
from cli.main import cli

FAST = ("--hidden", "8", "--epochs", "300")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COMMANDS = ("compare", "train", "predict", "inspect", "gradcheck")
# seed 0 in the quick loop (python -m pytest -m "not slow"); every seed in the full run
SEEDS = [0, *(pytest.param(seed, marks=pytest.mark.slow) for seed in range(1, 5))]


def run(*args, input=None):
    """Invoke ``tinynet *args`` in-process; stdout and stderr are kept apart (result.stdout, result.stderr)."""
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input, prog_name="tinynet")
    # CliRunner catches any exception, so a traceback would never reach the output:
    # check instead that the command ended through sys.exit, as the real one must
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"tinynet {' '.join(map(str, args))} raised {result.exception!r}\n{result.output}"
    )
    return result


def ok(*args, input=None):
    result = run(*args, input=input)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def assert_error(result, code: int, *fragments: str) -> str:
    """One "Error:" line on stderr containing every fragment, the exit code, and no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment.lower() in errors[0].lower(), errors[0]
    return errors[0]


def write_csv(path, header, rows) -> str:
    with open(path, "w") as file:
        file.write(",".join(header) + "\n")
        file.writelines(",".join(repr(float(v)) for v in row) + "\n" for row in rows)
    return str(path)


@pytest.fixture
def big_units_csv(tmp_path):
    """y = 3x + 5000 + noise with x in [1000, 2000]: far from mean 0 and variance 1."""
    x = np.linspace(1000.0, 2000.0, 200)
    y = 3 * x + 5000 + np.random.default_rng(0).normal(0.0, 5.0, x.size)
    path = write_csv(tmp_path / "big.csv", ["x", "y"], zip(x, y))
    return path, x.reshape(-1, 1), y.reshape(-1, 1)


@pytest.fixture
def abs_model(tmp_path):
    """A small ReLU model trained on |x| through the command line."""
    path = tmp_path / "abs.npz"
    ok("train", "--data", "abs", "--hidden", "4", "--epochs", "300", "--save", path)
    return str(path)


def mse_of(model, X, y) -> float:
    return float(np.mean((tinynet.predict(model, X) - y) ** 2))


# --- help and version -------------------------------------------------------------------------------------


def test_group_help_lists_every_command():
    result = ok("--help")
    assert "Usage:" in result.stdout
    assert "tinynet compare" in result.stdout  # the main job is named up front
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\s+\S", result.stdout, re.MULTILINE), f"{name} missing from --help"


def test_version():
    result = ok("--version")
    assert "tinynet" in result.stdout and tinynet.__version__ in result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_documents_every_option_and_its_default(name):
    result = ok(name, "--help")
    assert f"Usage: tinynet {name}" in result.stdout
    command = cli.commands[name]
    assert command.help and command.help.strip()
    parent = click.Context(cli, info_name="tinynet", show_default=True)
    ctx = click.Context(command, info_name=name, parent=parent)
    for option in command.params:
        if not isinstance(option, click.Option) or option.name == "help":
            continue
        assert option.opts[0] in result.stdout
        assert option.help and option.help.strip(), f"{name} {option.opts[0]} has no help text"
        default = option.get_default(ctx, call=False)  # not option.default: newer click keeps a sentinel there
        off_flag = option.is_flag and not option.secondary_opts and not default
        has_default = default is not None or isinstance(option.show_default, str)
        if has_default and not off_flag and not option.required:
            _, text = option.get_help_record(ctx)
            assert "[default:" in text, f"{name} {option.opts[0]} does not show its default: {text!r}"


# --- train ------------------------------------------------------------------------------------------------


def test_train_prints_mse_time_and_linear_pieces():
    result = ok("train", *FAST)
    out = result.stdout
    assert re.search(r"final training MSE:\s+[0-9.e+-]+", out)
    assert re.search(r"time:\s+[0-9.]+ s \(300 epochs\)", out)
    assert re.search(r"linear pieces:\s+\d+ on \[", out)
    assert result.stderr == ""  # not a terminal: no progress bar, and no warning for a sound ReLU net


def test_train_json_is_one_object_with_the_promised_keys():
    result = ok("train", *FAST, "--json")
    report = json.loads(result.stdout)  # the whole of stdout is one JSON value
    assert isinstance(report, dict)
    for key in ("final_loss", "epochs", "seconds", "activation", "hidden", "linear_pieces"):
        assert key in report
    assert report["epochs"] == 300
    assert report["activation"] == "relu"
    assert report["hidden"] == [8]
    assert isinstance(report["linear_pieces"], int) and report["linear_pieces"] >= 1
    assert report["final_loss"] > 0 and report["seconds"] >= 0


def test_train_json_stays_parseable_when_a_warning_is_printed():
    result = ok("train", *FAST, "--activation", "identity", "--json")
    assert json.loads(result.stdout)["activation"] == "identity"
    assert "Warning:" in result.stderr


def test_train_sigmoid_has_no_linear_pieces():
    result = ok("train", *FAST, "--activation", "sigmoid", "--json")
    assert json.loads(result.stdout)["linear_pieces"] is None
    assert "linear pieces" not in ok("train", *FAST, "--activation", "sigmoid").stdout


def test_train_reports_the_mse_of_the_saved_model(tmp_path):
    path = tmp_path / "sin.npz"
    report = json.loads(ok("train", *FAST, "--json", "--save", path).stdout)
    X, y = tinynet.make_dataset("sin")
    model = tinynet.load(path)
    assert report["final_mse"] == pytest.approx(mse_of(model, X, y), rel=1e-9)
    assert report["linear_pieces"] == tinynet.linear_pieces(model, float(X.min()), float(X.max()))


def test_train_on_a_csv_with_a_constant_input_column(tmp_path):
    path = write_csv(tmp_path / "flat.csv", ["x", "y"], [(1.0, 2.0), (1.0, 3.0), (1.0, 4.0)])
    report = json.loads(ok("train", "--data", path, *FAST, "--json").stdout)
    assert report["final_mse"] == pytest.approx(2 / 3, rel=1e-3)  # the best constant is the mean, 3


# --- CSV data and standardisation -------------------------------------------------------------------------


def test_csv_is_standardized_and_reported_in_its_own_units(tmp_path, big_units_csv):
    csv_path, X, y = big_units_csv
    model_path = tmp_path / "big.npz"
    report = json.loads(ok("train", "--data", csv_path, *FAST, "--json", "--save", model_path).stdout)
    model = tinynet.load(model_path)
    assert any(isinstance(layer, tinynet.Standardize) for layer in model)
    # the reported MSE is the saved model's, on the raw data, in y's units
    assert report["final_mse"] == pytest.approx(mse_of(model, X, y), rel=1e-9)
    assert report["final_mse"] < 0.05 * y.var()
    assert report["range"] == [1000.0, 2000.0]
    # the saved model takes raw x and gives y in its own units
    prediction = tinynet.predict(model, X)
    assert np.abs(prediction - y).mean() < 0.1 * y.std()
    # breakpoints are in x's units: those inside [1000, 2000] are the pieces the training counted
    info = json.loads(ok("inspect", model_path, "--json").stdout)
    inside = [b for b in info["breakpoints"] if 1000 < b < 2000]
    assert len(inside) == report["linear_pieces"] - 1
    assert "standardised inside the model" in ok("inspect", model_path).stdout


def test_no_standardize_trains_on_the_raw_numbers(tmp_path, big_units_csv):
    csv_path, _, _ = big_units_csv
    scaled = json.loads(ok("train", "--data", csv_path, *FAST, "--json").stdout)
    raw_path = tmp_path / "raw.npz"
    result = run("train", "--data", csv_path, *FAST, "--json", "--no-standardize", "--save", raw_path)
    if result.exit_code == 0:
        raw = json.loads(result.stdout)
        assert raw["final_mse"] > 10 * scaled["final_mse"]
        assert not any(isinstance(layer, (tinynet.Standardize, tinynet.Unstandardize))
                       for layer in tinynet.load(raw_path))
    else:  # raw numbers in the thousands may also blow training up: then it must say so
        assert_error(result, 1, "learning rate")


def test_every_dataset_is_standardized_unless_told_not_to(tmp_path):
    plain, scaled = tmp_path / "plain.npz", tmp_path / "scaled.npz"
    ok("train", *FAST, "--save", plain, "--no-standardize")
    ok("train", *FAST, "--save", scaled)
    assert not any(isinstance(layer, tinynet.Standardize) for layer in tinynet.load(plain))
    assert isinstance(tinynet.load(scaled)[0], tinynet.Standardize)


def test_compare_on_csv_reports_mse_in_the_data_units(big_units_csv):
    csv_path, X, y = big_units_csv
    rows = json.loads(ok("compare", "--data", csv_path, *FAST, "--json").stdout)
    by_activation = {row["activation"]: row for row in rows}
    A = np.hstack([X, np.ones_like(X)])  # (N, 2): x and a column of ones for the intercept
    residual = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
    assert by_activation[None]["mse"] == pytest.approx(float(np.mean(residual**2)), rel=1e-6)
    assert by_activation["identity"]["mse"] == pytest.approx(by_activation[None]["mse"], rel=0.05)


# --- validation and resume --------------------------------------------------------------------------------


def test_val_fraction_reports_validation_mse():
    result = ok("train", *FAST, "--val-fraction", "0.25")
    assert re.search(r"validation MSE:\s+[0-9.e+-]+", result.stdout)
    report = json.loads(ok("train", *FAST, "--val-fraction", "0.25", "--json").stdout)
    assert report["val_mse"] > 0
    assert report["samples"] == 384  # 512 - 128 held out


def test_resume_continues_training_and_keeps_the_architecture(tmp_path):
    first, second = tmp_path / "first.npz", tmp_path / "second.npz"
    before = json.loads(ok("train", "--hidden", "8", "--epochs", "200", "--json", "--save", first).stdout)
    # --hidden 32,32 (the default) is ignored: the saved model's architecture wins
    after = json.loads(ok("train", "--epochs", "200", "--json", "--resume", first, "--save", second).stdout)
    assert after["final_mse"] <= before["final_mse"]
    assert after["hidden"] == [8]
    X, y = tinynet.make_dataset("sin")
    assert mse_of(tinynet.load(second), X, y) == pytest.approx(after["final_mse"], rel=1e-9)
    assert [repr(layer) for layer in tinynet.load(second)] == [repr(layer) for layer in tinynet.load(first)]


def test_resume_with_data_of_other_shape_is_refused(tmp_path, abs_model):
    path = write_csv(tmp_path / "two.csv", ["a", "b", "y"], [(0, 1, 2), (1, 2, 3), (2, 3, 5)])
    result = run("train", "--data", path, "--resume", abs_model, "--epochs", "10")
    assert_error(result, 1, "input", "resume")


# --- guard rails ------------------------------------------------------------------------------------------


def test_warns_when_every_hidden_activation_is_identity():
    result = ok("train", *FAST, "--activation", "identity")
    assert "final training MSE" in result.stdout
    assert "Warning:" in result.stderr and "least squares" in result.stderr
    assert "Warning:" not in result.stdout


def test_warns_about_a_sigmoid_output_with_targets_outside_0_1():
    result = ok("train", *FAST, "--output-activation", "sigmoid")
    assert "final training MSE" in result.stdout
    assert "Warning:" in result.stderr and "sigmoid" in result.stderr


def test_no_sigmoid_warning_for_targets_in_0_1(tmp_path):
    x = np.linspace(-1, 1, 50)
    path = write_csv(tmp_path / "p.csv", ["x", "p"], zip(x, (x > 0).astype(float)))
    result = ok("train", "--data", path, *FAST, "--output-activation", "sigmoid", "--loss", "bce")
    assert "sigmoid" not in result.stderr


def test_warns_when_most_relu_units_are_dead(tmp_path):
    # every first-layer bias far below zero: no unit is ever on for x in [-pi, pi], nor can it recover
    model = tinynet.mlp([1, 8, 1], "relu", seed=0)
    model[0].bias.data[...] = -100.0
    path = tmp_path / "dead.npz"
    tinynet.save(model, path)
    result = ok("train", "--resume", path, "--epochs", "5")
    assert "final training MSE" in result.stdout
    assert re.search(r"Warning: 8 of 8 ReLU units are dead", result.stderr)


# --- compare ----------------------------------------------------------------------------------------------


def test_compare_prints_the_table_and_the_lesson():
    result = ok("compare", *FAST)
    lines = result.stdout.splitlines()
    header = lines[0].split()
    assert header[:2] == ["model", "activation"] and "MSE" in lines[0] and "pieces" in lines[0]
    rows = lines[1:5]
    assert rows[0].startswith("least squares")
    # the columns from the right: activation, train MSE, linear pieces, time ("0.12 s")
    assert [row.split()[-5] for row in rows[1:]] == ["identity", "relu", "sigmoid"]
    assert all(row.endswith(" s") for row in rows)
    lesson = lines[-1]
    assert "identity net" in lesson and "least squares" in lesson and "ReLU net" in lesson


def test_compare_json_rows():
    rows = json.loads(ok("compare", *FAST, "--json").stdout)
    assert [row["activation"] for row in rows] == [None, "identity", "relu", "sigmoid"]
    for row in rows:
        assert {"model", "activation", "mse", "linear_pieces", "seconds"} <= set(row)
    least, identity, relu, sigmoid = rows
    assert least["model"] == "least squares" and least["linear_pieces"] == 1
    assert identity["mse"] == pytest.approx(least["mse"], rel=1e-3)  # one affine map: a tie at best
    assert identity["linear_pieces"] == 1
    assert relu["linear_pieces"] > 1 and sigmoid["linear_pieces"] is None


# --- predict ----------------------------------------------------------------------------------------------


def read_predictions(text: str) -> tuple[list[str], np.ndarray]:
    lines = text.strip().splitlines()
    return lines[0].split(","), np.array([[float(v) for v in line.split(",")] for line in lines[1:]])


def test_predict_writes_csv_with_a_prediction_column(tmp_path, abs_model):
    inputs = write_csv(tmp_path / "x.csv", ["x"], [(-0.5,), (0.0,), (0.25,)])
    header, table = read_predictions(ok("predict", abs_model, "--input", inputs).stdout)
    assert header == ["x", "prediction"]
    expected = tinynet.predict(tinynet.load(abs_model), np.array([[-0.5], [0.0], [0.25]]))
    np.testing.assert_array_equal(table[:, 1:], expected)
    np.testing.assert_array_equal(table[:, :1], [[-0.5], [0.0], [0.25]])


def test_predict_reads_stdin(abs_model):
    result = ok("predict", abs_model, "--input", "-", input="x\n-0.5\n0.25\n")
    header, table = read_predictions(result.stdout)
    assert header == ["x", "prediction"]
    expected = tinynet.predict(tinynet.load(abs_model), np.array([[-0.5], [0.25]]))
    np.testing.assert_array_equal(table[:, 1:], expected)


def test_predict_in_the_original_units_of_a_standardized_model(tmp_path, big_units_csv):
    csv_path, _, _ = big_units_csv
    model_path = tmp_path / "big.npz"
    ok("train", "--data", csv_path, *FAST, "--save", model_path)
    inputs = write_csv(tmp_path / "x.csv", ["x"], [(1200.0,), (1800.0,)])
    _, table = read_predictions(ok("predict", model_path, "--input", inputs).stdout)
    np.testing.assert_allclose(table[:, 1], [3 * 1200 + 5000, 3 * 1800 + 5000], rtol=0.02)


# --- inspect ----------------------------------------------------------------------------------------------


def test_inspect_shows_architecture_parameters_activation_and_breakpoints(abs_model):
    out = ok("inspect", abs_model).stdout
    assert "Linear(in_features=1, out_features=4" in out and "ReLU()" in out
    assert re.search(r"parameters:\s+13\b", out)  # 1*4 + 4 + 4*1 + 1
    assert re.search(r"activation:\s+relu", out)
    model = tinynet.load(abs_model)
    breaks = tinynet.breakpoints(model, -np.inf, np.inf)
    assert re.search(rf"\b{len(breaks)} breakpoints?\b", out)
    assert re.search(rf"\b{len(breaks) + 1} linear pieces?\b", out)


def test_inspect_collapses_an_identity_model(tmp_path):
    model = tinynet.mlp([2, 4, 4, 1], "identity", seed=0)
    path = tmp_path / "ident.npz"
    tinynet.save(model, path)
    out = ok("inspect", path).stdout
    assert "y = x @ W + b" in out
    assert re.search(r"activation:\s+identity", out)
    line = tinynet.collapse(model)
    info = json.loads(ok("inspect", path, "--json").stdout)
    np.testing.assert_allclose(info["collapsed"]["W"], line.weight.data)
    np.testing.assert_allclose(info["collapsed"]["b"], line.bias.data)
    assert "breakpoints" not in info  # two inputs: no breakpoints on a line


def test_inspect_exact_abs_has_one_breakpoint_at_zero(tmp_path):
    path = tmp_path / "exact_abs.npz"
    tinynet.save(tinynet.exact_abs(), path)
    out = ok("inspect", path).stdout
    assert re.search(r"\b1 breakpoint\b", out) and re.search(r"\b2 linear pieces\b", out)
    assert re.search(r"breakpoints.*:\s*-?0$", out, re.MULTILINE)
    info = json.loads(ok("inspect", path, "--json").stdout)
    assert info["linear_pieces"] == 2
    assert len(info["breakpoints"]) == 1 and abs(info["breakpoints"][0]) < 1e-12
    assert info["parameters"] == 4


# --- gradcheck --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", sorted(tinynet.ACTIVATIONS))
def test_gradcheck_passes_and_prints_every_parameter(activation):
    out = ok("gradcheck", "--activation", activation, "--hidden", "3,4").stdout
    for name in ("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "input"):
        match = re.search(rf"^\s+{re.escape(name)}\s+(< 1e-7|[0-9.]+e[+-]\d+)$", out, re.MULTILINE)
        assert match, f"no error printed for {name}:\n{out}"
        assert match.group(1) == "< 1e-7" or float(match.group(1)) < 1e-6


# --- errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, fragments", [
    (("train", "--activation", "foo"), ("--activation", "foo")),
    (("compare", "--activation", "relu"), ("--activation",)),
    (("gradcheck", "--activation", "foo"), ("--activation", "foo")),
    (("train", "--data", "nope"), ("--data", "nope", "built-in")),
    (("compare", "--data", "nope"), ("--data", "nope")),
    (("train", "--hidden", "32,x"), ("--hidden", "32,x", "32,32")),
    (("train", "--hidden", "0"), ("--hidden", "positive")),
    (("train", "--hidden", "-4"), ("--hidden",)),
    (("gradcheck", "--hidden", "3,,3"), ("--hidden",)),
    (("train", "--lr", "0"), ("--lr",)),
    (("train", "--lr", "-0.1"), ("--lr",)),
    (("compare", "--lr", "0"), ("--lr",)),
    (("train", "--epochs", "0"), ("--epochs",)),
    (("compare", "--epochs", "0"), ("--epochs",)),
    (("train", "--batch-size", "0"), ("--batch-size",)),
    (("train", "--target", "y"), ("--target", "csv")),
    (("train", "--save", "no/such/folder/m.npz"), ("--save", "folder")),
    (("train", "--val-fraction", "1.5"), ("--val-fraction",)),
    (("train", "--optimizer", "rmsprop"), ("--optimizer",)),
    (("predict", "m.npz"), ("--input",)),
    (("frobnicate",), ("frobnicate",)),
])
def test_usage_errors_exit_2(args, fragments):
    assert_error(run(*args), 2, *fragments)


def bad_csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("name, text, fragments", [
    ("letters.csv", "x,y\n1,2\n3,abc\n", ("line 3", "abc", "not a number")),
    ("ragged.csv", "x,y\n1,2\n3\n", ("line 3",)),
    ("empty.csv", "", ("empty",)),
    ("header_only.csv", "x,y\n", ("no rows",)),
    ("one_column.csv", "x\n1\n2\n", ("one column", "two")),
    ("nan.csv", "x,y\n1,2\n3,nan\n", ("nan",)),
    ("no_header.csv", "1,2\n3,4\n", ("header",)),
])
def test_malformed_csv_exits_1(tmp_path, name, text, fragments):
    path = bad_csv(tmp_path, name, text)
    line = assert_error(run("train", "--data", path, *FAST), 1, *fragments)
    assert name in line


def test_missing_csv_exits_1(tmp_path):
    path = tmp_path / "missing.csv"
    assert_error(run("train", "--data", path, *FAST), 1, "missing.csv", "no such file")
    assert_error(run("compare", "--data", path, *FAST), 1, "missing.csv", "no such file")


def test_unknown_target_column_exits_1(big_units_csv):
    csv_path, _, _ = big_units_csv
    assert_error(run("train", "--data", csv_path, "--target", "price", *FAST), 1, "price", "'x'")


def test_a_file_that_is_not_a_model_exits_1(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("hello, not a model\n")
    inputs = write_csv(tmp_path / "x.csv", ["x"], [(1.0,)])
    assert_error(run("inspect", path), 1, "notes.npz", "not a tinynet model")
    assert_error(run("predict", path, "--input", inputs), 1, "notes.npz", "not a tinynet model")
    assert_error(run("train", "--resume", path, "--epochs", "5"), 1, "notes.npz", "not a tinynet model")


def test_a_plain_npz_is_not_a_model(tmp_path):
    path = tmp_path / "arrays.npz"
    np.savez(path, weights=np.ones(3))
    assert_error(run("inspect", path), 1, "arrays.npz", "not a tinynet model")


def test_a_missing_model_file_exits_1(tmp_path):
    assert_error(run("inspect", tmp_path / "gone.npz"), 1, "gone.npz")


def test_predict_refuses_features_that_do_not_match_a_model_without_names(tmp_path):
    model_path = tmp_path / "unnamed.npz"
    tinynet.save(tinynet.mlp([1, 4, 1]), model_path)  # saved from Python: no column names
    inputs = write_csv(tmp_path / "two.csv", ["x", "z"], [(0.5, 1.0), (0.25, 2.0)])
    assert_error(run("predict", model_path, "--input", inputs), 1, "2 column", "expects 1 feature")


def test_predict_finds_a_trained_models_columns_by_name(tmp_path):
    rows = [(a, b, 2 * a + b) for a, b in [(1, 2), (2, 1), (3, 3), (4, 1), (0, 2), (1, 1)]]
    data = write_csv(tmp_path / "ab.csv", ["a", "b", "y"], rows)
    model_path = tmp_path / "ab.npz"
    ok("train", "--data", data, *FAST, "--save", model_path)
    assert "input columns: a, b" in ok("inspect", model_path).stdout
    # the training file itself (with its target column) and the columns swapped give the same predictions
    _, same_file = read_predictions(ok("predict", model_path, "--input", data).stdout)
    swapped = write_csv(tmp_path / "ba.csv", ["b", "a"], [(b, a) for a, b, _ in rows])
    _, by_name = read_predictions(ok("predict", model_path, "--input", swapped).stdout)
    np.testing.assert_array_equal(same_file[:, -1], by_name[:, -1])
    expected = tinynet.predict(tinynet.load(model_path), np.array([(a, b) for a, b, _ in rows], dtype=float))
    np.testing.assert_array_equal(by_name[:, -1], expected[:, 0])
    # a column the model needs and the file lacks is named
    only_a = write_csv(tmp_path / "a.csv", ["a", "c"], [(1.0, 2.0)])
    assert_error(run("predict", model_path, "--input", only_a), 1, "no column 'b'", "trained on columns a, b")
    # and resuming on data with other columns is refused
    other = write_csv(tmp_path / "cd.csv", ["c", "d", "y"], rows)
    assert_error(run("train", "--data", other, *FAST, "--resume", model_path), 1, "trained on columns a, b")


def test_predict_refuses_a_missing_input_file_like_a_missing_data_file(tmp_path, abs_model):
    assert_error(run("predict", abs_model, "--input", tmp_path / "gone.csv"), 1, "gone.csv", "no such file")


def test_predict_refuses_a_malformed_input(tmp_path, abs_model):
    inputs = bad_csv(tmp_path, "in.csv", "x\n0.5\nhello\n")
    assert_error(run("predict", abs_model, "--input", inputs), 1, "line 3", "hello")


# --- diverged runs ----------------------------------------------------------------------------------------

DIVERGE = ("--lr", "1e6", "--optimizer", "sgd", "--hidden", "8", "--epochs", "50")


def test_diverged_run_exits_1_with_advice_and_keeps_the_old_model(tmp_path):
    path = tmp_path / "model.npz"
    tinynet.save(tinynet.mlp([1, 3, 1], "tanh", seed=1), path)
    before = path.read_bytes()
    result = run("train", *DIVERGE, "--save", path)
    assert_error(result, 1, "lower the learning rate")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temporary file left behind


def test_diverged_run_saves_nothing(tmp_path):
    path = tmp_path / "model.npz"
    assert_error(run("train", *DIVERGE, "--save", path, "--json"), 1, "learning rate")
    assert not path.exists()


# --- plots ------------------------------------------------------------------------------------------------


def assert_png(path):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 5000  # two panels of axes, points and lines, not an empty image


def test_train_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "fit.png"
    result = ok("train", *FAST, "--plot", path)
    assert "final training MSE" in result.stdout
    assert_png(path)


def test_train_plot_of_a_csv_with_two_inputs_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    data = write_csv(tmp_path / "two.csv", ["a", "b", "y"], np.hstack([X, X[:, :1] * X[:, 1:]]))
    path = tmp_path / "fit.png"
    ok("train", "--data", data, *FAST, "--plot", path)
    assert_png(path)


def test_compare_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "compare.png"
    result = ok("compare", *FAST, "--plot", path)
    assert "least squares" in result.stdout
    assert_png(path)


@pytest.fixture
def no_matplotlib(monkeypatch):
    """Make ``import matplotlib`` fail, as it does where the plot extra is not installed."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)


@pytest.mark.parametrize("command", ["train", "compare"])
def test_plot_without_matplotlib_says_how_to_install_before_any_training(tmp_path, no_matplotlib, command):
    path = tmp_path / "fit.png"
    result = run(command, *FAST, "--plot", path, "--save" if command == "train" else "--quiet",
                 *([tmp_path / "m.npz"] if command == "train" else []))
    line = assert_error(result, 1, "matplotlib", "pip install")
    assert "plot" in line.replace("matplotlib", "")  # names the plot extra
    assert result.stdout == ""  # nothing trained, nothing printed, nothing saved
    assert os.listdir(tmp_path) == []


# --- progress bar -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("quiet", "as_json", "tty", "shown"), [
    (False, False, True, True),
    (True, False, True, False),
    (False, True, True, False),
    (False, False, False, False),
])
def test_progress_bar_only_for_a_person_at_a_terminal(monkeypatch, quiet, as_json, tty, shown):
    from cli.common import show_progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
    assert show_progress(quiet, as_json) is shown


def test_progress_callback_moves_the_bar_and_names_the_net(capsys):
    from cli.common import progress

    with progress(4, True) as callback:
        callback(1, 0.5)
        callback(2, 0.25, "training relu")
    assert "training relu" in capsys.readouterr().err
    with progress(4, False) as callback:
        assert callback is None


# --- found by trying to break it ----------------------------------------------------------------------------

def test_tinynet_alone_shows_the_help():
    result = run()
    assert result.exit_code == 0
    assert "Usage: tinynet" in result.stdout and "Error" not in result.output


def test_compare_on_data_that_lie_on_a_line_says_so(tmp_path):
    data = write_csv(tmp_path / "flat.csv", ["x", "y"], [(0, 0), (1, 0), (2, 0), (3, 0)])
    result = ok("compare", "--data", data, "--epochs", "30")
    assert "least squares is already exact" in result.stdout


def test_compare_on_a_single_row_has_no_pieces_to_count(tmp_path):
    pytest.importorskip("matplotlib")
    data = write_csv(tmp_path / "one.csv", ["x", "y"], [(1.0, 2.0)])
    rows = json.loads(ok("compare", "--data", data, "--epochs", "5", "--json").stdout)
    assert [row["linear_pieces"] for row in rows] == [None] * 4  # one x value: no interval to count pieces on
    ok("compare", "--data", data, "--epochs", "5", "--plot", tmp_path / "one.png")
    ok("train", "--data", data, "--epochs", "5", "--plot", tmp_path / "one.png")


@pytest.mark.parametrize(("target", "fragment"), [
    ("{tmp}/pipe", "not a regular file"),
    ("{tmp}/missing/m.npz", "does not exist"),
    ("{tmp}", "is a directory"),
])
@pytest.mark.parametrize("option", ["--save", "--plot"])
def test_outputs_that_cannot_be_written_are_refused_before_training(tmp_path, option, target, fragment):
    os.mkfifo(tmp_path / "pipe")  # stands in for a device: never test on the machine's own /dev
    os.mkfifo(tmp_path / "pipe.png")
    target = target.format(tmp=tmp_path) + (".png" if option == "--plot" and target != "{tmp}" else "")
    result = run("train", *FAST, option, target)
    assert_error(result, 2, option, fragment)
    assert "final training MSE" not in result.stdout


def test_save_through_a_symbolic_link_writes_the_file_it_names(tmp_path):
    real = tmp_path / "real.npz"
    tinynet.save(tinynet.mlp([1, 2, 1]), real)
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    ok("train", *FAST, "--save", link)
    assert link.is_symlink()
    assert tinynet.load(real)[1].out_features == 8  # the trained 1-8-1 model, not the old 1-2-1


def test_bce_needs_a_sigmoid_output_and_targets_in_0_1(tmp_path):
    assert_error(run("train", *FAST, "--loss", "bce"), 2, "--output-activation sigmoid")
    assert_error(run("train", *FAST, "--loss", "bce", "--output-activation", "sigmoid"), 1, "targets in [0, 1]")
    labels = write_csv(tmp_path / "labels.csv", ["x", "label"], [(x, float(x > 0)) for x in np.linspace(-1, 1, 40)])
    result = ok("train", "--data", labels, *FAST, "--loss", "bce", "--output-activation", "sigmoid", "--json")
    assert json.loads(result.stdout)["output_activation"] == "sigmoid"


def test_models_without_a_linear_layer_get_clear_answers(tmp_path):
    path = tmp_path / "relu_only.npz"
    tinynet.save(tinynet.Sequential(tinynet.ReLU()), path)
    assert "no Linear" in ok("inspect", path).stdout
    assert_error(run("train", "--data", "abs", "--resume", path), 1, "no Linear layer")
    assert ok("predict", path, "--input", "-", input="x\n-2\n3\n").stdout.splitlines()[1:] == ["-2.0,0.0", "3.0,3.0"]


@pytest.mark.parametrize("args", [("--seed", "-1"), ("--lr", "inf"), ("--lr", "nan")])
def test_seeds_and_rates_out_of_range_are_usage_errors(args):
    assert_error(run("train", *FAST, *args), 2, args[0])


def test_plot_kind_follows_the_file_name(tmp_path):
    pytest.importorskip("matplotlib")
    ok("train", *FAST, "--plot", tmp_path / "fit.svg")
    assert (tmp_path / "fit.svg").read_text().lstrip().startswith("<?xml")
    result = run("train", *FAST, "--plot", tmp_path / "fit.xyz")
    assert_error(result, 2, ".xyz", ".png")
    assert "final training MSE" not in result.stdout  # refused before any training


def test_counts_read_as_english():
    result = ok("train", "--data", "abs", "--hidden", "2", "--epochs", "1")
    assert "(1 epoch)" in result.stdout and "512 samples, 1 feature" in result.stdout


def test_data_can_come_from_a_pipe_read_once(tmp_path):
    import threading

    pipe = tmp_path / "data.csv"
    os.mkfifo(pipe)
    rows = "x,y\n" + "".join(f"{x},{x * x}\n" for x in np.linspace(-1, 1, 20))
    writer = threading.Thread(target=lambda: pipe.write_text(rows))
    writer.start()
    result = ok("train", "--data", pipe, *FAST, "--json")
    writer.join(timeout=10)
    assert json.loads(result.stdout)["samples"] == 20


def test_a_builtin_dataset_model_takes_any_column_name(tmp_path, abs_model):
    result = ok("predict", abs_model, "--input", "-", input="t\n0.5\n")
    assert result.stdout.splitlines()[0] == "t,prediction"


def test_resume_finds_the_columns_by_name_in_any_order(tmp_path):
    rows = [(a, b, 2 * a + b) for a, b in [(1, 2), (2, 1), (3, 3), (4, 1), (0, 2), (1, 1)]]
    model_path = tmp_path / "ab.npz"
    ok("train", "--data", write_csv(tmp_path / "ab.csv", ["a", "b", "y"], rows), *FAST, "--save", model_path)
    same = write_csv(tmp_path / "ab2.csv", ["a", "b", "y"], rows)
    swapped = write_csv(tmp_path / "ba.csv", ["b", "a", "y"], [(b, a, y) for a, b, y in rows])
    resumed = [json.loads(ok("train", "--data", data, "--epochs", "5", "--resume", model_path, "--json").stdout)
               for data in (same, swapped)]
    assert resumed[0]["final_mse"] == resumed[1]["final_mse"]  # the same columns, found by name


# --- the lesson's claims, as the commands show them ---

@pytest.mark.parametrize("seed", SEEDS)
def test_the_default_net_fits_sawtooth(seed):
    # standardised by default: on the raw [0, 1] most first-layer kinks start off the data
    result = json.loads(ok("train", "--data", "sawtooth", "--seed", str(seed), "--json").stdout)
    assert result["final_mse"] < 1e-4


def test_a_relu_net_that_is_one_piece_over_the_data_is_called_linear_regression(tmp_path):
    # seed 0 of a 2-unit net on |x| ends with both units dead: one affine map over the data
    result = ok("train", "--data", "abs", "--hidden", "2", "--seed", "0", "--save", tmp_path / "dead.npz")
    line = next(line for line in result.output.splitlines() if "linear regression" in line)
    assert line.startswith("one linear piece over the data: this ReLU net is linear regression here")
    assert "MSE 0.08366 >= least squares 0.08366" in line
    assert "Warning: 2 of 2 ReLU units are dead" in result.output
    inspected = ok("inspect", tmp_path / "dead.npz", "--data", "abs").output
    assert "linear regression here (MSE 0.08366 >= least squares 0.08366)" in inspected
    fitted = ok("train", "--data", "abs", "--hidden", "2", "--seed", "3").output
    assert "linear regression" not in fitted  # seed 3 fits |x|: two pieces


def test_compare_says_which_net_is_linear_regression_and_warns_of_dead_units():
    result = ok("compare", "--data", "abs", "--hidden", "2", "--seed", "0")
    assert "relu net: one linear piece over the data: this ReLU net is linear regression here" in result.output
    assert "Warning: relu net: 2 of 2 ReLU units are dead" in result.output
    rows = json.loads(ok("compare", "--data", "abs", "--hidden", "2", "--seed", "0", "--json").stdout)
    relu = next(row for row in rows if row["activation"] == "relu")
    assert relu["dead_units"] == [2, 2] and relu["linear_regression"].startswith("one linear piece")
    assert relu["linear_pieces"] == 1
