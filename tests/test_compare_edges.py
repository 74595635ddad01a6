"""compare where its numbers could mislead: one row, held-out rows, no hidden layer (issue 11)."""

import json

import numpy as np
import pytest
from test_cli import FAST, assert_error, ok, run, write_csv

import tinynet


def test_on_one_row_the_comparison_is_said_to_mean_nothing(tmp_path):
    data = write_csv(tmp_path / "one.csv", ["x", "y"], [(1.0, 2.0)])
    lesson = ok("compare", "--data", data, "--epochs", "5").stdout.split("\n\n")[1].splitlines()[0]
    assert lesson.startswith("one row: any fit can pass through it exactly")
    assert "means nothing" in lesson and "x higher" not in lesson and "x lower" not in lesson


def test_lesson_line_of_one_row():
    rows = tinynet.compare(np.array([[1.0]]), np.array([[2.0]]), hidden=(2,), epochs=3)
    assert "comparing them means nothing" in tinynet.lesson_line(rows)


@pytest.fixture
def small_csv(tmp_path):
    """24 noisy rows of a parabola: few enough that a 32,32 net can learn the noise."""
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, 24)
    return write_csv(tmp_path / "small.csv", ["x", "y"], zip(x, x * x + rng.normal(0, 0.3, x.size)))


def test_val_fraction_shows_held_out_mse_beside_the_training_one(small_csv):
    result = ok("compare", "--data", small_csv, *FAST, "--val-fraction", "0.25")
    table, lesson = result.stdout.split("\n\n")[:2]
    assert table.splitlines()[0].split()[:5] == ["model", "activation", "train", "MSE", "val"]
    assert lesson.splitlines()[1].startswith("on the 6 held-out rows: identity net")
    assert "ReLU net" in lesson.splitlines()[1]


def test_val_fraction_json_has_each_models_held_out_mse(small_csv):
    rows = json.loads(ok("compare", "--data", small_csv, *FAST, "--val-fraction", "0.25", "--json").stdout)
    # least squares on the 18 training rows, scored on the 6 held out: the same seeded split as train's
    table = np.loadtxt(small_csv, delimiter=",", skiprows=1)
    order = np.random.default_rng(0).permutation(24)
    fit, val = np.sort(order[6:]), np.sort(order[:6])
    A = np.column_stack([table[:, 0], np.ones(24)])  # x and a column of ones for the intercept
    coef = np.linalg.lstsq(A[fit], table[fit, 1], rcond=None)[0]
    assert rows[0]["val_mse"] == pytest.approx(np.mean((A[val] @ coef - table[val, 1]) ** 2), rel=1e-9)
    assert all(row["val_mse"] > 0 for row in rows)


def test_compare_library_scores_validation_in_the_units_of_y():
    X = np.linspace(-3, 3, 40).reshape(-1, 1)
    y = 1000 * np.sin(X)
    rows = tinynet.compare(X[::2], y[::2], hidden=(8,), epochs=50, validation=(X[1::2], y[1::2]))
    for row in rows:
        expected = np.mean((row["net"](X[1::2]) - y[1::2]) ** 2)
        assert row["val_mse"] == pytest.approx(expected, rel=1e-12)
    assert all(len(row["history"].val_loss) == row["history"].epochs for row in rows[1:])


def test_no_hidden_layer_is_refused_the_three_nets_would_be_one_map():
    assert_error(run("compare", "--hidden", "", "--epochs", "5"), 2, "--hidden", "at least one hidden layer")


# --- ratios that mean something; least squares has no units (issue 18) ---------------------------------------


def lesson_rows(ls: float, relu: float, variance: float = 1.0, mean_square: float = 1.0) -> list[dict]:
    return [{"activation": None, "mse": ls, "variance": variance, "mean_square": mean_square},
            {"activation": "identity", "mse": ls}, {"activation": "relu", "mse": relu}]


def test_a_ratio_below_2x_is_said_in_words():
    # y = 3x + 5 + noise printed "ReLU net 1x lower": a ReLU net that learns a little noise
    for relu in (0.0082, 0.00921, 0.0150):
        lesson = tinynet.lesson_line(lesson_rows(0.00921, relu))
        assert "ReLU net no better than least squares here" in lesson and "x lower" not in lesson
    assert "ReLU net 2x lower" in tinynet.lesson_line(lesson_rows(0.2, 0.1))
    assert "ReLU net 2.0x higher" in tinynet.lesson_line(lesson_rows(0.1, 0.2))


def test_on_a_noisy_line_compare_says_the_relu_net_is_no_better(tmp_path):
    rng = np.random.default_rng(0)
    x = np.linspace(-2, 2, 200)
    data = write_csv(tmp_path / "line.csv", ["x", "y"], zip(x, 3 * x + 5 + rng.normal(0, 0.1, x.size)))
    lesson = ok("compare", "--data", data, *FAST).stdout.splitlines()[-1]
    assert "ReLU net no better than least squares here" in lesson, lesson


def test_a_constant_target_gives_no_absurd_ratio(tmp_path):
    # least squares' rounding (7e-30) against the ReLU net's 1.5e-08 printed "2,125,463,881,508,156,080,128x higher"
    data = write_csv(tmp_path / "five.csv", ["x", "y"], [(x, 5) for x in np.linspace(-2, 2, 50)])
    lesson = ok("compare", "--data", data, *FAST).stdout.splitlines()[-1]
    assert "least squares is already exact" in lesson and "x higher" not in lesson, lesson
    assert "x higher" not in tinynet.lesson_line(lesson_rows(7.2e-30, 1.5e-8, variance=0.0, mean_square=25.0))


def test_compare_json_gives_least_squares_no_dead_units():
    rows = json.loads(ok("compare", *FAST, "--json").stdout)
    assert rows[0]["model"] == "least squares" and rows[0]["dead_units"] is None  # it was [0, 0]: it has no units
    assert all(len(row["dead_units"]) == 2 for row in rows[1:])
    assert rows[0]["linear_pieces"] == 1 and rows[0]["pieces_range"] == [-np.pi, np.pi]
