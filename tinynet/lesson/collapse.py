"""Deep identity nets are linear regression.

With identity activations a network computes

    y = ((x @ W1 + b1) @ W2 + b2) ... @ Wk + bk
      = x @ (W1 @ W2 @ ... @ Wk) + (the biases carried through the same way)

which is one affine map, x @ W + b: extra layers add parameters but no
expressive power. ``collapse`` multiplies it out; ``least_squares`` finds the
best affine map in closed form. A trained identity net can therefore never
have a lower training MSE than ``least_squares``, only approach it.

The same holds for a classifier: an identity net with a Sigmoid output
computes s(x @ W + b), which is logistic regression, and ``collapse`` gives
it back as Linear -> Sigmoid. Its decision boundary, where x @ W + b = 0,
is one straight line (one plane in more inputs), whatever the depth.
"""

import numpy as np

from .. import kinds
from ..checks import as_batch, check_same_length
from ..engine import Linear, Sequential, Sigmoid
from ..model import layers_of
from ..standardize import Standardize, Unstandardize


def collapse(model) -> Linear | Sequential:
    """Return the single Linear layer (and the final Sigmoid, if any) that computes what ``model`` does.

    ``model`` must be made only of affine layers: Linear, Identity (and the
    fixed Standardize / Unstandardize scalings), except that its last layer
    may be a Sigmoid: then the affine part is collapsed and the Sigmoid kept,
    and the result is Sequential(Linear, Sigmoid), logistic regression. Any
    other layer, such as a ReLU or a Sigmoid before the end, is refused with
    a ValueError naming it and its position, because it is exactly what stops
    the product from multiplying out.

    Shape: the result maps (N, in_features) -> (N, out_features), like the model.

    >>> collapse(mlp([2, 8, 8, 1], "identity", output_activation="sigmoid"))
    Sequential(
      (0): Linear(in_features=2, out_features=1, bias=True)
      (1): Sigmoid()
    )
    """
    layers = layers_of(model)
    if layers and isinstance(layers[-1], Sigmoid):
        return Sequential(_collapse_affine(layers[:-1]), Sigmoid())
    return _collapse_affine(layers)


def _collapse_affine(layers: list) -> Linear:
    """The Linear layer x -> x @ W + b that the affine ``layers`` compute one after another."""
    W = b = None  # the map so far: x -> x @ W + b
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            Wl = layer.weight.data
            bl = layer.bias.data if layer.bias is not None else np.zeros(layer.out_features, Wl.dtype)
            W, b = (Wl.copy(), bl.copy()) if W is None else (W @ Wl, b @ Wl + bl)
        elif isinstance(layer, (Standardize, Unstandardize)):
            scale, shift = layer.scale_shift()
            if W is None:
                W, b = np.diag(scale), shift.copy()
            else:
                W, b = W * scale, b * scale + shift
        elif kinds.slopes(layer) is not None and not kinds.has_kink(layer):  # Identity: one slope everywhere
            (slope, _) = kinds.slopes(layer)
            if W is not None:
                W, b = W * slope, b * slope
            elif slope != 1.0:
                raise ValueError(f"collapse needs a Linear layer before layer {i}, {layer!r}, which scales by {slope}")
        else:
            raise ValueError(
                f"collapse needs a model of Linear and Identity layers only (and at most a final Sigmoid), "
                f"but layer {i} is {layer!r}, which is not affine: such a model is not one linear map"
            )
    if W is None:
        raise ValueError("collapse needs at least one Linear layer")
    return Linear.from_weights(W, b)


def least_squares(X, y) -> Linear:
    """The ordinary least-squares fit with intercept, in closed form, as a Linear layer.

    Solves min over W, b of mean((X @ W + b - y)**2) with ``np.linalg.lstsq``
    on [X, 1], which also handles rank-deficient X (it returns the
    minimum-norm solution). No network trained by gradient descent with
    identity activations can do better on the training data.

    Shape: X (N, D), y (N, K) -> Linear(D, K).
    >>> line = least_squares([[0.0], [1.0], [2.0]], [[1.0], [3.0], [5.0]])   # y = 2x + 1
    >>> line.weight.data.round(12), line.bias.data.round(12)
    (array([[2.]]), array([1.]))
    """
    X = as_batch(X, "X")
    y = as_batch(y, "y")
    check_same_length(X, y)
    A = np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)  # (D + 1, K)
    return Linear.from_weights(coef[:-1], coef[-1])
