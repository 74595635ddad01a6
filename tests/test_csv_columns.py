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


# --- A saved model finds its columns by one rule, whichever command reads the file ---------------------------


@pytest.fixture
def people_model(tmp_path, people):
    """A model trained as `tinynet train --data people.csv --drop id,name` saves it: it reads a and b."""
    path, _ = people
    model_path = tmp_path / "people.npz"
    ok("train", "--data", path, "--drop", "id,name", *FAST, "--save", model_path)
    return str(model_path)


def test_inspect_data_with_a_name_column_reads_only_the_models_columns(people, people_model):
    # issue 18: inspect --data people.csv read every column as a number and stopped at 'ann'
    path, numbers = people
    info = json.loads(ok("inspect", people_model, "--data", path, "--json").stdout)
    assert info["features"] == ["a", "b"] and info["box_over"] == "data"
    # the regions are counted over the box of a and b: the columns the model reads, not id or name
    expected_box = [[numbers[:, k].min(), numbers[:, k].max()] for k in (0, 1)]
    np.testing.assert_allclose(info["box"], expected_box, rtol=1e-12)


def test_inspect_plot_reads_only_the_models_column(tmp_path, people):
    pytest.importorskip("matplotlib")
    path, _ = people
    model_path, picture = tmp_path / "b.npz", tmp_path / "b.png"
    ok("train", "--data", path, "--features", "b", *FAST, "--save", model_path)
    ok("inspect", model_path, "--data", path, "--plot", picture)
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_resume_reads_the_models_columns_without_drop(tmp_path, people, people_model):
    path, numbers = people
    again = tmp_path / "again.npz"
    result = json.loads(ok("train", "--data", path, "--resume", people_model, "--epochs", "5", "--save", again,
                           "--json").stdout)
    model = tinynet.load(again)
    mse = np.mean((tinynet.predict(model, numbers[:, :2]) - numbers[:, 2:]) ** 2)
    assert result["final_mse"] == pytest.approx(mse, rel=1e-9)  # trained on a and b; id and name never read


@pytest.mark.parametrize("command", ["predict", "inspect", "train"])
def test_a_missing_model_column_is_the_same_message_from_every_command(tmp_path, people_model, command):
    only_b = tmp_path / "only_b.csv"
    only_b.write_text("id,b,y\nann,0.5,1\nbob,0.25,2\n")
    args = {"predict": ("predict", people_model, "--input", only_b),
            "inspect": ("inspect", people_model, "--data", only_b),
            "train": ("train", "--data", only_b, "--resume", people_model, "--epochs", "5")}[command]
    line = assert_error(run(*args), 1, f"{only_b} has no column 'a' among its inputs: the model in {people_model}",
                        "was trained on columns a, b and reads them by name")
    assert "not a number" not in line  # refused by name, before the id column of names is read


def test_columns_for_model_by_name_or_by_count():
    from tinynet.io import columns_for_model

    named = tinynet.mlp([2, 3, 1])
    named.feature_names = ["a", "b"]
    # by name: the model's order, whatever the file's order and whatever else it holds
    assert columns_for_model(named, ["notes", "b", "id", "a"]) == ["a", "b"]
    with pytest.raises(ValueError, match=r"f\.csv has no column 'b' among its inputs: the model in m\.npz was "
                                         r"trained on columns a, b"):
        columns_for_model(named, ["a", "c"], "f.csv", "the model in m.npz")
    # no names: every column, in order, one per input
    unnamed = tinynet.mlp([2, 3, 1])
    assert columns_for_model(unnamed, ["x1", "x0"]) == ["x1", "x0"]
    with pytest.raises(ValueError, match=r"f\.csv has 3 column\(s\) to read as inputs \(p, q, r\), but the model "
                                         r"expects 2 feature\(s\) and knows no column names"):
        columns_for_model(unnamed, ["p", "q", "r"], "f.csv")


def test_check_fits_model_names_both_counts():
    from tinynet.io import check_fits_model

    model = tinynet.mlp([2, 3, 1])
    check_fits_model(model, np.zeros((4, 2)), np.zeros((4, 1)))  # fits: nothing raised
    with pytest.raises(ValueError, match=r"sin has 1 input column\(s\) and 1 target\(s\), but the model in m\.npz "
                                         r"takes 2 input\(s\) and gives 1 output\(s\)"):
        check_fits_model(model, np.zeros((4, 1)), np.zeros((4, 1)), "sin", "the model in m.npz")
    check_fits_model(tinynet.Sequential(tinynet.ReLU()), np.zeros((4, 5)), np.zeros((4, 1)))  # no Linear: no count
