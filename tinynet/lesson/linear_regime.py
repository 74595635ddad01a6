"""When a ReLU net really is linear regression: the half of the question that is true.

Between two breakpoints a ReLU net is one affine map: every unit is either
on (passing z through) or off (passing 0), so the layers multiply out like
an identity net's. A unit of the first layer switches at x = -b / w. If no
unit switches anywhere on the data (every kink lies outside the data's
range, or every unit is dead), the whole net is one affine map over the
data, and the best it can do there is what least squares does: it *is*
linear regression there, whatever its size.

Only "the best it can do": a net can be one affine map over the data and
still miss least squares' line, stuck at a constant with every unit dead
(it then passes back no gradient, so it stays there). So a ReLU net that is
one affine map over the data is called linear regression only where its MSE
is within 1 % of least squares' (``within_least_squares``): then it *is*
the least-squares line, up to that 1 %. Otherwise it is stuck, and
``stuck_reason`` says where.

``linear_on_data`` asks the first question of a model and some data;
``regression_note`` turns both answers into the one line that ``train``,
``compare`` and ``inspect`` print. ``describe_fit`` (report.py) asks them for
every command, and ``seed_sweep`` sorts its runs by its answers.
"""

import numpy as np

from .. import kinds
from ..engine import MSELoss
from ..model import input_features, layers_of, model_dtype, output_features
from .collapse import least_squares
from .pieces import count_pieces, is_piecewise_linear

LINEAR_WITHIN = 0.01  # "linear regression": one affine map over the data with an MSE within 1 % of least squares'


def linear_on_data(model, X: np.ndarray) -> bool:
    """True when a piecewise-linear ``model`` computes one affine map on the data X.

    For one input and one output: exactly one linear piece on the data's range
    (``count_pieces``; one x value is one point, so one map).
    For more inputs: every ReLU / LeakyReLU unit is on for all rows or off for
    all rows, so the same affine map gives every row's output. Smooth models
    (sigmoid, tanh) are never one affine map: False.

    Shape: X (N, in_features).
    """
    if not is_piecewise_linear(model):
        return False
    X = np.asarray(X)
    if (input_features(model), output_features(model)) == (1, 1):
        return count_pieces(model, X).count in (None, 1)
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


def within_least_squares(mse: float, least_squares_mse: float, y: np.ndarray) -> bool:
    """True when ``mse`` is within 1 % (LINEAR_WITHIN) of least squares' MSE on targets y.

    A model that is one affine map over the data and passes this *is* the
    least-squares line (the MSE of an affine map is a bowl with one bottom).
    Data that lie on a line have a least-squares MSE of 0 up to rounding, so
    rounding (1e-12 of the mean of y**2) counts as 0 there.
    """
    rounding = 1e-12 * float(np.mean(np.square(y, dtype=np.float64)))
    return mse <= least_squares_mse + LINEAR_WITHIN * max(least_squares_mse, rounding)


def stuck_reason(model, X: np.ndarray) -> str:
    """Why a model that is one affine map over X misses least squares' line, in a few words.

    Every ReLU unit dead: it outputs a constant, the output bias, and no
    gradient reaches the units again. Else, a constant output all the same,
    or a line that is not least squares' (training stopped on the way).
    """
    dead, total = dead_units(model, X)
    if total and dead == total:
        return f"every ReLU unit is dead ({dead} of {total}), so it outputs a constant"
    if np.ptp(model(X.astype(model_dtype(model), copy=False)), axis=0).max() == 0:
        return "it outputs a constant"
    return "its line is not least squares' line"


def linear_regression_note(model, X: np.ndarray, y: np.ndarray) -> str | None:
    """One line saying that ``model`` is one affine map on (X, y), with both MSEs, or None.

    Linear regression when its MSE is within 1 % of least squares'
    (``within_least_squares``); else stuck off least squares' line, with
    ``stuck_reason``. Only for a model with at least one rectifier (an
    identity net is always one affine map; ``train`` warns about that
    before training).

    >>> import tinynet as tn
    >>> X, y = tn.make_dataset("sin")
    >>> dead = tn.mlp([1, 2, 1], "relu")
    >>> dead[0].bias.data[...] = -10.0          # both units off for every x in [-pi, pi]
    >>> print(tn.linear_regression_note(dead, X, y))
    one linear piece over the data, but not linear regression: every ReLU unit is dead (2 of 2), so it outputs a constant (MSE 0.5218, 2.6x least squares' 0.1974)
    """
    if not any(kinds.has_kink(layer) for layer in layers_of(model)):
        return None
    if not linear_on_data(model, X):
        return None
    mse = MSELoss()
    net_mse = mse(model(X.astype(model_dtype(model), copy=False)), y.astype(model_dtype(model), copy=False))
    ls_mse = least_squares_mse(X, y)
    return regression_note(net_mse, ls_mse, None if within_least_squares(net_mse, ls_mse, y)
                           else stuck_reason(model, X))


def least_squares_mse(X: np.ndarray, y: np.ndarray) -> float:
    """The MSE of least squares on (X, y): the best any affine map does there."""
    return MSELoss()(least_squares(X, y)(X), y)


def regression_note(mse: float, ls_mse: float, stuck: str | None) -> str:
    """The line said of a ReLU net that is one affine map over the data, at ``mse`` where least squares
    has ``ls_mse``: linear regression (``stuck`` None: within 1 % of it), or not, and why (``stuck_reason``)."""
    if stuck is None:
        return (f"one linear piece over the data: this ReLU net is linear regression here "
                f"(MSE {mse:.4g} >= least squares {ls_mse:.4g})")
    return f"one linear piece over the data, but not linear regression: {stuck} ({times_least_squares(mse, ls_mse)})"


def times_least_squares(mse: float, least_squares_mse: float) -> str:
    """"MSE 0.5218, 2.6x least squares' 0.1974": an MSE beside least squares', for a run that missed it."""
    if least_squares_mse <= 1e-12 * mse:  # the data lie on a line (or one row): its digits are rounding, no ratio
        return f"MSE {mse:.4g}, where least squares fits the data exactly"
    return f"MSE {mse:.4g}, {mse / least_squares_mse:.2g}x least squares' {least_squares_mse:.4g}"


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
