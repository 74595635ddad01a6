"""Deep identity nets are linear regression.

With identity activations a network computes

    y = ((x @ W1 + b1) @ W2 + b2) ... @ Wk + bk
      = x @ (W1 @ W2 @ ... @ Wk) + (the biases carried through the same way)

which is one affine map, x @ W + b: extra layers add parameters but no
expressive power. ``collapse`` multiplies it out; ``least_squares`` finds the
best affine map in closed form. A trained identity net can therefore never
have a lower training MSE than ``least_squares``, only approach it.
"""

import numpy as np

from .activations import Identity
from .linear import Linear
from .standardize import Standardize, Unstandardize
from .validate import as_batch, check_same_length


def collapse(model) -> Linear:
    """Return the single Linear layer that computes the same function as ``model``.

    ``model`` must be made only of affine layers: Linear, Identity (and the
    fixed Standardize / Unstandardize scalings). Any other layer, such as a
    ReLU, is refused with a ValueError naming it and its position, because
    it is exactly what stops the product from multiplying out.

    Shape: the result maps (N, in_features) -> (N, out_features), like the model.
    """
    layers = list(getattr(model, "layers", [model]))
    W = b = None  # the map so far: x -> x @ W + b
    for i, layer in enumerate(layers):
        if isinstance(layer, Identity):
            continue
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
        else:
            # A model is the right type with the wrong content: ValueError, not TypeError.
            raise ValueError(  # noqa: TRY004
                f"collapse needs a model of Linear and Identity layers only, but layer {i} is "
                f"{layer!r}, which is not affine: such a model is not one linear map"
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
    """
    X = as_batch(X, "X")
    y = as_batch(y, "y")
    check_same_length(X, y)
    A = np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)  # (D + 1, K)
    return Linear.from_weights(coef[:-1], coef[-1])
