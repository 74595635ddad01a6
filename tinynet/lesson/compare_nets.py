"""compare and lesson_line: the lesson in one call, and in one sentence.

Train an identity net, a ReLU net and a sigmoid net of the same sizes with
the same budget on the same data, and fit least squares in closed form.
The numbers tell the story: the identity net ties least squares (it is one
affine map), the ReLU net beats it by orders of magnitude with a handful of
linear pieces, and the sigmoid net gets there smoothly.
"""

import time

import numpy as np

from ..checks import as_batch, check_same_length
from ..engine import MSELoss, Sequential
from ..mlp import mlp
from ..standardize import scaled_for_training, split_scaling
from ..training import fit
from .collapse import least_squares
from .linear_regime import dead_units, linear_regression_note
from .pieces import count_pieces, is_piecewise_linear

CLEARLY_BETTER = 2  # a ratio of MSEs below this is said in words: "1.1x lower" reads as a win that is not one


def compare(X, y, *, hidden=(32, 32), activations=("identity", "relu", "sigmoid"), seed=0,
            standardize: bool = True, callback=None, validation=None, watch=None, **fit_options) -> list[dict]:
    """Fit least squares and one ``mlp`` per activation on (X, y); return one row each.

    Each row is a dict with
        "model":         "least squares" or the sizes, e.g. "mlp 1-32-32-1"
        "activation":    the hidden activation (None for least squares)
        "mse":           training MSE, in the units of y
        "linear_pieces": pieces over the data's range (``count_pieces``) for one-input
                         piecewise-linear fits (least squares and identity nets: 1), else
                         None (also when every x is the same: no interval to count on)
        "pieces_range":  that range, [X.min(), X.max()], beside the count; else None
        "seconds":       time to fit
        "dead_units":    (dead, total) rectifier units never on for any row of X; None
                         for least squares, which has no units
        "linear_regression": ``linear_regression_note`` for a ReLU net that is one
                         affine map over the data (it is linear regression there), else None
        "net", "history": the fitted model (for plots) and its History (None for least squares)
        "val_mse":       with ``validation=(X_val, y_val)``, the MSE on those held-out rows,
                         in the units of y (and the History has their loss per epoch)
    and the least-squares row also has "variance", the MSE of always predicting the mean of y,
    and "samples", the number of rows.

    Every net gets the same sizes, seed and ``fit_options`` (epochs, lr, ...).
    With ``standardize`` (the default) the nets train on standardised data
    (mean 0, variance 1: the first layer's kinks start near 0, where the
    data then is) but are returned, and scored, in the original units. ``callback(activation, epoch, loss)``
    follows training; ``watch(activation, model)`` may return a callback(epoch, loss) for that net's
    training (a ``KinkRecorder``, say), which then sees every epoch too.
    """
    X = as_batch(X, "X")
    y = as_batch(y, "y")
    check_same_length(X, y)
    if validation is not None:
        X_val = as_batch(validation[0], "X_val", features=X.shape[1])
        y_val = as_batch(validation[1], "y_val", features=y.shape[1])
        check_same_length(X_val, y_val, "X_val", "y_val")
    sizes = [X.shape[1], *hidden, y.shape[1]]

    start = time.perf_counter()
    line = Sequential(least_squares(X, y))  # a model like the others, for plots and model files
    rows = [_row("least squares", None, line, X, y, time.perf_counter() - start, None)]
    rows[0]["dead_units"] = None  # a line has no units, dead or alive
    rows[0]["variance"] = float(np.mean((y - y.mean(axis=0)) ** 2))  # the MSE of predicting the mean
    rows[0]["mean_square"] = float(np.mean(y.astype(np.float64) ** 2))  # the scale of y, even when y is constant
    rows[0]["samples"] = X.shape[0]
    for activation in activations:
        start = time.perf_counter()
        net = mlp(sizes, activation, seed=seed)
        model, X_train, y_train = scaled_for_training(net, X, y, standardize=standardize)
        follow = _both(None if callback is None else (lambda e, loss, a=activation: callback(a, e, loss)),
                       None if watch is None else watch(activation, model))
        held_out = None if validation is None else split_scaling(model, X_val, y_val)[1:]
        history = fit(net, X_train, y_train, seed=seed, callback=follow, validation=held_out, **fit_options)
        seconds = time.perf_counter() - start
        rows.append(_row("mlp " + "-".join(map(str, sizes)), activation, model, X, y, seconds, history))
    if validation is not None:
        for row in rows:
            row["val_mse"] = MSELoss()(row["net"](X_val), y_val)
    return rows


def _both(first, second):
    """One fit callback that calls both (either may be None)."""
    if first is None or second is None:
        return first or second
    return lambda epoch, loss: (first(epoch, loss), second(epoch, loss))


def _row(name, activation, model, X, y, seconds, history) -> dict:
    counted = None
    if X.shape[1] == 1 and y.shape[1] == 1 and is_piecewise_linear(model):
        counted = count_pieces(model, X)
    return {"model": name, "activation": activation, "mse": MSELoss()(model(X), y),
            "linear_pieces": None if counted is None else counted.count,
            "pieces_range": None if counted is None or counted.count is None else list(counted.box[0]),
            "seconds": seconds, "dead_units": dead_units(model, X),
            "linear_regression": linear_regression_note(model, X, y), "net": model, "history": history}


def lesson_line(rows: list[dict], key: str = "mse") -> str:
    """One sentence that states what the rows show, from their numbers: ``key`` "mse" on the training
    rows, or "val_mse" on the held-out ones."""
    by_activation = {row["activation"]: row for row in rows}
    if by_activation[None].get("samples", 2) < 2:
        return ("one row: any fit can pass through it exactly, so their errors are rounding and comparing them "
                "means nothing: give more rows")
    ls = by_activation[None][key]
    parts = []
    if "identity" in by_activation:
        ident = by_activation["identity"][key]
        same = np.isclose(ident, ls, rtol=1e-3, atol=1e-12)
        parts.append(f"identity net {'=' if same else 'vs'} least squares ({ident:.3g} vs {ls:.3g})")
    if "relu" in by_activation:
        # an MSE below 1e-12 of the data's own scale is rounding: a ratio of two such says nothing. The
        # scale is the mean of y**2, not only its variance: a constant target has variance 0, and its
        # least squares' rounding (1e-30) against the ReLU net's (1e-8) made a ratio of 2e21
        least = by_activation[None]
        tiny = 1e-12 * max(least.get("variance", 1.0), least.get("mean_square", 0.0))
        parts.append(_relu_against(by_activation["relu"][key], ls, tiny))
    return "; ".join(parts)


def _relu_against(relu: float, ls: float, tiny: float) -> str:
    if ls <= tiny:
        return "least squares is already exact: the data lie on a line, nothing to stitch"
    if relu <= tiny:
        return "ReLU net exact"
    if ls / CLEARLY_BETTER < relu < ls * CLEARLY_BETTER:  # a ratio of 1.1 says "no better" in numbers: say it in words
        return f"ReLU net no better than least squares here ({relu:.3g} vs {ls:.3g}, less than 2x apart)"
    if relu < ls:
        # two digits of the ratio: its later digits depend on the CPU's BLAS kernel
        return f"ReLU net {float(f'{ls / relu:.2g}'):,.0f}x lower"
    ratio = relu / ls
    return f"ReLU net {ratio:,.1f}x higher" if ratio < 10 else f"ReLU net {ratio:,.0f}x higher"
