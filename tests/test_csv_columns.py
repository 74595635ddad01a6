"""--features and --drop: train, compare and seeds choose a CSV file's input columns by name.

A file with an id and a name column (people.csv below) could not be trained
on at all: the name column was read as numbers and refused. Each test here
uses that file; the errors are checked on every command that reads --data.
"""

import csv
import io
import json

import numpy as np
import pytest
from test_cli import FAST, assert_error, ok, run

import tinynet

TRAINING_COMMANDS = ("train", "compare", "seeds")
NAMES = ("ann", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jo")


@pytest.fixture
def people(tmp_path):
    """people.csv: id, name (text), a, b, y = a * a + b; returns (path, the a, b, y columns as an array)."""
    rng = np.random.default_rng(0)
    a, b = rng.uniform(-1, 1, size=(2, 40))
    numbers = np.column_stack([a, b, a * a + b])  # (40, 3)
    lines = [f"{i},{NAMES[i % len(NAMES)]},{','.join(repr(float(v)) for v in row)}" for i, row in enumerate(numbers)]
    path = tmp_path / "people.csv"
    path.write_text("\n".join(["id,name,a,b,y", *lines]) + "\n")
    return str(path), numbers


def test_without_a_choice_the_name_column_is_refused_with_the_way_out(people):
    path, _ = people
    assert_error(run("train", "--data", path, *FAST), 1,
                 "line 2: column 'name' holds 'ann', which is not a number", "leave it out with --drop name")
    # a --drop that misses it: the hint adds it to the list given
    assert_error(run("train", "--data", path, "--drop", "id", *FAST), 1, "--drop id,name")
    assert_error(run("train", "--data", path, "--features", "a,name", *FAST), 1,
                 "column 'name' holds 'ann'", "take it out of --features")


def test_train_with_the_text_columns_dropped_saves_a_model_of_the_other_inputs(tmp_path, people):
    path, numbers = people
    model_path = tmp_path / "people.npz"
    result = json.loads(ok("train", "--data", path, "--drop", "id,name", *FAST, "--save", model_path,
                           "--json").stdout)
    model = tinynet.load(model_path)
    assert model.feature_names == ["a", "b"] and result["features"] == 2
    mse = np.mean((tinynet.predict(model, numbers[:, :2]) - numbers[:, 2:]) ** 2)
    assert result["final_mse"] == pytest.approx(mse, rel=1e-9)  # trained on a and b, not on id


def test_a_model_trained_with_features_predicts_on_the_full_file(tmp_path, people):
    path, numbers = people
    model_path = tmp_path / "ba.npz"
    ok("train", "--data", path, "--features", "b,a", *FAST, "--save", model_path)
    model = tinynet.load(model_path)
    assert model.feature_names == ["b", "a"]  # in the order given, not the file's
    printed = list(csv.reader(io.StringIO(ok("predict", model_path, "--input", path).stdout)))
    assert printed[0] == ["id", "name", "a", "b", "y", "prediction"]
    assert [row[1] for row in printed[1:4]] == ["ann", "bob", "cy"]  # the text column passes through
    expected = tinynet.predict(model, numbers[:, [1, 0]])  # (40, 1): b then a
    np.testing.assert_array_equal([float(row[-1]) for row in printed[1:]], expected[:, 0])


def test_compare_reads_only_the_features_given(people):
    path, numbers = people
    rows = json.loads(ok("compare", "--data", path, "--features", "a", *FAST, "--json").stdout)
    least_squares = next(row for row in rows if row["model"] == "least squares")
    design = np.column_stack([numbers[:, 0], np.ones(len(numbers))])  # a and a constant: not b
    residual = numbers[:, 2] - design @ np.linalg.lstsq(design, numbers[:, 2], rcond=None)[0]
    assert least_squares["mse"] == pytest.approx(np.mean(residual ** 2), rel=1e-9)


def test_seeds_trains_on_a_file_with_text_columns_dropped(people):
    path, numbers = people
    result = json.loads(ok("seeds", "--data", path, "--drop", "id,name", "--seeds", "2", "--epochs", "50",
                           "--json").stdout)
    assert result["samples"] == len(numbers) and len(result["outcomes"]) == 2


def test_a_missing_target_is_said_before_the_text_column(people):
    path, _ = people
    line = assert_error(run("train", "--data", path, "--target", "price", *FAST), 1,
                        "has no column 'price'", "its columns are 'id', 'name', 'a', 'b', 'y'")
    assert "not a number" not in line


def test_a_text_target_is_named_as_the_target(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("x,label\n1,yes\n2,no\n")
    assert_error(run("train", "--data", path, *FAST), 1, "column 'label' holds 'yes'",
                 "with no --target it is the target (the last column)")


# each row: (name, options, exit code, message fragments)
BAD_CHOICES = [
    ("unknown feature", ("--features", "a,c"), 1, ["no column 'c' (in features)", "'id', 'name', 'a', 'b', 'y'"]),
    ("unknown dropped", ("--drop", "id,nam"), 1, ["no column 'nam' (in drop)"]),
    ("target in features", ("--features", "a,y"), 1, ["'y' is the target", "in features too"]),
    ("named target in features", ("--target", "a", "--features", "a,b"), 1, ["'a' is the target"]),
    ("target dropped", ("--drop", "id,name,y"), 1, ["'y' is the target", "drop cannot leave it out"]),
    ("everything dropped", ("--drop", "id,name,a,b"), 1, ["drop leaves out every column", "the target 'y'"]),
    ("empty features", ("--features", ""), 1, ["features is empty"]),
    ("a feature twice", ("--features", "a,a"), 1, ["lists 'a' more than once"]),
    ("features and drop", ("--features", "a", "--drop", "id"), 2, ["--features and --drop do not go together"]),
    ("an empty name", ("--features", "a,,b"), 2, ["'a,,b' has an empty column name"]),
]


@pytest.mark.parametrize("command", TRAINING_COMMANDS)
@pytest.mark.parametrize("options, code, fragments", [row[1:] for row in BAD_CHOICES],
                         ids=[row[0] for row in BAD_CHOICES])
def test_bad_column_choices_are_one_line_before_training(people, command, options, code, fragments):
    path, _ = people
    line = assert_error(run(command, "--data", path, *options, "--epochs", "5"), code, *fragments)
    assert "not a number" not in line  # refused by name, before any value of the text column is read


@pytest.mark.parametrize("command", TRAINING_COMMANDS)
@pytest.mark.parametrize("option", ["--features", "--drop"])
def test_features_and_drop_are_for_csv_files(command, option):
    assert_error(run(command, "--data", "sin", option, "x", "--epochs", "5"), 2,
                 f"{option} is for CSV files, but --data sin is a built-in dataset")
