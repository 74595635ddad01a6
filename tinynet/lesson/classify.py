"""What a target of class labels means: the net and loss they call for.

``is_classification`` recognises class labels, ``class_count`` how many
classes a column of labels 0 ... k-1 holds; ``training_defaults`` is the
one rule that ``tinynet train`` and ``tinynet compare`` (and whoever else
builds a net for a target) follow: labels 0 and 1 get a sigmoid output,
whose values are probabilities, and binary cross-entropy; labels 0 ... k-1
with k >= 3 a net of k outputs (logits) and softmax cross-entropy;
anything else an identity output and the MSE. ``data_box`` is the box around two-input data,
where regions are counted and drawn. The lesson for class labels
(``compare_classifiers``) is in compare_nets.py.
"""

from dataclasses import dataclass

import numpy as np

from ..engine import Sigmoid
from ..model import layers_of, output_features
from .pieces import counting_box

OUTPUT_ACTIVATIONS = ("identity", "sigmoid")


def is_classification(y) -> bool:
    """True when ``y`` holds class labels: every target 0 or 1 and both occur (for a sigmoid output
    and binary cross-entropy), or one column of the labels 0 ... k-1, each occurring, k >= 3
    (``class_count``; for softmax cross-entropy). A target that is always 0, or always 1, is a
    constant, not two classes.

    >>> is_classification([[0], [1], [1]]), is_classification([[0], [2], [1]]), is_classification([[0], [2]])
    (True, True, False)
    """
    y = np.asarray(y)
    binary = bool(np.isin(y, (0.0, 1.0)).all() and (y == 0).any() and (y == 1).any())
    return binary or class_count(y) >= 3


def class_count(y) -> int:
    """k when ``y`` (N, 1) holds the labels 0 ... k-1, whole numbers, each at least once; else 0.

    Every label must occur: a column of counts that skips a value (0, 1, 5)
    is a number to predict, not k classes.

    >>> class_count([[2.0], [0.0], [1.0], [2.0]]), class_count([[0], [1], [3]]), class_count([[0.5], [1.5]])
    (3, 0, 0)
    """
    y = np.asarray(y)
    if y.ndim != 2 or y.shape[1] != 1 or y.size == 0 or not np.issubdtype(y.dtype, np.number) \
            or not np.isfinite(y).all() or (y != np.round(y)).any() or y.min() != 0:
        return 0
    k = int(y.max()) + 1
    return k if k <= y.size and len(np.unique(y)) == k else 0


@dataclass(frozen=True)
class Defaults:
    """How to build and train a net for some targets (``training_defaults``).

    classification:    the targets are class labels (``is_classification``):
                       report accuracy, compare classifiers
    output_activation: "sigmoid" or "identity", the last layer's activation
    loss:              "bce", "ce" or "mse"
    scale_targets:     standardise the targets too: only for the MSE (a
                       sigmoid's outputs are probabilities, labels are labels)
    classes:           k for labels 0 ... k-1 trained with softmax
                       cross-entropy: the net has k outputs, its logits; else None
    """

    classification: bool
    output_activation: str
    loss: str
    scale_targets: bool
    classes: int | None = None

    def outputs(self, y) -> int:
        """How many outputs the net for targets ``y`` (N, out_features) has: k logits, or one per column."""
        return self.classes or np.shape(y)[1]


def training_defaults(y, output_activation: str | None = None, loss: str | None = None, *,
                      model=None) -> Defaults:
    """The net and loss for targets ``y`` (N, outputs), where the caller has not said.

    A target of 0s and 1s is a classification: a sigmoid output, unless
    ``output_activation`` says otherwise; else an identity output. A trained
    ``model`` (resumed, inspected) has its own output, which wins. The loss,
    unless ``loss`` says: binary cross-entropy for a sigmoid output on
    targets in [0, 1], else the MSE. One column of the labels 0 ... k-1,
    k >= 3 (``class_count``), is k classes: a net of k identity outputs (its
    logits) and softmax cross-entropy, "ce" (as is a resumed model of k > 1
    outputs on one column of labels), unless the caller asks for a sigmoid
    output or another loss. Whether the combination can train (BCE
    needs a sigmoid output and targets in [0, 1]) is ``fit``'s to check.

    >>> training_defaults(np.array([[0.0], [1.0], [1.0]]))
    Defaults(classification=True, output_activation='sigmoid', loss='bce', scale_targets=False, classes=None)
    >>> training_defaults(np.array([[0.0], [1.0]]), output_activation="identity").loss
    'mse'
    >>> training_defaults(np.array([[0], [1], [2]]))
    Defaults(classification=True, output_activation='identity', loss='ce', scale_targets=False, classes=3)
    """
    if output_activation is not None and output_activation not in OUTPUT_ACTIVATIONS:
        raise ValueError(f"output_activation must be one of {', '.join(OUTPUT_ACTIVATIONS)}, "
                         f"got {output_activation!r}")
    if model is not None:
        layers = layers_of(model)
        output_activation = "sigmoid" if layers and isinstance(layers[-1], Sigmoid) else "identity"
    y = np.asarray(y)
    classes = class_count(y)
    if model is not None:  # a trained net of k > 1 outputs on one column: k logits, whatever the labels seen
        outputs = output_features(model) or 1
        classes = outputs if outputs > 1 and y.ndim == 2 and y.shape[1] == 1 else 0
    if (classes >= 3 or (classes and model is not None)) and output_activation in (None, "identity") \
            and loss in (None, "ce"):
        return Defaults(True, "identity", "ce", scale_targets=False, classes=classes)
    classification = is_classification(y) and classes < 3  # k labels under another loss: the caller's numbers
    if output_activation is None:
        output_activation = "sigmoid" if classification else "identity"
    probabilities = output_activation == "sigmoid" and y.size > 0 and 0 <= y.min() and y.max() <= 1
    loss = loss or ("bce" if probabilities else "mse")
    return Defaults(classification, output_activation, loss, scale_targets=output_activation == "identity")


def data_box(X: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """((x0_min, x0_max), (x1_min, x1_max)): the box around two-input data, for ``linear_regions``:
    the box every command counts regions over (``counting_box``)."""
    box, _ = counting_box(None, X)  # with data, the model is not consulted
    return box
