"""describe_fit: what a trained net is on its data, asked in one place for every command.

``tinynet train`` reports it, ``compare`` puts it in a row per net,
``seed_sweep`` sorts its seeds by it and ``tinynet inspect --data`` says it:
the loss and the MSE, the accuracy (for class labels), the linear pieces (one
input) or regions (two inputs) over the data, the dead ReLU units, and
whether the net is one affine map over the data, and if so linear regression
or stuck off least squares' line (``linear_regime``). Asked once, so that two
commands never describe one net two ways. ``fit_summary`` adds the held-out
rows and the run to it, as ``tinynet train`` reports them; ``summary_text``
writes that as text.
"""

from dataclasses import dataclass

import numpy as np

from .. import kinds
from ..checks import as_batch, check_same_length
from ..engine import Identity, Linear, MSELoss, Sequential, Sigmoid
from ..model import layers_of, model_dtype
from ..standardize import Standardize, Unstandardize
from ..training import get_loss, predict
from .linear_regime import (
    dead_units,
    least_squares_mse,
    linear_on_data,
    regression_note,
    stuck_reason,
    within_least_squares,
)
from .metrics import accuracy
from .pieces import PieceCount, count_pieces, count_regions, is_piecewise_linear


@dataclass
class FitReport:
    """What ``describe_fit`` found of a model on data (X, y); losses in the units of y.

    loss, loss_value:  the loss named ("mse", "bce", "ce") and its value on (X, y)
    mse:               the MSE on (X, y); None under "ce" (k logits against one
                       column of labels have no squared error)
    accuracy:          the share of rows classified right, for targets of 0s and
                       1s under "bce" and labels 0 ... k-1 under "ce"; else None
    pieces:            ``count_pieces`` over the data's range, for a one-input,
                       one-output piecewise-linear model; else None
    regions:           ``count_regions`` over the data's box, for a two-input
                       model whose logit (or k logits: ``one_output_of``) is
                       piecewise linear; else None
    count_error:       why they could not be counted (too many to list, out of
                       memory); else None
    dead_units:        (dead, total) ReLU units, off for every row of X
    one_affine_map:    ``linear_on_data``: one affine map over the data
    least_squares_mse: least squares' MSE on (X, y), where one_affine_map; else None
    stuck:             where one affine map but not within 1 % of least squares'
                       MSE, why (``stuck_reason``); else None
    linear_regression: the line ``train``, ``compare`` and ``inspect`` print of a
                       ReLU net that is one affine map over the data; else None
    The last five are None with ``shape=False``.
    """

    loss: str
    loss_value: float
    mse: float | None
    accuracy: float | None = None
    pieces: PieceCount | None = None
    regions: PieceCount | None = None
    count_error: str | None = None
    dead_units: tuple[int, int] | None = None
    one_affine_map: bool | None = None
    least_squares_mse: float | None = None
    stuck: str | None = None
    linear_regression: str | None = None


def describe_fit(model, X, y, loss: str = "mse", *, shape: bool = True, regions: bool = True,
                 least_squares: float | None = None) -> FitReport:
    """Describe a trained ``model`` on (X, y): its scores, and what it is over the data.

    Args:
        model: a trained model, taking and giving the data's own units.
        X: (N, in_features) inputs; y: (N, out_features) targets.
        loss: the loss it was trained with, "mse", "bce" or "ce" (then y holds
            one label per row and the model gives k logits).
        shape: False gives the scores only (loss, MSE, accuracy): for
            held-out rows, say.
        regions: False leaves a two-input model's regions uncounted (they
            cost the most).
        least_squares: least squares' MSE on (X, y), if already known.

    >>> X, y = make_dataset("abs", 64)
    >>> report = describe_fit(exact_abs(), X, y)
    >>> report.mse, report.pieces.count, report.dead_units, report.one_affine_map
    (0.0, 2, (0, 2), False)
    """
    X, y = as_batch(X, "X"), as_batch(y, "y")
    check_same_length(X, y)
    with np.errstate(over="ignore", invalid="ignore"):  # an exploded model's numbers are inf, not warnings
        prediction = predict(model, X)
        target = y.astype(prediction.dtype)
        mse = None if loss == "ce" else MSELoss()(prediction, target)
        found = FitReport(loss, mse if loss == "mse" else get_loss(loss)(prediction, target), mse)
    # labels, even of one class (a small held-out split)
    if loss == "ce" or (loss == "bce" and np.isin(y, (0.0, 1.0)).all()):
        found.accuracy = accuracy(model, X, y)
    if not shape:
        return found
    one_output = y.shape[1] == 1 and loss != "ce"
    in_pieces = X.shape[1] == 1 and one_output and is_piecewise_linear(model)
    if in_pieces:
        found.pieces = _count(found, lambda: count_pieces(model, X))
    elif regions and X.shape[1] == 2 and y.shape[1] == 1 and is_piecewise_linear(logit_of(model)):
        found.regions = _count(found, lambda: count_regions(one_output_of(model), X))
    found.dead_units = dead_units(model, X)
    if loss == "ce":  # k logits: least squares' line and its notes are a regression's questions
        return found
    if in_pieces:  # one affine map is one piece (or one x value), as linear_on_data counts: count once
        found.one_affine_map = found.pieces is not None and found.pieces.count in (None, 1)
    else:
        found.one_affine_map = linear_on_data(model, X)
    if found.one_affine_map:
        found.least_squares_mse = least_squares_mse(X, y) if least_squares is None else least_squares
        if not within_least_squares(mse, found.least_squares_mse, y):
            found.stuck = stuck_reason(model, X)
        if any(kinds.has_kink(layer) for layer in layers_of(model)):  # an identity net is one map by design
            found.linear_regression = regression_note(mse, found.least_squares_mse, found.stuck)
    return found


