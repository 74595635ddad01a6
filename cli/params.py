"""The command line's own kinds of value (hidden layer sizes, a box in the plane), --activation and --lr."""

import math

import click

import tinynet

activation_option = click.option("--activation", type=click.Choice(list(tinynet.ACTIVATIONS)), default="relu",
                                 help="Activation between the hidden layers.")


def not_nan(ctx, param, value):
    """FloatRange lets nan through (every comparison with nan is false): refuse it here."""
    if value is not None and math.isnan(value):
        like = {"lr": "a learning rate like 0.01", "val_fraction": "a fraction like 0.2"}.get(param.name, "one like 0.01")
        raise click.BadParameter(f"nan is not a number: give {like}")
    return value


lr_option = click.option("--lr", type=click.FloatRange(min=0, max=1e6, min_open=True), default=tinynet.DEFAULT_LR,
                         callback=not_nan, help="Starting learning rate; it falls along a cosine to lr * "
                                                f"{tinynet.DEFAULT_LR_DECAY} by the last epoch.")


class HiddenSizes(click.ParamType):
    """Hidden layer sizes written as "32,32" (or "" for no hidden layer)."""

    name = "SIZES"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        text = value.strip()
        if not text:
            return ()
        try:
            sizes = tuple(int(part) for part in text.split(","))
        except ValueError:
            sizes = ()
        if not sizes or any(s < 1 for s in sizes):
            self.fail(f"{value!r} is not a list of positive integers: write sizes like 32,32", param, ctx)
        return sizes


class BoxType(click.ParamType):
    """A box written as "x0min,x0max,x1min,x1max"."""

    name = "BOX"

    def convert(self, value, param, ctx):
        try:
            x0, x1, y0, y1 = (float(part) for part in value.split(","))
        except ValueError:
            self.fail(f"{value!r} is not four numbers x0min,x0max,x1min,x1max", param, ctx)
        if not (x0 < x1 and y0 < y1):
            self.fail(f"{value!r} is an empty box: each min must be below its max", param, ctx)
        return (x0, x1), (y0, y1)
