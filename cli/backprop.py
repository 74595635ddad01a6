"""tinynet backprop: one forward and backward pass through a tiny net, every number shown.

For class: a 1-2-1 net with fixed weights and two samples, small enough to
redo by hand (``tinynet.lesson.backprop``). Every number printed is what the
engine's own forward and backward returned; the command only prints them.
"""

import click

import tinynet
from tinynet.lesson.backprop import trace_json, trace_text


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
    click.echo(trace_json(activation) if as_json else trace_text(activation))
