"""The lesson for a 0/1 target: logistic regression, the identity net, the ReLU net and the sigmoid net.

A net of identity layers with a sigmoid output computes s(x @ W + b)
whatever its depth: logistic regression, one straight line between the
classes. A ReLU net tiles the plane with polygons, each with its own affine
map, and its decision boundary is a path of straight segments, one per
region it crosses. ``compare_classifiers`` trains them side by side.
"""

import time

import numpy as np

from ..checks import as_batch, check_same_length
from ..engine import BCELoss
from ..mlp import mlp
from ..standardize import scaled_for_training
from ..training import fit
from .metrics import accuracy
from .pieces import count_regions, counting_box

PIECEWISE_LINEAR = ("identity", "relu", "leaky_relu")


def is_classification(y) -> bool:
    """True when every target is 0 or 1 and both occur: class labels, for a sigmoid output and
    binary cross-entropy (a target that is always 0, or always 1, is a constant, not two classes)."""
    y = np.asarray(y)
    return bool(np.isin(y, (0.0, 1.0)).all() and (y == 0).any() and (y == 1).any())


def data_box(X: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """((x0_min, x0_max), (x1_min, x1_max)): the box around two-input data, for ``linear_regions``:
    the box every command counts regions over (``counting_box``)."""
    box, _ = counting_box(None, X)  # with data, the model is not consulted
    return box


def compare_classifiers(X, y, *, hidden=(16, 16), activations=("identity", "relu", "sigmoid"), seed=0,
                        standardize: bool = True, callback=None, **fit_options) -> list[dict]:
    """Logistic regression and one ``mlp`` per activation, each with a sigmoid output and BCE; one row each.

    X: (N, D); y: (N, 1) of 0 and 1. Each row is a dict with
        "model":          "logistic regression" or the sizes, e.g. "mlp 2-16-16-1"
        "activation":     the hidden activation (None for logistic regression)
        "accuracy":       the share of rows classified right (output >= 0.5)
        "bce":            the training loss, binary cross-entropy
        "linear_regions": for two inputs and a piecewise-linear net, the regions of
                          ``linear_regions`` over the data's box (``count_regions``); else None
        "regions_box":    that box, [[x0_min, x0_max], [x1_min, x1_max]], beside the count; else None
        "seconds", "net", "history"
    Logistic regression is ``mlp([D, 1], "identity", output_activation="sigmoid")``
    trained by ``fit`` like the nets (it has one region). With ``standardize``
    the inputs are scaled inside each model (the targets stay 0 and 1).
    """
    X = as_batch(X, "X")
    y = as_batch(y, "y")
    check_same_length(X, y)
    if not is_classification(y):
        raise ValueError("compare_classifiers needs targets of 0 and 1 (class labels): use compare for others")
    sizes = [X.shape[1], *hidden, y.shape[1]]
    nets = [("logistic regression", None, [X.shape[1], y.shape[1]], "identity")]
    nets += [("mlp " + "-".join(map(str, sizes)), activation, sizes, activation) for activation in activations]
    rows = []
    for name, label, net_sizes, activation in nets:
        start = time.perf_counter()
        net = mlp(net_sizes, activation, output_activation="sigmoid", seed=seed)
        model, X_train, y_train = scaled_for_training(net, X, y, standardize=standardize, targets=False)
        follow = None if callback is None else (lambda e, loss, a=label: callback(a, e, loss))
        history = fit(net, X_train, y_train, loss="bce", seed=seed, callback=follow, **fit_options)
        counted = None
        if X.shape[1] == 2 and y.shape[1] == 1 and activation in PIECEWISE_LINEAR:
            counted = count_regions(model, X)
        rows.append({"model": name, "activation": label, "accuracy": accuracy(model, X, y),
                     "bce": BCELoss()(model(X), y), "linear_regions": None if counted is None else counted.count,
                     "regions_box": None if counted is None or counted.count is None
                     else [list(side) for side in counted.box],
                     "seconds": time.perf_counter() - start, "net": model, "history": history})
    return rows


def classifier_line(rows: list[dict]) -> str:
    """One sentence that states what the rows show: one line against a polygon path."""
    by_activation = {row["activation"]: row for row in rows}
    logistic = by_activation[None]
    parts = [f"logistic regression draws one line: {logistic['accuracy']:.1%} right"]
    if "identity" in by_activation:
        parts.append(f"the identity net is the same line ({by_activation['identity']['accuracy']:.1%})")
    relu = by_activation.get("relu")
    if relu is not None:
        regions = "" if relu["linear_regions"] is None else f", {relu['linear_regions']} linear regions"
        parts.append(f"the ReLU net {relu['accuracy']:.1%}{regions}")
    return "; ".join(parts)
