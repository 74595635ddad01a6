"""compare and lesson_line: the lesson in one call, and in one sentence; compare_classifiers for class labels.

Train an identity net, a ReLU net and a sigmoid net of the same sizes with
the same budget on the same data, and fit least squares in closed form.
The numbers tell the story: the identity net ties least squares (it is one
affine map), the ReLU net beats it by orders of magnitude with a handful of
linear pieces, and the sigmoid net gets there smoothly.

For a noisy target (``NOISY_HELD_OUT``) the training error alone rewards
fitting the noise: more pieces, a lower training error and a higher error on
rows held out. ``held_out_fraction`` says how much ``tinynet compare`` holds
out by default for such a set.

For a target of 0s and 1s: a net of identity layers with a sigmoid output
computes s(x @ W + b) whatever its depth: logistic regression, one straight
line between the classes. A ReLU net tiles the plane with polygons, each
with its own affine map, and its decision boundary is a path of straight
segments, one per region it crosses. ``compare_classifiers`` trains them
side by side; for the labels 0 ... k-1, k >= 3, each with k outputs and
softmax cross-entropy, softmax regression (an identity net of k outputs:
multi-class logistic regression) in logistic regression's place. Every row is what ``describe_fit`` says of its net.
"""

import time
from contextlib import contextmanager

import numpy as np

from ..checks import as_batch, check_same_length
from ..engine import Sequential
from ..errors import TrainingDiverged
from ..mlp import mlp
from ..standardize import scaled_for_training, split_scaling
from ..training import fit
from .classify import is_classification, training_defaults
from .collapse import least_squares
from .datasets import NOISY
from .report import describe_fit

CLEARLY_BETTER = 2  # a ratio of MSEs below this is said in words: "1.1x lower" reads as a win that is not one
NOISY_HELD_OUT = 0.25  # a quarter of a noisy set's rows: 16 of noisy_sin's 64, enough to see the noise fitted


def held_out_fraction(data: str, given: float | None) -> float | None:
    """The fraction of rows ``compare`` holds out: ``given``, else ``NOISY_HELD_OUT`` for a built-in
    noisy set (where the training error alone rewards fitting the noise), else None.

    >>> held_out_fraction("noisy_sin", None), held_out_fraction("sin", None), held_out_fraction("sin", 0.2)
    (0.25, None, 0.2)
    """
    if given is not None:
        return given
    return NOISY_HELD_OUT if data in NOISY else None


