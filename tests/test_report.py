"""One answer to "what is this trained net?" (describe_fit), and one rule for what a 0/1 target means
(training_defaults), asked by train, compare, seeds and inspect alike."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
import tinynet.lesson.report
from cli.main import cli
from tinynet import describe_fit, exact_abs, make_dataset, mlp, training_defaults


def run(*args):
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    return result


# --- describe_fit ------------------------------------------------------------------------------------------

def test_a_hand_made_fit_is_described_by_its_arithmetic():
    X, y = make_dataset("abs", 64)
    report = describe_fit(exact_abs(), X, y)
    # relu(x) + relu(-x) is |x| exactly: no error, two pieces (the kink at 0), no unit dead, not one line
    assert (report.loss, report.loss_value, report.mse) == ("mse", 0.0, 0.0)
    assert report.pieces.count == 2 and report.pieces.where() == "on [-1, 1], the data's range"
    assert (report.dead_units, report.one_affine_map, report.linear_regression) == ((0, 2), False, None)
    assert report.accuracy is None and report.regions is None and report.count_error is None


def test_a_dead_net_is_one_affine_map_stuck_off_least_squares_line():
    X, y = make_dataset("sin")
    dead = mlp([1, 2, 1], "relu")
    dead[0].bias.data[...] = -10.0  # both units off for every x in [-pi, pi]: the output is the output bias
    report = describe_fit(dead, X, y)
    assert report.one_affine_map and report.dead_units == (2, 2) and report.pieces.count == 1
    assert report.least_squares_mse == pytest.approx(0.1974, abs=1e-4)
    assert report.stuck == "every ReLU unit is dead (2 of 2), so it outputs a constant"
    assert report.linear_regression == tinynet.linear_regression_note(dead, X, y)


def test_a_classifier_has_its_accuracy_and_regions_over_the_data_box():
    X, y = make_dataset("xor")
    (row,) = [r for r in tinynet.compare_classifiers(X, y, hidden=(8,), activations=("relu",), epochs=300)
              if r["activation"] == "relu"]
    report = describe_fit(row["net"], X, y, loss="bce")
    assert report.accuracy == tinynet.accuracy(row["net"], X, y) == row["accuracy"]
    assert report.loss_value == pytest.approx(tinynet.BCELoss()(row["net"](X), y)) and report.loss_value == row["bce"]
    assert report.regions.count == row["linear_regions"] == len(tinynet.linear_regions(row["net"],
                                                                                       tinynet.data_box(X)))
    assert describe_fit(row["net"], X, y, loss="bce", regions=False).regions is None


def test_held_out_labels_of_one_class_still_get_their_accuracy():
    X, y = make_dataset("xor")
    model = tinynet.compare_classifiers(X, y, hidden=(8,), activations=(), epochs=50)[0]["net"]
    ones = y[:, 0] == 1
    scores = describe_fit(model, X[ones], y[ones], loss="bce", shape=False)
    assert scores.accuracy == tinynet.accuracy(model, X[ones], y[ones])
    assert scores.pieces is scores.dead_units is scores.one_affine_map is None  # the scores only


def test_a_count_that_runs_out_leaves_the_rest_of_the_report(monkeypatch):
    def too_many(*args, **kwargs):
        raise ValueError("the model has more than 1,000,000 breakpoints by layer 3")

    monkeypatch.setattr(tinynet.lesson.report, "count_pieces", too_many)
    X, y = make_dataset("abs", 64)
    report = describe_fit(exact_abs(), X, y)
    assert report.pieces is None and report.count_error.startswith("the model has more than 1,000,000")
    assert report.mse == 0.0 and report.dead_units == (0, 2) and report.one_affine_map is False


# --- the four commands print describe_fit ---------------------------------------------------------------------

def test_train_compare_seeds_and_inspect_describe_one_net_alike(tmp_path):
    path = tmp_path / "relu.npz"
    trained = json.loads(run("train", "--data", "abs", "--hidden", "2", "--seed", "0", "--epochs", "300",
                             "--save", path, "--json", "--quiet").stdout)
    model = tinynet.load(path)
    X, y = make_dataset("abs")
    report = describe_fit(model, X, y)
    assert trained["final_mse"] == report.mse and trained["linear_pieces"] == report.pieces.count
    assert trained["linear_regression"] == report.linear_regression is not None  # seed 0 ends as a line

    inspected = json.loads(run("inspect", path, "--data", "abs", "--json").stdout)
    assert inspected["linear_regression"] == report.linear_regression

    (seed,) = tinynet.seed_sweep(X, y, 2, [0], epochs=300)
    again = describe_fit(seed.model, X, y)
    assert (seed.mse, seed.pieces, seed.dead_units) == (again.mse, again.pieces.count, again.dead_units)
    assert seed.outcome == ("linear" if again.stuck is None else "stuck") and again.one_affine_map

    rows = tinynet.compare(X, y, hidden=(2,), epochs=300)
    for row in rows:
        described = describe_fit(row["net"], X, y)
        pieces = None if described.pieces is None else described.pieces.count  # the sigmoid net has none
        assert (row["mse"], row["linear_pieces"], row["linear_regression"]) == (
            described.mse, pieces, described.linear_regression)


@pytest.mark.parametrize("data", ["abs", "xor"])
def test_compare_keeps_its_table_when_a_count_runs_out(monkeypatch, data):
    """compare used to stop at the count with its error (rc 1) after training every net; describe_fit records
    the error and the table says "too many" where the count would be, and why below it."""
    def too_many(*args, **kwargs):
        raise ValueError("more than 10,000 regions: too many to count")

    monkeypatch.setattr(tinynet.lesson.report, "count_pieces", too_many)
    monkeypatch.setattr(tinynet.lesson.report, "count_regions", too_many)
    out = run("compare", "--data", data, "--hidden", "4", "--epochs", "50").stdout
    assert out.count("too many  ") + out.count("too many\n") >= 3  # each piecewise-linear net's cell
    assert "not counted: more than 10,000 regions: too many to count\n" in out


def test_compare_names_the_net_that_diverged():
    result = CliRunner().invoke(cli, ["compare", "--lr", "1e6", "--hidden", "8", "--epochs", "100"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: the identity net: training diverged: the final training loss ")
    assert line.endswith("lower the learning rate (lr was 1e+06)")
    assert result.stdout == ""


# --- training_defaults: what a 0/1 target means, for train and compare ----------------------------------------

@pytest.mark.parametrize(("y", "given", "expected"), [
    ([[0.0], [1.0], [1.0]], {}, (True, "sigmoid", "bce", False)),     # class labels: a classifier
    ([[0.2], [1.5]], {}, (False, "identity", "mse", True)),           # a number: a regression
    ([[0.0], [0.0]], {}, (False, "identity", "mse", True)),           # one class is a constant
    ([[0.0], [1.0]], {"output_activation": "identity"}, (True, "identity", "mse", True)),
    ([[0.2], [0.9]], {"output_activation": "sigmoid"}, (False, "sigmoid", "bce", False)),  # probabilities
    ([[0.2], [3.0]], {"output_activation": "sigmoid"}, (False, "sigmoid", "mse", False)),  # not in [0, 1]
    ([[0.0], [1.0]], {"loss": "mse"}, (True, "sigmoid", "mse", False)),
])
def test_training_defaults(y, given, expected):
    found = training_defaults(np.array(y), **given)
    assert (found.classification, found.output_activation, found.loss, found.scale_targets) == expected


def test_a_trained_models_own_output_wins():
    y = np.array([[0.0], [1.0]])
    classifier = mlp([1, 2, 1], output_activation="sigmoid")
    assert training_defaults(y, "identity", model=classifier).output_activation == "sigmoid"
    assert training_defaults(y, model=mlp([1, 2, 1])).loss == "mse"  # labels, but an identity output


def test_training_defaults_refuses_an_unknown_output():
    with pytest.raises(ValueError, match="output_activation must be one of identity, sigmoid, got 'relu'"):
        training_defaults(np.zeros((2, 1)), output_activation="relu")


def test_train_and_compare_both_ask_training_defaults(monkeypatch):
    """One rule, asked by both commands: told xor is no classification, neither treats it as one."""
    def never_classes(y, output_activation=None, loss=None, *, model=None):
        return tinynet.Defaults(False, output_activation or "identity", loss or "mse", True)

    monkeypatch.setattr(tinynet, "training_defaults", never_classes)
    trained = json.loads(run("train", "--data", "xor", "--hidden", "4", "--epochs", "20", "--json").stdout)
    assert (trained["output_activation"], trained["loss"]) == ("identity", "mse") and "accuracy" not in trained
    compared = json.loads(run("compare", "--data", "xor", "--hidden", "4", "--epochs", "20", "--json").stdout)
    assert compared[0]["model"] == "least squares"  # the regression comparison, not logistic regression


def test_train_summary_adds_the_run_and_the_net_after_the_fit():
    X, y = make_dataset("abs", 64)
    settings = {"data": "abs", "loss": "mse", "lr": 0.01}
    result, fit = tinynet.lesson.report.train_summary(exact_abs(), X, y, tinynet.History(loss=[0.5, 0.0]),
                                                      (None, None), settings, "abs.npz")
    assert (result["final_mse"], result["linear_pieces"], fit.mse) == (0.0, 2, 0.0)
    # after the fit, in the order train's JSON gives them ("loss" was already there)
    assert list(result)[-6:] == ["data", "lr", "activation", "hidden", "dtype", "saved"]
    assert (result["activation"], result["hidden"], result["dtype"], result["saved"]) == ("relu", [2], "float64",
                                                                                         "abs.npz")
    assert "val_mse" not in result


def test_warnings_before_training_name_an_affine_net_and_an_unreachable_target():
    warnings_before = tinynet.lesson.report.warnings_before
    y = np.array([[0.5], [2.0]])
    assert warnings_before(mlp([1, 4, 1], "relu"), y, (4,), "relu") == []
    assert warnings_before(mlp([1, 1], "identity"), y, (), "relu")[0].startswith(
        "with no hidden layer the network is one affine map, and --activation relu is not used")
    assert warnings_before(mlp([1, 4, 1], "identity"), y, (4,), "identity")[0].startswith(
        "every hidden activation is identity")
    assert warnings_before(mlp([1, 4, 1], "identity"), y, None, "identity") == []  # a resumed net: said at training
    sigmoid = mlp([1, 4, 1], "relu", output_activation="sigmoid")
    assert warnings_before(sigmoid, y, (4,), "relu") == [
        ("the sigmoid output lies in (0, 1), but the targets range over [0.5, 2]: use --output-activation identity, "
         "or targets in [0, 1]")]


def test_dead_units_are_warned_of_past_half():
    warning = tinynet.lesson.report.dead_units_warning
    assert warning((4, 8)) is None and warning(None) is None and warning((0, 0)) is None
    assert warning((5, 8), "relu net: ") == (
        "relu net: 5 of 8 ReLU units are dead (never on for any training input), so they no longer learn: try a "
        "lower --lr, another --seed, or --activation leaky_relu")


def test_beside_an_exact_least_squares_no_ratio_of_rounding_is_given():
    from tinynet.lesson.linear_regime import times_least_squares

    assert times_least_squares(0.5218, 0.1974) == "MSE 0.5218, 2.6x least squares' 0.1974"
    for exact in (0.0, 1.233e-32):  # a line through the data (or a single row): least squares' digits are rounding
        assert times_least_squares(0.004105, exact) == "MSE 0.004105, where least squares fits the data exactly"
