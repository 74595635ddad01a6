"""The worked example of backpropagation: a tiny net, and every array of one forward and backward pass.

``worked_example`` is a 1-2-1 net with fixed weights, small enough to redo
by hand with the two samples X, Y; ``trace`` runs forward, the MSE loss and
backward one layer at a time through any Sequential and keeps every array
beside the formula that made it (each activation's formula comes from
``tinynet.kinds``), then checks each gradient, dL/dx included, against
central differences. Every number is what the engine's own forward and
backward returned: ``tinynet backprop`` only prints them. Reference:
Nielsen, "Neural Networks and Deep Learning", chapter 2.
"""

import numpy as np

from .. import kinds
from ..engine import Linear, MSELoss, Sequential
from ..gradcheck import numeric_gradient, relative_error
from ..model import named_parameters

# Chosen so that with ReLU each sample switches on a different hidden unit:
# sample 1 (x = 1) uses unit 1, sample 2 (x = -2) uses unit 2.
X = np.array([[1.0], [-2.0]])
Y = np.array([[1.0], [0.5]])
W1, B1 = [[1.0, -0.5]], [0.5, 0.0]
W2, B2 = [[0.8], [-1.2]], [0.1]

LINEAR_FORWARD = "{y} = {x} @ W{k} + b{k}"


def worked_example(activation: str = "relu") -> Sequential:
    """The fixed 1-2-1 net: Linear(1, 2) with W1, b1; the activation; Linear(2, 1) with W2, b2.

    >>> worked_example("relu")(X)       # x = 1: 1.5 * 0.8 + 0.1; x = -2: 1 * -1.2 + 0.1
    array([[ 1.3],
           [-1.1]])
    """
    return Sequential(Linear.from_weights(W1, B1), kinds.get_activation(activation), Linear.from_weights(W2, B2))


def trace(model: Sequential, X: np.ndarray, Y: np.ndarray) -> dict:
    """Run forward, the MSE loss and backward one layer at a time; keep every array with its formula.

    Returns a dict, ready for JSON (arrays as nested lists):
        "forward":  one entry per layer, in order: {"layer": index, "type":
                    class name, "formula": "z1 = x @ W1 + b1", "shape": [N, F],
                    "value": the layer's output}
        "loss":     L = mean((y_hat - y)**2), a float
        "backward": dL/dy_hat (its "layer" is "loss"), then per layer from the
                    last: dL/dW, dL/db and dL/d(input) of a Linear, dL/d(input)
                    of an activation; each the array backward returned
        "check":    per parameter ("0.weight", ... as model files name them),
                    then "input": {"name", "gradient": "dL/dW1", "analytic",
                    "numeric" (central differences), "relative_error"}
    Values are named x, then z1, a1, z2, ... (z after a Linear, a after an
    activation), the last y_hat; the Linear layers are numbered from 1.

    >>> steps = trace(worked_example("relu"), X, Y)
    >>> steps["forward"][0]["formula"], steps["loss"]
    ('z1 = x @ W1 + b1', 1.325)
    """
    names = _value_names(model)
    steps = {"forward": [], "backward": [], "check": []}
    model.zero_grad()
    value = X
    for i, layer in enumerate(model):
        value = layer.forward(value)
        steps["forward"].append(_entry(i, layer, _forward_text(layer, model, i, names[i + 1], names[i]), value))
    loss = MSELoss()
    steps["loss"] = loss.forward(value, Y)
    grad = loss.backward()
    out = names[-1]
    steps["backward"].append(_entry("loss", None, f"dL/d{out} = 2 * ({out} - y) / {out}.size", grad))
    for i in reversed(range(len(model))):
        layer = model[i]
        out, inp = names[i + 1], names[i]
        grad = layer.backward(grad)
        if isinstance(layer, Linear):
            k = _k(model, i)
            steps["backward"] += [
                _entry(i, layer, f"dL/dW{k} = {inp}.T @ dL/d{out}", layer.weight.grad),
                _entry(i, layer, f"dL/db{k} = dL/d{out}.sum(axis=0)", layer.bias.grad),
                _entry(i, layer, f"dL/d{inp} = dL/d{out} @ W{k}.T", grad),
            ]
        else:
            steps["backward"].append(_entry(i, layer, _backward_text(layer, out, inp), grad))
    steps["check"] = _check(model, X, Y, loss, grad)
    return steps


def _forward_text(layer, model, i: int, y: str, x: str) -> str:
    """The layer's forward formula, in the worked example's names (each activation states its own)."""
    if isinstance(layer, Linear):
        return LINEAR_FORWARD.format(y=y, x=x, k=_k(model, i))
    template = kinds.formula(layer)[0] or f"{{y}} = {type(layer).__name__}({{x}})"
    return template.format(y=y, x=x, **kinds.config(layer))


def _backward_text(layer, y: str, x: str) -> str:
    template = kinds.formula(layer)[1] or f"dL/d{{x}} = {type(layer).__name__}.backward(dL/d{{y}})"
    return template.format(y=y, x=x, **kinds.config(layer))


def _check(model, X, Y, loss, grad_input: np.ndarray) -> list[dict]:
    """Central differences for every parameter and for x, beside the gradients backward returned.

    Rows are named as gradcheck and model files name them ("0.weight", ...,
    "input"), each with the gradient's name in the formulas above ("dL/dW1").
    """
    x = X.copy()  # numeric_gradient nudges its array in place

    def loss_at():
        return loss.forward(model.forward(x), Y)

    gradients = [(name, _symbol(model, name), p.grad.copy(), p.data) for name, p in named_parameters(model)]
    gradients.append(("input", "dL/dx", grad_input, x))
    rows = []
    for name, symbol, analytic, array in gradients:
        numeric = numeric_gradient(loss_at, array)
        rows.append({"name": name, "gradient": symbol, "analytic": analytic.tolist(), "numeric": numeric.tolist(),
                     "relative_error": relative_error(analytic, numeric)})
    return rows


def _symbol(model, name: str) -> str:
    """"2.weight" -> "dL/dW2": the formulas number only the Linear layers, from 1."""
    index, kind = name.split(".")
    return f"dL/d{'W' if kind == 'weight' else 'b'}{_k(model, int(index))}"


def _value_names(model) -> list[str]:
    """x, then z1, a1, z2, ... : z after a Linear, a after an activation; the last is y_hat."""
    names, k = ["x"], 0
    for layer in model:
        if isinstance(layer, Linear):
            k += 1
            names.append(f"z{k}")
        else:
            names.append(f"a{k}")
    names[-1] = "y_hat"
    return names


def _k(model, i: int) -> int:
    """The number of the Linear layer at or before position i (1-based)."""
    return sum(isinstance(layer, Linear) for layer in model.layers[: i + 1])


def _entry(i, layer, formula: str, value: np.ndarray) -> dict:
    return {"layer": i, "type": type(layer).__name__ if layer is not None else "MSELoss", "formula": formula,
            "shape": list(value.shape), "value": value.tolist()}
