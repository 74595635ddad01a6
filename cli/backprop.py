"""tinynet backprop: one forward and backward pass through a tiny net, every number shown.

For class: a 1-2-1 net with fixed weights and two samples, small enough to
redo by hand. Every number printed is what the engine's own forward and
backward returned; the command only calls them in order and prints.
"""

import json

import click
import numpy as np

import tinynet
from tinynet import kinds, named_parameters

# Chosen so that with ReLU each sample switches on a different hidden unit:
# sample 1 (x = 1) uses unit 1, sample 2 (x = -2) uses unit 2.
X = np.array([[1.0], [-2.0]])
Y = np.array([[1.0], [0.5]])
W1, B1 = [[1.0, -0.5]], [0.5, 0.0]
W2, B2 = [[0.8], [-1.2]], [0.1]

LINEAR_FORWARD = "{y} = {x} @ W{k} + b{k}"


def _forward_text(layer, model, i: int, y: str, x: str) -> str:
    """The layer's forward formula, in the worked example's names (each activation states its own)."""
    if isinstance(layer, tinynet.Linear):
        return LINEAR_FORWARD.format(y=y, x=x, k=_k(model, i))
    template = kinds.formula(layer)[0] or f"{{y}} = {type(layer).__name__}({{x}})"
    return template.format(y=y, x=x, **kinds.config(layer))


def _backward_text(layer, y: str, x: str) -> str:
    template = kinds.formula(layer)[1] or f"dL/d{{x}} = {type(layer).__name__}.backward(dL/d{{y}})"
    return template.format(y=y, x=x, **kinds.config(layer))


def worked_example(activation: str) -> tinynet.Sequential:
    """The fixed 1-2-1 net: Linear(1, 2), activation, Linear(2, 1)."""
    return tinynet.Sequential(tinynet.Linear.from_weights(W1, B1), tinynet.get_activation(activation),
                              tinynet.Linear.from_weights(W2, B2))


def trace(model: tinynet.Sequential, X: np.ndarray, Y: np.ndarray) -> dict:
    """Run forward, loss and backward one layer at a time and keep every array."""
    names = _value_names(model)
    steps = {"forward": [], "backward": [], "check": []}
    model.zero_grad()
    value = X
    for i, layer in enumerate(model):
        value = layer.forward(value)
        steps["forward"].append(_entry(i, layer, _forward_text(layer, model, i, names[i + 1], names[i]), value))
    loss = tinynet.MSELoss()
    steps["loss"] = loss.forward(value, Y)
    grad = loss.backward()
    out = names[-1]
    steps["backward"].append(_entry("loss", None, f"dL/d{out} = 2 * ({out} - y) / {out}.size", grad))
    for i in reversed(range(len(model))):
        layer = model[i]
        out, inp = names[i + 1], names[i]
        grad = layer.backward(grad)
        if isinstance(layer, tinynet.Linear):
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
        numeric = tinynet.numeric_gradient(loss_at, array)
        rows.append({"name": name, "gradient": symbol, "analytic": analytic.tolist(), "numeric": numeric.tolist(),
                     "relative_error": tinynet.relative_error(analytic, numeric)})
    return rows


def _symbol(model, name: str) -> str:
    """"2.weight" -> "dL/dW2": the formulas number only the Linear layers, from 1."""
    index, kind = name.split(".")
    return f"dL/d{'W' if kind == 'weight' else 'b'}{_k(model, int(index))}"


def _value_names(model) -> list[str]:
    """x, then z1, a1, z2, ... : z after a Linear, a after an activation; the last is y_hat."""
    names, k = ["x"], 0
    for layer in model:
        if isinstance(layer, tinynet.Linear):
            k += 1
            names.append(f"z{k}")
        else:
            names.append(f"a{k}")
    names[-1] = "y_hat"
    return names


def _k(model, i: int) -> int:
    """The number of the Linear layer at or before position i (1-based)."""
    return sum(isinstance(layer, tinynet.Linear) for layer in model.layers[: i + 1])


