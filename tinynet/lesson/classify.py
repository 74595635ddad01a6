"""What a target of 0s and 1s means: class labels, and the net and loss they call for.

``is_classification`` recognises class labels; ``training_defaults`` is the
one rule that ``tinynet train`` and ``tinynet compare`` (and whoever else
builds a net for a target) follow: class labels get a sigmoid output, whose
values are probabilities, and binary cross-entropy; anything else an
identity output and the MSE. ``data_box`` is the box around two-input data,
where regions are counted and drawn. The lesson for class labels
(``compare_classifiers``) is in compare_nets.py.
"""

from dataclasses import dataclass

import numpy as np

from ..engine import Sigmoid
from ..model import layers_of
from .pieces import counting_box

OUTPUT_ACTIVATIONS = ("identity", "sigmoid")


def is_classification(y) -> bool:
    """True when every target is 0 or 1 and both occur: class labels, for a sigmoid output and
    binary cross-entropy (a target that is always 0, or always 1, is a constant, not two classes)."""
    y = np.asarray(y)
    return bool(np.isin(y, (0.0, 1.0)).all() and (y == 0).any() and (y == 1).any())


@dataclass(frozen=True)
class Defaults:
    """How to build and train a net for some targets (``training_defaults``).

    classification:    the targets are class labels (``is_classification``):
                       report accuracy, compare classifiers
    output_activation: "sigmoid" or "identity", the last layer's activation
    loss:              "bce" or "mse"
    scale_targets:     standardise the targets too: only behind an identity
                       output (a sigmoid's outputs are probabilities, in [0, 1])
    """

    classification: bool
    output_activation: str
    loss: str
    scale_targets: bool


def training_defaults(y, output_activation: str | None = None, loss: str | None = None, *,
                      model=None) -> Defaults:
    """The net and loss for targets ``y`` (N, outputs), where the caller has not said.

    A target of 0s and 1s is a classification: a sigmoid output, unless
    ``output_activation`` says otherwise; else an identity output. A trained
    ``model`` (resumed, inspected) has its own output, which wins. The loss,
    unless ``loss`` says: binary cross-entropy for a sigmoid output on
    targets in [0, 1], else the MSE. Whether the combination can train (BCE
    needs a sigmoid output and targets in [0, 1]) is ``fit``'s to check.

    >>> training_defaults(np.array([[0.0], [1.0], [1.0]]))
    Defaults(classification=True, output_activation='sigmoid', loss='bce', scale_targets=False)
    >>> training_defaults(np.array([[0.0], [1.0]]), output_activation="identity").loss
    'mse'
    """
    if output_activation is not None and output_activation not in OUTPUT_ACTIVATIONS:
        raise ValueError(f"output_activation must be one of {', '.join(OUTPUT_ACTIVATIONS)}, "
                         f"got {output_activation!r}")
    if model is not None:
        layers = layers_of(model)
        output_activation = "sigmoid" if layers and isinstance(layers[-1], Sigmoid) else "identity"
    y = np.asarray(y)
    classification = is_classification(y)
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
