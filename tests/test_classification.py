"""Classification: accuracy, and what a ReLU net can separate that a line cannot (xor, circles)."""

import math

import numpy as np
import pytest

from tinynet import Linear, Sequential, Sigmoid, accuracy, fit, make_dataset, mlp

# seed 0 in the quick loop (python -m pytest -m "not slow"); every seed in the full run
SEEDS = [0, *(pytest.param(seed, marks=pytest.mark.slow) for seed in range(1, 5))]


def step_model():
    """p = s(x0 - x1): class 1 where x0 >= x1."""
    return Sequential(Linear.from_weights([[1.0], [-1.0]], [0.0]), Sigmoid())


def test_accuracy_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0], [0.0, 3.0]])
    # x0 - x1 = 1, -1, 0, -3: p = 0.73, 0.27, 0.5, 0.05 -> classes 1, 0, 1 (0.5 >= 0.5), 0
    assert accuracy(step_model(), X, [[1], [0], [1], [0]]) == 1.0
    assert accuracy(step_model(), X, [[1], [1], [0], [0]]) == 0.5
    assert accuracy(step_model(), X, [[0.0], [1.0], [0.0], [1.0]]) == 0.0
    assert accuracy(step_model(), X, np.array([[True], [False], [True], [True]])) == 0.75


def test_threshold_moves_the_line():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0], [0.0, 3.0]])
    y = [[1], [0], [0], [0]]
    assert accuracy(step_model(), X, y) == 0.75  # the tie p = 0.5 counts as class 1 ...
    assert accuracy(step_model(), X, y, threshold=0.6) == 1.0  # ... but not above 0.5


def test_a_row_is_right_only_when_every_output_is():
    model = Sequential(Linear.from_weights(np.eye(2), [0.0, 0.0]), Sigmoid())  # p = s(x), per column
    X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]])
    assert accuracy(model, X, [[1, 1], [1, 1], [0, 0]]) == pytest.approx(2 / 3)


def test_accuracy_agrees_with_counting_by_hand_on_a_trained_net():
    X, y = make_dataset("moons", noise=0.3, seed=2)
    model = mlp([2, 8, 1], "relu", output_activation="sigmoid", seed=2)
    fit(model, X, y, loss="bce", epochs=50)
    p = model(X)
    assert accuracy(model, X, y) == np.mean((p >= 0.5) == (y == 1))
    assert accuracy(model, X, y, threshold=0.9) == np.mean((p >= 0.9) == (y == 1))


@pytest.mark.parametrize(("y", "fragment"), [
    ([[0], [1], [2], [0]], "y must hold the classes 0 and 1, got values such as 2"),
    ([[0], [1], [0.5], [0]], "y must hold the classes 0 and 1, got values such as 0.5"),
    ([[0, 1]] * 4, "y has 2 columns, but the model gives 1 output"),
    ([[0], [1], [1]], "X and y must have the same number of rows, got 4 and 3"),
    ([0, 1, 1, 0], "y must be 2-D"),
])
def test_bad_labels_are_refused(y, fragment):
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match=fragment):
        accuracy(step_model(), X, y)


def test_bad_threshold_and_inputs_are_refused():
    with pytest.raises(ValueError, match="threshold must be a finite number, got nan"):
        accuracy(step_model(), np.zeros((2, 2)), [[0], [1]], threshold=math.nan)
    with pytest.raises(ValueError, match="X has 3 features, but the model expects 2"):
        accuracy(step_model(), np.zeros((2, 3)), [[0], [1]])


# --- what fit's defaults reach ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["xor", "circles"])
def test_a_relu_net_separates_xor_and_circles_with_fits_defaults(name, seed):
    # measured: 2000 epochs, each fit 0.3-0.7 s, final BCE 3e-5 to 8e-5
    X, y = make_dataset(name, seed=seed)
    model = mlp([2, 16, 16, 1], "relu", output_activation="sigmoid", seed=seed)
    history = fit(model, X, y, loss="bce")
    assert accuracy(model, X, y) == 1.0
    assert history.final_loss < 1e-3


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_on_xor_an_identity_net_stays_at_chance_whatever_its_depth(seed):
    # an identity net with a sigmoid output is logistic regression (see collapse): one line, and no
    # line separates xor. On four symmetric clusters the best BCE a line reaches is about ln 2, the
    # loss of predicting 0.5 everywhere, and every depth ends there
    X, y = make_dataset("xor", seed=seed)
    found = []
    for depth in range(4):
        model = mlp([2] + [16] * depth + [1], "identity", output_activation="sigmoid", seed=seed)
        history = fit(model, X, y, loss="bce")
        found.append((accuracy(model, X, y), history.final_loss))
        assert 0.4 <= found[-1][0] <= 0.6
        assert history.final_loss > 0.99 * math.log(2)
    accuracies = [acc for acc, _ in found]
    assert max(accuracies) - min(accuracies) <= 0.02  # depth changes nothing: every depth is the same line
    relu = mlp([2, 16, 16, 1], "relu", output_activation="sigmoid", seed=seed)
    fit(relu, X, y, loss="bce")
    assert accuracy(relu, X, y) == 1.0