def logit_of(model):
    """The model up to its logit: a classifier's regions are those of the value before its sigmoid."""
    layers = layers_of(model)
    return Sequential(*layers[:-1]) if layers and isinstance(layers[-1], Sigmoid) else model


def one_output_of(model):
    """``model`` with k > 1 outputs summed into one: the same linear regions (they are where the hidden
    units switch, and the last Linear layer switches none), for what counts regions of one output.
    A model of one output is returned as it is."""
    layers = layers_of(model)
    last = next((i for i in range(len(layers) - 1, -1, -1) if isinstance(layers[i], Linear)), None)
    if last is None or layers[last].out_features == 1:
        return model
    summed = Linear.from_weights(layers[last].weight.data.sum(axis=1, keepdims=True),
                                 None if layers[last].bias is None else layers[last].bias.data.sum(keepdims=True))
    return Sequential(*layers[:last], summed, *layers[last + 1:])


def _count(found: FitReport, count) -> PieceCount | None:
    """count(), or None with ``found.count_error`` saying why it could not be counted."""
    try:
        return count()
    except (ValueError, MemoryError) as error:  # too many to list: the rest of the report still holds
        found.count_error = str(error) or "out of memory"
        return None


LOSS_NAMES = {"mse": "MSE", "bce": "binary cross-entropy", "ce": "cross-entropy"}  # each loss as a summary names it


def fit_summary(model, X, y, loss: str, history, validation=None) -> tuple[dict, FitReport]:
    """What ``tinynet train`` reports of a trained ``model``: ``describe_fit`` on the training rows
    (X, y), its scores on the held-out ``validation`` = (X_val, y_val) if given, and the run's
    ``history`` (epochs, seconds), as a dict of plain values; and the FitReport they come from.

    >>> X, y = make_dataset("abs", 64)
    >>> result, _ = fit_summary(exact_abs(), X, y, "mse", History(loss=[0.5, 0.0], seconds=0.1))
    >>> result["final_mse"], result["linear_pieces"], result["epochs"]
    (0.0, 2, 2)
    """
    fit = describe_fit(model, X, y, loss)
    result = {"final_loss": fit.loss_value, "final_mse": fit.mse, "epochs": history.epochs,
              "seconds": history.seconds, "loss": loss, "linear_pieces": None, "samples": int(X.shape[0]),
              "features": int(X.shape[1])}
    if getattr(history, "best_epoch", None) is not None:  # held-out stopping: the epoch whose parameters are kept
        result["best_epoch"] = history.best_epoch
    held_out = None if validation is None else describe_fit(model, *validation, loss, shape=False)
    if held_out is not None:
        result["val_mse"], result["val_loss"] = held_out.mse, held_out.loss_value
    if fit.accuracy is not None:  # class labels: how many rows are right
        result["accuracy"] = fit.accuracy
        if held_out is not None and held_out.accuracy is not None:
            result["val_accuracy"] = held_out.accuracy
    key = "linear_pieces" if X.shape[1] == 1 else "linear_regions"
    counted = fit.pieces if fit.pieces is not None else fit.regions
    if fit.count_error is not None:  # too many to count: say why, the rest still holds
        result[f"{key}_error"] = fit.count_error
    elif counted is not None and counted.count is not None:  # None: every x the same, no interval to count on
        result[key] = counted.count
        result[f"{key}_where"] = counted.where()
        if key == "linear_pieces":
            result["range"] = list(counted.box[0])
        else:
            result["box"] = [list(side) for side in counted.box]
    result["linear_regression"] = fit.linear_regression
    return result, fit


def train_summary(model, X, y, history, validation, settings: dict, saved: str | None = None
                  ) -> tuple[dict, FitReport]:
    """``fit_summary`` (its loss is ``settings["loss"]``; ``validation`` (X_val, y_val) or (None, None)), then
    the ``settings`` the run went by (data, loss, lr, ...), the net's hidden activation, hidden sizes and dtype,
    and where it was ``saved``: what ``tinynet train`` reports, in that order."""
    result, fit = fit_summary(model, X, y, settings["loss"], history, None if validation[0] is None else validation)
    linears = [layer for layer in model if isinstance(layer, Linear)]
    result.update(settings, activation=hidden_activation(model), hidden=[layer.out_features for layer in linears[:-1]],
                  dtype=str(model_dtype(model)))
    if saved:
        result["saved"] = saved
    return result, fit


