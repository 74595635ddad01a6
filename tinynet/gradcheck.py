"""gradcheck: compare backward's gradients with finite differences.

For a small step eps, the central difference

    (L(w + eps) - L(w - eps)) / (2 * eps)

approximates dL/dw with an error of order eps**2 wherever L is smooth
around w, plus rounding of about 1e-16 / eps. If backward is right, the two
agree to many digits (in float64); a mistake in a formula shows up as a
relative error near 1. Within eps of a kink (a ReLU input at 0) the
difference straddles the corner and means nothing: keep inputs away from
kinks. This is how every backward in tinynet is tested.
"""

import numpy as np

from .losses import MSELoss
from .sequential import model_dtype


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """||analytic - numeric|| / (||analytic|| + ||numeric||), 0 when both are 0.

    Norms over the whole array, not entry by entry: an entry whose true
    gradient is 0 (a ReLU that is off) would otherwise divide noise by noise.
    """
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


def gradcheck_report(model, X: np.ndarray, y: np.ndarray, loss=None, eps: float = 1e-6) -> dict[str, float]:
    """The relative error of every parameter's gradient and of dL/dX, by name.

    Names are "<layer index>.<weight|bias|param k>" for parameters and "input"
    for dL/dX. Use a float64 model: in float32 the differences drown in rounding.
    """
    loss = MSELoss() if loss is None else loss
    X = np.array(X, dtype=model_dtype(model))

    def loss_at(x):
        return loss.forward(model.forward(x), y)

    model.zero_grad()
    loss_at(X)
    analytic_input = model.backward(loss.backward())
    report = {}
    for name, p in _named_parameters(model):
        numeric = numeric_gradient(lambda: loss_at(X), p.data, eps)
        report[name] = relative_error(p.grad, numeric)
    report["input"] = relative_error(analytic_input, numeric_gradient(lambda: loss_at(X), X, eps))
    return report


def gradcheck(model, X: np.ndarray, y: np.ndarray, loss=None, eps: float = 1e-6) -> float:
    """Return the largest relative error between backward's gradients and
    central differences, over every parameter and the input X."""
    return max(gradcheck_report(model, X, y, loss, eps).values())


def numeric_gradient(f, array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the number f() with respect to each entry of ``array``.

    ``array`` is nudged in place, one entry at a time, and put back exactly;
    f must read it (a parameter's ``data``, or the input f feeds the model).
    Shape: the same as ``array``.
    """
    grad = np.zeros_like(array)
    for i in np.ndindex(array.shape):
        saved = array[i]
        array[i] = saved + eps
        plus = f()
        array[i] = saved - eps
        minus = f()
        array[i] = saved
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def _named_parameters(model):
    layers = getattr(model, "layers", [model])
    for i, layer in enumerate(layers):
        params = layer.parameters()
        names = ["weight", "bias"] if len(params) <= 2 and hasattr(layer, "weight") else None
        for k, p in enumerate(params):
            yield f"{i}.{names[k] if names else f'param{k}'}", p
