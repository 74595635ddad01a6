"""tinynet inspect: what a saved model is, and what it computes."""

import json
import math

import click
import numpy as np

import tinynet

from .common import describe, hidden_activation, load_data
from .inspect_text import print_info, shown
from .params import BoxType
from .plot_hinges import plot_model
from .predict import _model_inputs

BEND_RTOL = 0.01  # a bend counts when it changes the slope by more than 1% of the steepest piece's
PIECE_KEYS = ("start", "end", "slope", "intercept")


@click.command()
@click.argument("model_path", metavar="MODEL.npz", type=click.Path(dir_okay=False))
@click.option("--data", default=None, metavar="NAME|FILE.csv",
              help=f"Also look at the model over this data, a built-in dataset ({', '.join(tinynet.DATASETS)}) "
                   "or a CSV file: its pieces there, and whether it is only linear regression there.")
@click.option("--target", metavar="COLUMN", default=None, show_default="the last column",
              help="With a CSV file for --data: the column the model predicts.")
@click.option("--box", type=BoxType(), default=None, metavar="X0MIN,X0MAX,X1MIN,X1MAX",
              help="For a two-input model: count its linear regions over this box (default: the box of --data).")
@click.option("--json", "as_json", is_flag=True, help="Print the description as JSON on stdout.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.png",
              help="Draw a one-input model: one hidden layer as each unit's hinge and their sum, deeper nets as "
                   "their linear pieces with their slopes (over --data's range if given; needs matplotlib).")
def inspect(model_path, data, target, box, as_json, plot_path):
    """Describe a saved model and what it computes.

    Shows its layers, parameter count and activation.

    An all-identity model is shown collapsed to the one affine map
    y = x @ W + b it is; a one-input ReLU model is shown with its
    breakpoints, the x values where it changes slope, and its linear
    pieces, y = slope * x + intercept between them.

    \b
    Example:
      tinynet train --data sin --hidden 8 --save sin.npz
      tinynet inspect sin.npz --data sin
      tinynet inspect sin.npz --data sin --plot hinges.png
    """
    if target is not None and data is None:
        raise click.UsageError("--target names a column of the --data file: give --data too")
    try:
        if plot_path:
            plot_model(plot_path, model_path, data, target)
        _inspect(model_path, data, target, as_json, box)
    except MemoryError:  # main's advice (--batch-size) is for training; inspect has no such option
        raise click.ClickException(f"out of memory while inspecting {shown(model_path)}: the model is too "
                                   "large for this machine") from None


def _inspect(model_path: str, data: str | None, target: str | None, as_json: bool, box=None) -> None:
    model = tinynet.load(model_path)
    info = {
        "file": model_path,
        "name": describe(model),
        "layers": [repr(layer) for layer in model],
        "parameters": int(sum(p.data.size for p in model.parameters())),
        "activation": hidden_activation(model),
        "dtype": str(tinynet.model_dtype(model)),
        "standardized": any(isinstance(layer, tinynet.Standardize) for layer in model),
        "features": tinynet.feature_names(model),
    }
    if all(isinstance(layer, (tinynet.Linear, tinynet.Identity, tinynet.Standardize, tinynet.Unstandardize))
           for layer in model):
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # an overflowed coefficient is shown as inf
                line = tinynet.collapse(model)
        except ValueError as error:  # no Linear at all, or a scaling whose 1 / std overflows the dtype
            info["collapsed_error"] = str(error)
        else:
            info["collapsed"] = {"W": line.weight.data.tolist(), "b": line.bias.data.tolist()}
    if _one_line_of_pieces(model):
        info.update(_pieces_info(model))
    if data is not None:
        info.update(_data_info(model, data, target, model_path))
    box = box or info.pop("data_box", None)
    if box is not None:
        info.update(_regions_info(model, box))
    if as_json:
        if "pieces" in info:
            info["pieces"] = [dict(zip(PIECE_KEYS, piece)) for piece in info["pieces"]]
        # JSON has no infinity or NaN: the outer ends of the pieces (and any overflowed number) become null
        click.echo(json.dumps(_json_ready(info), indent=2, allow_nan=False))
        return
    print_info(model, info)


def _one_line_of_pieces(model) -> bool:
    """One input, one output, every layer affine or a rectifier: the model is pieces of lines in x."""
    sizes = (tinynet.input_features(model), tinynet.output_features(model))
    return sizes == (1, 1) and tinynet.is_piecewise_linear(model)


def _pieces_info(model) -> dict:
    try:
        found = tinynet.pieces(model)
    except ValueError as error:  # a deep net can have more pieces than can be listed
        return {"breakpoints_error": str(error)}
    return {
        "breakpoints": [start for start, _, _, _ in found[1:]],  # the inner ends of the pieces
        "linear_pieces": len(found),
        "pieces": found,
        "distinct_bends": tinynet.distinct_bends(found, BEND_RTOL),
        "bend_rtol": BEND_RTOL,
    }


def _data_info(model, data: str, target: str | None, model_path: str) -> dict:
    """Pieces over the data's range, and the note when the net is only linear regression there."""
    X, y, names, _ = load_data(data, target)
    if names is not None:  # a CSV file: the model's columns, found as predict finds them
        X = _model_inputs(model, names, X, data, model_path)
    sizes = (tinynet.input_features(model), tinynet.output_features(model))
    if (X.shape[1], y.shape[1]) != sizes and None not in sizes:
        raise click.ClickException(f"{data} has {X.shape[1]} input column(s) and {y.shape[1]} target(s), but the "
                                   f"model in {model_path} takes {sizes[0]} and gives {sizes[1]}")
    info = {"data": data, "data_range": None, "data_pieces": None,
            "linear_regression": tinynet.linear_regression_note(model, X, y)}
    if X.shape[1] == 2:
        info["data_box"] = tinynet.data_box(X)
    if _one_line_of_pieces(model):
        lo, hi = float(X.min()), float(X.max())
        info["data_range"] = [lo, hi]
        try:
            info["data_pieces"] = 1 if lo == hi else tinynet.linear_pieces(model, lo, hi)
        except ValueError as error:
            info["data_pieces_error"] = str(error)
    return info


def _regions_info(model, box) -> dict:
    """The linear regions of a two-input model's logit over ``box``: a count, or why there is none."""
    sizes = (tinynet.input_features(model), tinynet.output_features(model))
    if sizes != (2, 1):
        raise click.BadParameter(f"linear regions are counted for a model of two inputs and one output, "
                                 f"this one takes {sizes[0]} and gives {sizes[1]}", param_hint="'--box'")
    try:
        return {"box": [list(side) for side in box], "linear_regions": len(tinynet.linear_regions(model, box))}
    except ValueError as error:  # smooth, or too many regions to list
        return {"box": [list(side) for side in box], "linear_regions_error": str(error)}


def _json_ready(value):
    """``value`` with every float that JSON cannot write (inf, -inf, NaN) replaced by None, anywhere in it."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value
