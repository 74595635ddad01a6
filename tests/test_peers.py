"""tinynet's defaults against scikit-learn's MLPRegressor on the lesson's fit.

The same net (1-32-32-1 ReLU), the same data (sin, 512 points), the same
number of epochs (fit's default) and batch (all 512 rows), Adam at 0.01 for
both, the same loss (no L2 penalty: alpha=0); scikit-learn keeps its
constant rate and is told never to stop early, so both get the whole budget.
Skipped only where scikit-learn is not installed (it is in the test extra).
"""

import warnings

import numpy as np
import pytest

from tinynet import MSELoss, fit, make_dataset, mlp
from tinynet.training import DEFAULT_EPOCHS

pytestmark = pytest.mark.slow  # python -m pytest -m "not slow" leaves it out of the quick loop

SEEDS = range(5)


def sklearn_mse(seed: int, X, y) -> float:
    neural_network = pytest.importorskip("sklearn.neural_network")
    from sklearn.exceptions import ConvergenceWarning

    model = neural_network.MLPRegressor(
        hidden_layer_sizes=(32, 32), activation="relu", solver="adam", learning_rate_init=0.01, alpha=0.0,
        batch_size=len(X), max_iter=DEFAULT_EPOCHS, tol=0.0, n_iter_no_change=DEFAULT_EPOCHS, random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # it ran every epoch asked for: that is the point
        model.fit(X, y.ravel())
    return float(np.mean((model.predict(X) - y.ravel()) ** 2))


def test_relu_on_sin_worst_seed_is_no_worse_than_scikit_learns():
    X, y = make_dataset("sin")
    theirs = [sklearn_mse(seed, X, y) for seed in SEEDS]
    ours = []
    for seed in SEEDS:
        model = mlp([1, 32, 32, 1], "relu", seed=seed)
        fit(model, X, y, seed=seed)
        ours.append(MSELoss()(model(X), y))
    assert max(ours) <= max(theirs), (ours, theirs)
