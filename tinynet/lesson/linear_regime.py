"""When a ReLU net really is linear regression: the half of the question that is true.

Between two breakpoints a ReLU net is one affine map: every unit is either
on (passing z through) or off (passing 0), so the layers multiply out like
an identity net's. A unit of the first layer switches at x = -b / w. If no
unit switches anywhere on the data (every kink lies outside the data's
range, or every unit is dead), the whole net is one affine map over the
data, and the best it can do there is what least squares does: it *is*
linear regression there, whatever its size.

``linear_on_data`` asks that question of a model and some data;
``linear_regression_note`` turns the answer into the one line that
``train``, ``compare`` and ``inspect`` print.
"""

import numpy as np

from .. import kinds
from ..engine import MSELoss
from ..model import input_features, layers_of, model_dtype, output_features
from .collapse import least_squares
from .pieces import is_piecewise_linear, linear_pieces


def linear_on_data(model, X: np.ndarray) -> bool:
    """True when a piecewise-linear ``model`` computes one affine map on the data X.

    For one input and one output: exactly one linear piece on [X.min(), X.max()].
    For more inputs: every ReLU / LeakyReLU unit is on for all rows or off for
    all rows, so the same affine map gives every row's output. Smooth models
    (sigmoid, tanh) are never one affine map: False.

    Shape: X (N, in_features).
    """
    if not is_piecewise_linear(model):
        return False
    X = np.asarray(X)
    if (input_features(model), output_features(model)) == (1, 1):
        lo, hi = float(X.min()), float(X.max())
        return lo == hi or linear_pieces(model, lo, hi) == 1
    return _one_activation_pattern(model, X)


def _one_activation_pattern(model, X: np.ndarray) -> bool:
    """Every rectifier unit's on/off state is the same for every row of X."""
    x = X.astype(model_dtype(model), copy=False)
    for layer in layers_of(model):
        z, x = x, layer.forward(x)
        if kinds.has_kink(layer):
            on = z > 0
            if not (on.all(axis=0) | ~on.any(axis=0)).all():
                return False
    return True


def linear_regression_note(model, X: np.ndarray, y: np.ndarray) -> str | None:
    """One line saying that ``model`` is linear regression on (X, y), with both MSEs, or None.

    Only for a model with at least one rectifier (an identity net is always
    one affine map; ``train`` warns about that before training).

    >>> import tinynet as tn
    >>> X, y = tn.make_dataset("sin")
    >>> dead = tn.mlp([1, 2, 1], "relu")
    >>> dead[0].bias.data[...] = -10.0          # both units off for every x in [-pi, pi]
    >>> print(tn.linear_regression_note(dead, X, y))
    one linear piece over the data: this ReLU net is linear regression here (MSE 0.5218 >= least squares 0.1974)
    """
    if not any(kinds.has_kink(layer) for layer in layers_of(model)):
        return None
    if not linear_on_data(model, X):
        return None
    mse = MSELoss()
    net_mse = mse(model(X.astype(model_dtype(model), copy=False)), y.astype(model_dtype(model), copy=False))
    ls_mse = mse(least_squares(X, y)(X), y)
    return (f"one linear piece over the data: this ReLU net is linear regression here "
            f"(MSE {net_mse:.4g} >= least squares {ls_mse:.4g})")


def dead_units(model, X: np.ndarray) -> tuple[int, int]:
    """Count the rectifier units (ReLU: slope 0 when off) that are off for every row of X: (dead, total).

    A dead unit outputs 0 and passes back no gradient on this data, so
    training can no longer switch it on: its piece is lost. (A LeakyReLU
    unit passes some gradient when off, so it never dies.)
    """
    dead = total = 0
    X = X.astype(model_dtype(model), copy=False)
    for layer in layers_of(model):
        z, X = X, layer.forward(X)
        if kinds.has_kink(layer) and kinds.slopes(layer)[0] == 0:
            never_on = ~(z > 0).any(axis=0)
            dead += int(never_on.sum())
            total += never_on.size
    return dead, total
