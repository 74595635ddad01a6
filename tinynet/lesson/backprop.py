"""The worked example of backpropagation: a tiny net, and every array of one forward and backward pass.

``worked_example`` is a 1-2-1 net with fixed weights, small enough to redo
by hand with the two samples X, Y; ``trace`` runs forward, the MSE loss and
backward one layer at a time through any Sequential and keeps every array
beside the formula that made it (each activation's formula comes from
``tinynet.kinds``), then checks each gradient, dL/dx included, against
central differences. Every number is what the engine's own forward and
backward returned; ``trace_text`` and ``trace_json`` write them as ``tinynet
backprop`` prints them. Reference:
Nielsen, "Neural Networks and Deep Learning", chapter 2.
"""

import json

import numpy as np

from .. import kinds
from ..engine import Linear, MSELoss, Sequential
from ..gradcheck import numeric_gradient, relative_error, relative_error_text
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


def trace_json(activation: str = "relu") -> str:
    """The worked example with ``activation`` and its ``trace``, as JSON: every float in full."""
    steps = trace(worked_example(activation), X, Y)
    return json.dumps({"activation": activation, "x": X.tolist(), "y": Y.tolist(),
                       "weights": {"W1": W1, "b1": B1, "W2": W2, "b2": B2}, **steps}, indent=2)


def trace_text(activation: str = "relu") -> str:
    """The worked example with ``activation`` and its ``trace`` as ``tinynet backprop`` prints it: forward,
    backward and the check, one step a line of at most 80 columns, numbers to 4 digits.

    >>> print(trace_text("relu").splitlines()[5])
      0 Linear    z1 = x @ W1 + b1                  (2, 2)  [1.5 -0.5; -1.5 1]
    """
    model = worked_example(activation)
    steps = trace(model, X, Y)
    lines = [f"tinynet backprop: Linear(1, 2) -> {type(model[1]).__name__} -> Linear(2, 1), 2 samples, MSE loss",
             f"  x {_short(X)}   y {_short(Y)}",
             f"  W1 {_short(W1)}  b1 {_short(B1)}   W2 {_short(W2)}  b2 {_short(B2)}",
             "", "FORWARD: each layer turns its input into its output"]
    lines += [_step_text(entry) for entry in steps["forward"]]
    lines += [f"  loss        L = mean((y_hat - y)**2) = {steps['loss']:.6g}",
              "", "BACKWARD: each layer turns dL/d(output) into dL/d(input), last layer first"]
    lines += [_step_text(entry) for entry in steps["backward"]]
    lines += ["", "CHECK: backward's gradients beside (L(w + eps) - L(w - eps)) / (2 * eps)",
              f"  {'name':<10}{'gradient':<10}{'analytic':<19}{'numeric':<19}rel. error"]
    lines += [f"  {row['name']:<10}{row['gradient']:<10}{_short(row['analytic']):<19}{_short(row['numeric']):<19}"
              f"{relative_error_text(row['relative_error'])}" for row in steps["check"]]
    lines += ["  (named as tinynet gradcheck and model files name them: <layer index>.weight)",
              "  (< 1e-7: equal as far as float64 differences can tell; --json has the floats)"]
    return "\n".join(lines)


def _short(value) -> str:
    """An array in 4 digits, rows split by "; ": [1.5 -0.5; -1.5 1]."""
    array = np.asarray(value) + 0.0  # -0.0 (a negative gradient times a closed ReLU) prints as 0
    if array.ndim == 1:
        return "[" + " ".join(f"{v:.4g}" for v in array) + "]"
    return "[" + "; ".join(" ".join(f"{v:.4g}" for v in row) for row in array) + "]"


def _step_text(entry: dict) -> str:
    """One step of ``trace`` on one line of at most 80 columns (the values go below when they do not fit)."""
    where = f"{entry['layer']} {entry['type']}" if entry["layer"] != "loss" else "loss"
    shape = "(" + ", ".join(map(str, entry["shape"])) + ("," if len(entry["shape"]) == 1 else "") + ")"
    head = f"  {where:<12}{entry['formula']:<33} "
    tail = f"{shape:<8}{_short(entry['value'])}"
    if len(head) + len(tail) <= 80:
        return head + tail
    return f"{head.rstrip()}\n{' ' * 14}{tail}"
