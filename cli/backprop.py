"""tinynet backprop: one forward and backward pass through a tiny net, every number shown.

For class: a 1-2-1 net with fixed weights and two samples, small enough to
redo by hand (``tinynet.lesson.backprop``). Every number printed is what the
engine's own forward and backward returned; the command only prints them.
"""

import json

import click
import numpy as np

import tinynet
from tinynet.lesson.backprop import B1, B2, W1, W2, X, Y, trace, worked_example


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