def compare(X, y, *, hidden=(32, 32), activations=("identity", "relu", "sigmoid"), seed=0,
            standardize: bool = True, callback=None, validation=None, watch=None, restore_best: bool = False,
            **fit_options) -> list[dict]:
    """Fit least squares and one ``mlp`` per activation on (X, y); return one row each.

    Each row is a dict with
        "model":         "least squares" or the sizes, e.g. "mlp 1-32-32-1"
        "activation":    the hidden activation (None for least squares)
        "mse":           training MSE, in the units of y
        "linear_pieces": pieces over the data's range (``count_pieces``) for one-input
                         piecewise-linear fits (least squares and identity nets: 1), else
                         None (also when every x is the same: no interval to count on)
        "pieces_range":  that range, [X.min(), X.max()], beside the count; else None
        "count_error":   why the pieces could not be counted (too many to list), else None
        "seconds":       time to fit (not to describe)
        "dead_units":    (dead, total) rectifier units never on for any row of X; None
                         for least squares, which has no units
        "linear_regression": ``linear_regression_note`` for a ReLU net that is one
                         affine map over the data (it is linear regression there), else None
        "net", "history": the fitted model (for plots) and its History (None for least squares)
        "val_mse":       with ``validation=(X_val, y_val)``, the MSE on those held-out rows,
                         in the units of y (and the History has their loss per epoch)
        "best_epoch":    with ``restore_best`` (and ``validation``), the epoch each net was kept at,
                         its lowest held-out loss (``fit``'s restore_best); None for least squares
    and the least-squares row also has "variance", the MSE of always predicting the mean of y,
    and "samples", the number of rows.

    Every net gets the same sizes, seed and ``fit_options`` (epochs, lr, ...).
    With ``standardize`` (the default) the nets train on standardised data
    (mean 0, variance 1: the first layer's kinks start near 0, where the
    data then is) but are returned, and scored, in the original units. ``callback(activation, epoch, loss)``
    follows training; ``watch(activation, model)`` may return a callback(epoch, loss) for that net's
    training (a ``KinkRecorder``, say), which then sees every epoch too. A net whose training
    diverges raises ``fit``'s TrainingDiverged, naming the net ("the relu net: training diverged: ...").
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
        with _naming(f"the {activation} net"):
            history = fit(net, X_train, y_train, seed=seed, callback=follow, validation=held_out,
                          restore_best=restore_best and held_out is not None, **fit_options)
        seconds = time.perf_counter() - start
        rows.append(_row("mlp " + "-".join(map(str, sizes)), activation, model, X, y, seconds, history))
    if validation is not None:
        for row in rows:
            row["val_mse"] = describe_fit(row["net"], X_val, y_val, shape=False).mse
            row["best_epoch"] = None if row["history"] is None else row["history"].best_epoch
    return rows


@contextmanager
def _naming(net: str):
    """fit's TrainingDiverged, saying which of the nets diverged."""
    try:
        yield
    except TrainingDiverged as error:
        raise TrainingDiverged(f"{net}: {error}") from None


def _both(first, second):
    """One fit callback that calls both (either may be None)."""
    if first is None or second is None:
        return first or second
    return lambda epoch, loss: (first(epoch, loss), second(epoch, loss))


def _row(name, activation, model, X, y, seconds, history) -> dict:
    """One row of ``compare``: what ``describe_fit`` says of ``model`` on (X, y)."""
    report = describe_fit(model, X, y, regions=False)  # compare's table counts the pieces of one input
    counted = report.pieces
    return {"model": name, "activation": activation, "mse": report.mse,
            "linear_pieces": None if counted is None else counted.count,
            "pieces_range": None if counted is None or counted.count is None else list(counted.box[0]),
            "count_error": report.count_error, "seconds": seconds, "dead_units": report.dead_units,
            "linear_regression": report.linear_regression, "net": model, "history": history}


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


