"""The lesson's facts, with the defaults that ``fit`` and the command line use.

Each fact holds for every seed tried, not one lucky seed. These tests train
real networks, so they take a few seconds each; the quick loop tries seed 0.
"""

import numpy as np
import pytest

from tinynet import (
    collapse,
    compare,
    fit,
    least_squares,
    linear_pieces,
    make_dataset,
    mlp,
)

# seed 0 in the quick loop (python -m pytest -m "not slow"); every seed in the full run
SEEDS = [0, *(pytest.param(seed, marks=pytest.mark.slow) for seed in range(1, 5))]


def mse(model, X, y):
    return float(np.mean((model(X) - y) ** 2))


@pytest.mark.parametrize("seed", SEEDS)
def test_relu_net_fits_sin(seed):
    X, y = make_dataset("sin")
    model = mlp([1, 32, 32, 1], "relu", seed=seed)
    fit(model, X, y, seed=seed)
    assert mse(model, X, y) < 1e-4
    assert linear_pieces(model, -np.pi, np.pi) <= 32 * 32 + 1  # finite pieces, by construction


@pytest.mark.parametrize("seed", SEEDS)
def test_relu_net_fits_abs(seed):
    X, y = make_dataset("abs")
    model = mlp([1, 16, 1], "relu", seed=seed)
    fit(model, X, y, seed=seed)
    # |x| needs two of the 16 units; 2000 epochs bring the worst seed to 3e-05
    # (0.04 % of the data's variance, 0.083), the best to 1e-09
    assert mse(model, X, y) < 1e-4


def test_sigmoid_net_fits_sin_smoothly():
    X, y = make_dataset("sin")
    model = mlp([1, 32, 32, 1], "sigmoid", seed=0)
    fit(model, X, y)
    assert mse(model, X, y) < 1e-3


def noisy_linear_data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(400, 3))
    y = X @ np.array([[1.5], [-2.0], [0.5]]) + 0.3 + rng.normal(scale=0.2, size=(400, 1))
    return X, y


@pytest.mark.parametrize("data", ["sin", "noisy linear, 3 features"])
@pytest.mark.parametrize("hidden_layers", [1, 2, 3, 4])
def test_identity_net_is_least_squares_at_every_depth(data, hidden_layers):
    X, y = make_dataset("sin") if data == "sin" else noisy_linear_data()
    line = least_squares(X, y)
    best = mse(line, X, y)
    model = mlp([X.shape[1]] + [16] * hidden_layers + [1], "identity", seed=0)
    history = fit(model, X, y, epochs=4000)
    # never below least squares, at any epoch: it is only ever one affine map ...
    assert min(history.loss) >= best * (1 - 1e-9)
    assert mse(model, X, y) >= best * (1 - 1e-9)
    # ... and trained long enough it gets there, with the same coefficients
    assert mse(model, X, y) <= best * (1 + 1e-6)
    line_of_net = collapse(model)
    np.testing.assert_allclose(line_of_net.weight.data, line.weight.data, atol=1e-4)
    np.testing.assert_allclose(line_of_net.bias.data, line.bias.data, atol=1e-4)
    if data == "sin":
        assert best == pytest.approx(0.1974, abs=1e-4)


def test_compare_tells_the_lesson_on_sin():
    X, y = make_dataset("sin")
    rows = compare(X, y)
    by = {row["activation"]: row for row in rows}
    assert [row["model"] for row in rows] == ["least squares"] + ["mlp 1-32-32-1"] * 3
    assert set(by) == {None, "identity", "relu", "sigmoid"}
    assert by[None]["mse"] == pytest.approx(0.1974, abs=1e-4)
    assert by["identity"]["mse"] == pytest.approx(by[None]["mse"], rel=1e-6)
    assert by["relu"]["mse"] * 1000 < by[None]["mse"]
    assert by["sigmoid"]["mse"] < 1e-3
    assert by[None]["linear_pieces"] == by["identity"]["linear_pieces"] == 1
    assert by["relu"]["linear_pieces"] > 1 and by["sigmoid"]["linear_pieces"] is None
    for row in rows:
        assert {"model", "activation", "mse", "linear_pieces", "seconds"} <= set(row)
        assert row["seconds"] >= 0
        np.testing.assert_allclose(row["mse"], mse(row["net"], X, y))


def test_lesson_line_judges_exactness_against_the_datas_own_scale():
    from tinynet import lesson_line

    def rows(ls, relu, variance):
        return [{"activation": None, "mse": ls, "variance": variance},
                {"activation": "identity", "mse": ls}, {"activation": "relu", "mse": relu}]

    assert "already exact" in lesson_line(rows(0.0, 0.0, 1.0))
    # tiny data, tiny errors: still a real 1,800x, not "exact"
    assert "1,800x lower" in lesson_line(rows(1.68e-13, 9.3e-17, 5e-13))
    assert "2.0x higher" in lesson_line(rows(0.1, 0.2, 1.0))