def _entry(i, layer, formula: str, value: np.ndarray) -> dict:
    return {"layer": i, "type": type(layer).__name__ if layer is not None else "MSELoss", "formula": formula,
            "shape": list(value.shape), "value": value.tolist()}


def _fmt(value) -> str:
    array = np.asarray(value)
    array = array + 0.0  # -0.0 (a negative gradient times a closed ReLU) prints as 0
    if array.ndim == 1:
        return "[" + " ".join(f"{v:.4g}" for v in array) + "]"
    return "[" + "; ".join(" ".join(f"{v:.4g}" for v in row) for row in array) + "]"


def _line(entry: dict) -> str:
    """One step on one line of at most 80 columns (the values go below when they do not fit)."""
    where = f"{entry['layer']} {entry['type']}" if entry["layer"] != "loss" else "loss"
    shape = "(" + ", ".join(map(str, entry["shape"])) + ("," if len(entry["shape"]) == 1 else "") + ")"
    head = f"  {where:<12}{entry['formula']:<33} "
    tail = f"{shape:<8}{_fmt(entry['value'])}"
    if len(head) + len(tail) <= 80:
        return head + tail
    return f"{head.rstrip()}\n{' ' * 14}{tail}"


@click.command()
@click.option("--activation", type=click.Choice(list(tinynet.ACTIVATIONS)), default="relu",
              help="The hidden activation of the worked example.")
@click.option("--json", "as_json", is_flag=True, help="Print the same numbers as JSON.")
def backprop(activation, as_json):
    """Walk one forward and backward pass through a tiny net.

    A 1-2-1 net with fixed weights, two samples and MSE loss: every
    intermediate array with its shape and the formula that made it, then
    each gradient, dL/dx included, beside its central-difference estimate.
    The check names W1 0.weight, b1 0.bias, W2 2.weight and b2 2.bias, as
    `tinynet gradcheck` and model files do.
    """
    model = worked_example(activation)
    steps = trace(model, X, Y)
    if as_json:
        click.echo(to_json(activation, steps))
        return
    click.echo(f"tinynet backprop: Linear(1, 2) -> {type(model[1]).__name__} -> Linear(2, 1), "
               "2 samples, MSE loss")
    click.echo(f"  x {_fmt(X)}   y {_fmt(Y)}")
    click.echo(f"  W1 {_fmt(W1)}  b1 {_fmt(B1)}   W2 {_fmt(W2)}  b2 {_fmt(B2)}")
    click.echo("")
    click.echo("FORWARD: each layer turns its input into its output")
    for entry in steps["forward"]:
        click.echo(_line(entry))
    click.echo(f"  loss        L = mean((y_hat - y)**2) = {steps['loss']:.6g}")
    click.echo("")
    click.echo("BACKWARD: each layer turns dL/d(output) into dL/d(input), last layer first")
    for entry in steps["backward"]:
        click.echo(_line(entry))
    click.echo("")
    click.echo("CHECK: backward's gradients beside (L(w + eps) - L(w - eps)) / (2 * eps)")
    click.echo(f"  {'name':<10}{'gradient':<10}{'analytic':<19}{'numeric':<19}rel. error")
    for row in steps["check"]:
        click.echo(f"  {row['name']:<10}{row['gradient']:<10}{_fmt(row['analytic']):<19}{_fmt(row['numeric']):<19}"
                   f"{tinynet.relative_error_text(row['relative_error'])}")
    click.echo("  (named as tinynet gradcheck and model files name them: <layer index>.weight)")
    click.echo("  (< 1e-7: equal as far as float64 differences can tell; --json has the floats)")


def to_json(activation: str, steps: dict) -> str:
    return json.dumps({"activation": activation, "x": X.tolist(), "y": Y.tolist(),
                       "weights": {"W1": W1, "b1": B1, "W2": W2, "b2": B2}, **steps}, indent=2)