def compare_classifiers(X, y, *, hidden=(16, 16), activations=("identity", "relu", "sigmoid"), seed=0,
                        standardize: bool = True, callback=None, watch=None, **fit_options) -> list[dict]:
    """Logistic regression and one ``mlp`` per activation, each with a sigmoid output and BCE; one row each.

    X: (N, D); y: (N, 1) of 0 and 1, or of the labels 0 ... k-1, k >= 3
    (``class_count``): then every model has k outputs, its logits, and trains
    softmax cross-entropy, and softmax regression, ``mlp([D, k], "identity")``,
    stands in for logistic regression. Each row is a dict with
        "model":          "logistic regression" ("softmax regression") or the sizes,
                          e.g. "mlp 2-16-16-1"
        "activation":     the hidden activation (None for logistic regression)
        "accuracy":       the share of rows classified right (output >= 0.5; k
                          classes: the largest logit)
        "bce":            the training loss, binary cross-entropy (k classes: "ce",
                          softmax cross-entropy, in its place)
        "linear_regions": for two inputs and a piecewise-linear net, the regions of
                          ``linear_regions`` over the data's box (``count_regions``); else None
        "regions_box":    that box, [[x0_min, x0_max], [x1_min, x1_max]], beside the count; else None
        "count_error":    why the regions could not be counted (too many to list), else None
        "seconds" (to fit), "net", "history"
    Logistic regression is ``mlp([D, 1], "identity", output_activation="sigmoid")``
    trained by ``fit`` like the nets (it has one region). With ``standardize``
    the inputs are scaled inside each model (the targets stay 0 and 1). ``callback`` and
    ``watch`` as for ``compare`` (logistic regression's activation is None). A net whose
    training diverges raises ``fit``'s TrainingDiverged, naming the net.
    """
    X = as_batch(X, "X")
    y = as_batch(y, "y")
    check_same_length(X, y)
    if not is_classification(y):
        raise ValueError("compare_classifiers needs class labels (0 and 1, or 0 ... k-1): use compare for others")
    task = training_defaults(y)  # the rule train follows: sigmoid and BCE, or k logits and softmax cross-entropy
    loss, output, outputs = task.loss, task.output_activation, task.outputs(y)
    sizes = [X.shape[1], *hidden, outputs]
    linear = "softmax regression" if task.classes else "logistic regression"
    nets = [(linear, None, [X.shape[1], outputs], "identity")]
    nets += [("mlp " + "-".join(map(str, sizes)), activation, sizes, activation) for activation in activations]
    rows = []
    for name, label, net_sizes, activation in nets:
        start = time.perf_counter()
        net = mlp(net_sizes, activation, output_activation=output, seed=seed)
        model, X_train, y_train = scaled_for_training(net, X, y, standardize=standardize, targets=False)
        follow = None if callback is None else (lambda e, loss, a=label: callback(a, e, loss))
        follow = _both(follow, None if watch is None else watch(label, model))
        with _naming(f"the {activation} net" if label else name):
            history = fit(net, X_train, y_train, loss=loss, seed=seed, callback=follow, **fit_options)
        seconds = time.perf_counter() - start
        report = describe_fit(model, X, y, loss=loss)
        counted = report.regions
        rows.append({"model": name, "activation": label, "accuracy": report.accuracy, loss: report.loss_value,
                     "linear_regions": None if counted is None else counted.count,
                     "regions_box": None if counted is None or counted.count is None
                     else [list(side) for side in counted.box],
                     "count_error": report.count_error, "seconds": seconds, "net": model, "history": history})
    return rows


def classifier_line(rows: list[dict]) -> str:
    """One sentence that states what the rows show: one line against a polygon path."""
    by_activation = {row["activation"]: row for row in rows}
    logistic = by_activation[None]
    if "ce" in logistic:  # k classes: softmax regression's borders are straight lines, one per pair of classes
        parts = [f"softmax regression draws straight borders: {logistic['accuracy']:.1%} right"]
    else:
        parts = [f"logistic regression draws one line: {logistic['accuracy']:.1%} right"]
    if "identity" in by_activation:
        # the same kind of borders, not the same numbers: each trained in the same budget, from its own start
        same = "straight borders" if "ce" in logistic else "one line"
        parts.append(f"the identity net can only draw {same} too ({by_activation['identity']['accuracy']:.1%})")
    relu = by_activation.get("relu")
    if relu is not None:
        regions = "" if relu["linear_regions"] is None else f", {relu['linear_regions']} linear regions"
        parts.append(f"the ReLU net {relu['accuracy']:.1%}{regions}")
    return "; ".join(parts)


# what --json gives of each row (dead_units is null for least squares: a line has no units)
ROW_KEYS = ("model", "activation", "mse", "linear_pieces", "pieces_range", "seconds", "dead_units",
            "linear_regression")
CLASSIFIER_KEYS = ("model", "activation", "accuracy", "bce", "linear_regions", "regions_box", "seconds")


def rows_json(rows: list[dict]) -> list[dict]:
    """``compare``'s or ``compare_classifiers``' rows as plain values for JSON: no nets, no histories;
    the held-out MSE and best epoch where rows were held out, "ce" for "bce" for k classes."""
    if "accuracy" in rows[0]:
        keys = tuple("ce" if key == "bce" and "bce" not in rows[0] else key for key in CLASSIFIER_KEYS)
    else:
        keys = ROW_KEYS + (("val_mse", "best_epoch") if "val_mse" in rows[0] else ())
    return [{key: row[key] for key in keys} for row in rows]


