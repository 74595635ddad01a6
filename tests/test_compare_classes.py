"""compare on a 0/1 target: logistic regression draws one line, a ReLU net a polygon path."""

import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
from cli.main import cli


@pytest.fixture(scope="module")
def xor_rows():
    X, y = tinynet.make_dataset("xor")
    return X, y, tinynet.compare_classifiers(X, y, hidden=(16, 16))


def test_logistic_regression_and_the_identity_net_are_one_line_the_relu_net_is_not(xor_rows):
    X, y, rows = xor_rows
    logistic, identity, relu, sigmoid = rows
    assert [row["activation"] for row in rows] == [None, "identity", "relu", "sigmoid"]
    assert logistic["linear_regions"] == identity["linear_regions"] == 1
    assert logistic["accuracy"] == pytest.approx(identity["accuracy"]) and logistic["accuracy"] < 0.6
    assert relu["accuracy"] == sigmoid["accuracy"] == 1.0
    assert relu["linear_regions"] == len(tinynet.linear_regions(relu["net"], tinynet.data_box(X))) > 10
    assert sigmoid["linear_regions"] is None
    assert relu["bce"] == pytest.approx(tinynet.BCELoss()(relu["net"](X), y))
    line = tinynet.classifier_line(rows)
    assert line.startswith("logistic regression draws one line: 53.1% right")
    assert f"the identity net can only draw one line too ({identity['accuracy']:.1%})" in line
    assert f"the ReLU net 100.0%, {relu['linear_regions']} linear regions" in line


def test_is_classification_and_the_data_box():
    assert tinynet.is_classification(np.array([[0.0], [1.0], [1.0]]))
    assert not tinynet.is_classification(np.zeros((3, 1)))  # one class: a constant
    assert not tinynet.is_classification(np.array([[0.0], [0.5]]))
    assert tinynet.data_box(np.array([[0.0, -2.0], [3.0, 1.0]])) == ((0.0, 3.0), (-2.0, 1.0))
    with pytest.raises(ValueError, match="class labels"):  # 1 missing: numbers, not the labels 0 ... k-1
        tinynet.compare_classifiers(np.zeros((3, 2)), np.array([[0.0], [2.0], [3.0]]))


def test_the_command_compares_classifiers_on_xor_and_draws_their_regions(tmp_path):
    # 300 epochs: what is checked here is the table, the line and the picture, not how far the nets get
    result = CliRunner().invoke(cli, ["compare", "--data", "xor", "--hidden", "16,16", "--epochs", "300", "--plot",
                                      str(tmp_path / "xor.png")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["model", "activation", "accuracy", "binary", "cross-entropy", "linear", "regions",
                                "time"]
    assert lines[5] == "linear regions: over [-0.9973, 0.9975] x [-0.9956, 0.9898], the data's box"
    assert lines[1].startswith("logistic regression") and "53.5%" in lines[1]  # a line: about half
    assert "logistic regression draws one line" in result.output
    assert (tmp_path / "xor.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = json.loads(CliRunner().invoke(cli, ["compare", "--data", "xor", "--hidden", "4", "--epochs", "50",
                                               "--json"]).stdout)
    assert rows[0]["model"] == "logistic regression"
    assert {"accuracy", "bce", "linear_regions"} <= set(rows[2])
    assert rows[2]["regions_box"] == [list(side) for side in tinynet.data_box(tinynet.make_dataset("xor")[0])]


def test_train_on_a_0_1_target_is_a_classifier_with_accuracy_and_regions(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--data", "xor", "--hidden", "8,8", "--save", str(tmp_path / "x.npz"),
                                      "--plot", str(tmp_path / "x.png")])
    assert result.exit_code == 0, result.output
    assert re.search(r"^final training loss: +[0-9.e+-]+ \(binary cross-entropy\)$", result.output, re.MULTILINE)
    assert re.search(r"^training accuracy: +100\.0%$", result.output, re.MULTILINE)
    assert "MSE" not in result.output and "bce" not in result.output  # one loss, the one trained, named
    model = tinynet.load(tmp_path / "x.npz")
    assert isinstance(model[-1], tinynet.Sigmoid)  # chosen for the 0/1 target
    assert (tmp_path / "x.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    told = CliRunner().invoke(cli, ["train", "--data", "xor", "--hidden", "4", "--epochs", "20",
                                    "--output-activation", "identity", "--json"])
    report = json.loads(told.stdout)
    assert report["loss"] == "mse" and "accuracy" not in report  # told otherwise: a regression, as asked


def test_inspect_counts_a_two_input_models_regions_over_the_data_or_a_box(tmp_path):
    X, _ = tinynet.make_dataset("xor")
    model = tinynet.mlp([2, 4, 1], "relu", output_activation="sigmoid", seed=0)
    tinynet.save(model, tmp_path / "x.npz")
    over_data = CliRunner().invoke(cli, ["inspect", str(tmp_path / "x.npz"), "--data", "xor"])
    expected = len(tinynet.linear_regions(model, tinynet.data_box(X)))
    assert over_data.exit_code == 0
    assert over_data.output.splitlines()[-1].endswith(f"], the data's box: {expected}")
    boxed = json.loads(CliRunner().invoke(cli, ["inspect", str(tmp_path / "x.npz"), "--box=-2,2,-2,2",
                                                "--json"]).stdout)
    assert boxed["linear_regions"] == len(tinynet.linear_regions(model, ((-2, 2), (-2, 2))))
    assert boxed["box"] == [[-2.0, 2.0], [-2.0, 2.0]]
    empty = CliRunner().invoke(cli, ["inspect", str(tmp_path / "x.npz"), "--box", "1,0,0,1"])
    assert empty.exit_code == 2 and "empty box" in empty.output


def test_train_on_xor_reports_the_loss_it_trained_with_accuracy_and_regions_as_compare_does():
    # it printed "final training MSE" beside "final training bce", and no regions
    args = ("--data", "xor", "--hidden", "8,8", "--epochs", "300")
    result = CliRunner().invoke(cli, ["train", *args, "--val-fraction", "0.25"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert re.search(r"^validation loss: +[0-9.e+-]+ \(binary cross-entropy\)$", out, re.MULTILINE)
    assert "MSE" not in out and "bce" not in out
    X, _ = tinynet.make_dataset("xor")
    report = json.loads(CliRunner().invoke(cli, ["train", *args, "--json"]).stdout)
    compared = json.loads(CliRunner().invoke(cli, ["compare", *args, "--json"]).stdout)
    relu = next(row for row in compared if row["activation"] == "relu")
    assert report["linear_regions"] == relu["linear_regions"] > 1  # the same net, counted the same way
    assert report["box"] == relu["regions_box"] == [list(side) for side in tinynet.data_box(X)]
    text = CliRunner().invoke(cli, ["train", *args]).output
    assert re.search(rf"^linear regions: +{report['linear_regions']} over \[-0\.9973, 0\.9975\] x "
                     r"\[-0\.9956, 0\.9898\], the data's box$", text, re.MULTILINE)