def dead_units_warning(dead_units: tuple[int, int] | None, label: str = "") -> str | None:
    """A warning, after ``label``, when more than half of a net's rectifier units, (dead, total) on the
    training data (``describe_fit``), are dead; else None.

    >>> dead_units_warning((3, 4), "relu net: ")[:36]
    'relu net: 3 of 4 ReLU units are dead'
    """
    dead, total = dead_units or (0, 0)
    if not total or dead <= total / 2:
        return None
    return (f"{label}{dead} of {total} ReLU units are dead (never on for any training input), so they no longer "
            "learn: try a lower --lr, another --seed, or --activation leaky_relu")


def warnings_before(net, y: np.ndarray, hidden, activation: str) -> list[str]:
    """What ``tinynet train`` warns of before it trains ``net`` (``hidden`` the sizes asked for, None for a
    resumed net) on targets ``y``: a net that can only be an affine map, and a sigmoid output that cannot
    reach the targets."""
    layers, warnings = list(net), []
    if hidden == () and activation != "identity":
        warnings.append(f"with no hidden layer the network is one affine map, and --activation {activation} is "
                        "not used: it cannot beat least squares (give hidden sizes, e.g. --hidden 32,32)")
    elif hidden and all(isinstance(layer, (Linear, Identity)) for layer in layers):
        warnings.append("every hidden activation is identity: this network is one affine map, "
                        "so it cannot beat least squares (try --activation relu)")
    if layers and isinstance(layers[-1], Sigmoid) and (y.min() < 0 or y.max() > 1):
        warnings.append(f"the sigmoid output lies in (0, 1), but the targets range over [{y.min():.3g}, "
                        f"{y.max():.3g}]: use --output-activation identity, or targets in [0, 1]")
    return warnings


def summary_text(result: dict, name: str) -> str:
    """``fit_summary``'s ``result`` (with "data" added, the data's name) as lines of text, labels aligned.

    Three digits: the fourth of a trained net's loss can depend on the CPU's BLAS kernel.
    """
    size = f"{_plural(result['samples'], 'sample')}, {_plural(result['features'], 'feature')}"
    lines = [f"trained {name} on {result['data']}: {size}"]
    if result["loss"] == "mse":
        rows = [("final training MSE", f"{result['final_mse']:.3g}")]
        if "val_mse" in result:
            rows.append(("validation MSE", f"{result['val_mse']:.3g}"))
    else:  # the loss it trained, named: an MSE beside it would be a second number for one question
        loss_name = LOSS_NAMES.get(result["loss"], result["loss"])
        rows = [("final training loss", f"{result['final_loss']:.3g} ({loss_name})")]
        if "val_loss" in result:
            rows.append(("validation loss", f"{result['val_loss']:.3g} ({loss_name})"))
    if "accuracy" in result:
        rows.append(("training accuracy", f"{result['accuracy']:.1%}"))
    if "val_accuracy" in result:
        rows.append(("validation accuracy", f"{result['val_accuracy']:.1%}"))
    for key, label in (("linear_pieces", "linear pieces"), ("linear_regions", "linear regions")):
        if result.get(key) is not None:
            rows.append((label, f"{result[key]} {result[f'{key}_where']}"))
        elif f"{key}_error" in result:
            rows.append((label, f"not counted: {result[f'{key}_error']}"))
    if "best_epoch" in result:
        rows.append(("kept", f"epoch {result['best_epoch']}, the lowest validation loss"))
    rows.append(("time", f"{result['seconds']:.2f} s ({_plural(result['epochs'], 'epoch')})"))
    width = max(len(label) for label, _ in rows) + 2  # the longest label, its colon and a space
    lines += [f"{label + ':':<{width}}{value}" for label, value in rows]
    if result["linear_regression"]:
        lines.append(result["linear_regression"])
    return "\n".join(lines)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def model_name(model) -> str:
    """A model by its sizes and activation, as every command names it: "mlp 1-32-32-1 (relu)".

    >>> model_name(mlp([1, 8, 1], "tanh")), model_name(mlp([2, 1]))
    ('mlp 1-8-1 (tanh)', 'mlp 2-1 (no hidden layer)')
    """
    layers = layers_of(model)
    linears = [layer for layer in layers if isinstance(layer, Linear)]
    if not linears:
        return f"a model of {len(layers)} fixed layer{'' if len(layers) == 1 else 's'}, no Linear"
    sizes = [linears[0].in_features] + [layer.out_features for layer in linears]
    kind = "no hidden layer" if len(linears) == 1 else hidden_activation(model)
    return f"mlp {'-'.join(map(str, sizes))} ({kind})"


def hidden_activation(model) -> str:
    """The activation between the Linear layers ("identity" when there is none, "mixed" when they differ)."""
    layers = [layer for layer in layers_of(model) if not isinstance(layer, (Standardize, Unstandardize))]
    last_linear = max((i for i, layer in enumerate(layers) if isinstance(layer, Linear)), default=-1)
    found = {kinds.activation_name(layer) or type(layer).__name__ for layer in layers[:last_linear]
             if not isinstance(layer, Linear)}
    if not found:
        return "identity"
    return found.pop() if len(found) == 1 else "mixed"