def held_out_lesson(rows: list[dict], n_val: int, n_rows: int, seed: int, by_default: bool) -> str:
    """``lesson_line`` on the training rows and on the ``n_val`` of ``n_rows`` held out (``by_default``: by
    ``tinynet compare`` on a noisy set, which then says so, so that the held-out column is not a surprise)."""
    lesson = f"{lesson_line(rows)}\non the {n_val} held-out rows: {lesson_line(rows, 'val_mse')}"
    if by_default:
        lesson += (f"\n(a noisy set: {n_val} of {n_rows} rows held out, seeded by --seed {seed}, to show the "
                   "error there; --val-fraction also keeps each net at its best epoch)")
    return lesson


def compare_text(rows: list[dict], lesson: str) -> str:
    """``compare``'s rows as a table (the held-out MSE beside the training MSE where the rows have one),
    then ``lesson`` and what each net's linear regime says: what ``tinynet compare`` prints."""
    span = next((row["pieces_range"] for row in rows if row["pieces_range"] is not None), None)
    # a count of pieces means nothing without its interval: the data's range, as train and inspect count
    header = ("model", "activation", "train MSE",
              "linear pieces" if span is None else f"pieces on [{span[0]:.4g}, {span[1]:.4g}]", "time")
    cells = [header] + [
        (row["model"], row["activation"] or "-", f"{row['mse']:.3g}", _count_cell(row["linear_pieces"], row),
         f"{row['seconds']:.2f} s")
        for row in rows
    ]
    if "val_mse" in rows[0]:  # beside the training MSE, where overfitting shows
        cells = [line[:3] + (f"{row['val_mse']:.3g}" if row else "val MSE",) + line[3:]
                 for line, row in zip(cells, [None, *rows])]
    regressions = [f"{row['activation']} net: {row['linear_regression']}" for row in rows[1:]
                   if row["linear_regression"]]
    return "\n".join([*_table(cells, rows), "", lesson, *regressions])


def classifier_text(rows: list[dict], lesson: str) -> str:
    """``compare_classifiers``' rows as a table, the box its regions were counted over, then ``lesson``:
    what ``tinynet compare`` prints for class labels."""
    # the loss each net trained, spelled out: BCE is jargon to a learner
    loss = "bce" if "bce" in rows[0] else "ce"
    header = ("model", "activation", "accuracy", "binary cross-entropy" if loss == "bce" else "cross-entropy",
              "linear regions", "time")
    cells = [header] + [
        (row["model"], row["activation"] or "-", f"{row['accuracy']:.1%}", f"{row[loss]:.2g}",
         _count_cell(row["linear_regions"], row), f"{row['seconds']:.2f} s")
        for row in rows
    ]
    box = next((row["regions_box"] for row in rows if row["regions_box"] is not None), None)
    # a count of regions means nothing without its box
    boxed = [] if box is None else [
        "linear regions: over " + " x ".join(f"[{lo:.4g}, {hi:.4g}]" for lo, hi in box) + ", the data's box"]
    return "\n".join([*_table(cells, rows), *boxed, "", lesson])


def _table(cells: list[tuple[str, ...]], rows: list[dict]) -> list[str]:
    """The lines of ``cells`` in left-aligned columns, then, if a count ran out, why (once)."""
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells]
    why = next((row["count_error"] for row in rows if row.get("count_error")), None)
    return lines + ([f"not counted: {why}"] if why else [])


def _count_cell(count: int | None, row: dict) -> str:
    """A row's count of pieces or regions: "too many" where ``describe_fit`` could not count them."""
    if row.get("count_error"):
        return "too many"
    return "-" if count is None else str(count)
