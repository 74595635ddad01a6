"""tinynet inspect: what a saved model is, and what it computes."""

import json
import math

import click
import numpy as np

import tinynet
from tinynet.io import check_fits_model

from .common import describe, hidden_activation, load_data
from .inspect_text import print_info, shown
from .params import BoxType
from .pictures import plot_model

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
              help="For a two-input model: count its linear regions over this box (default: the box of --data, "
                   "else the box its stored scaling implies).")
@click.option("--json", "as_json", is_flag=True, help="Print the description as JSON on stdout.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.png",
              help="Draw a one-input model: one hidden layer as each unit's hinge and their sum, deeper nets as "
                   "their linear pieces with their slopes (over --data's range if given; needs matplotlib).")
@click.option("--quiet", "-q", is_flag=True,
              help="Accepted as every command accepts it; inspect shows no progress bar, so it changes nothing.")
def inspect(model_path, data, target, box, as_json, plot_path, quiet):
    """Describe a saved model and what it computes.

    Shows its layers, parameter count and activation.

    An all-identity model is shown collapsed to the one affine map
    y = x @ W + b it is; a one-input ReLU model is shown with its
    breakpoints, the x values where it changes slope, and its linear
    pieces, y = slope * x + intercept between them; a two-input one with
    its count of linear regions.

    Pieces and regions are counted over the data's range with --data;
    without it, over the range the model's stored scaling implies (each
    input's mean +- sqrt(3) std: the range of evenly spread data), as the
    output says.

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
    layers = tinynet.layers_of(model)
    info = {
        "file": model_path,
        "name": describe(model),
        "layers": [repr(layer) for layer in model],
        "parameters": int(sum(p.data.size for p in model.parameters())),
        "activation": hidden_activation(model),
        "dtype": str(tinynet.model_dtype(model)),
        "standardized": any(isinstance(layer, tinynet.Standardize) for layer in layers),
        # a classifier scales its inputs only: its outputs are probabilities, not targets in the data's units
        "targets_standardized": any(isinstance(layer, tinynet.Unstandardize) for layer in layers),
        "sigmoid_output": bool(layers) and isinstance(layers[-1], tinynet.Sigmoid),
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
    X = None
    if data is not None:
        X, y = _data(model, data, target, model_path)
        # what train and compare say of a net on its data; the pieces and regions are listed below, over any box
        fit = tinynet.describe_fit(model, X, y, tinynet.training_defaults(y, model=model).loss, regions=False)
        info.update(data=data, linear_regression=fit.linear_regression)
    if _one_line_of_pieces(model):
        info.update(_pieces_info(model, X))
    info.update(_regions_info(model, X, box))
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


def _pieces_info(model, X) -> dict:
    """The pieces over the range every command counts on (``count_pieces``), and their count over all x."""
    try:
        counted = tinynet.count_pieces(model, X)
        single = None
        if counted.count is None:  # every x of the data is one value: no interval, so the stored scaling's
            single, counted = counted.box[0][0], tinynet.count_pieces(model)
        found = tinynet.pieces(model, *counted.box[0])
        everywhere = tinynet.linear_pieces(model, -np.inf, np.inf)  # labelled "over all x" wherever shown
    except ValueError as error:  # a deep net can have more pieces than can be listed
        return {"breakpoints_error": str(error)}
    return {
        "linear_pieces": len(found),
        "range": list(counted.box[0]),
        "range_over": counted.over,
        "range_where": counted.where(),
        "one_x_value": single,
        "all_x_pieces": everywhere,
        "breakpoints": [start for start, _, _, _ in found[1:]],  # the inner ends of the pieces
        "pieces": found,
        "distinct_bends": tinynet.distinct_bends(found, BEND_RTOL),
        "bend_rtol": BEND_RTOL,
    }


def _data(model, data: str, target: str | None, model_path: str):
    """(X, y) of --data, X being the model's input columns (found by name in a CSV file, as predict finds them)."""
    X, y, _, _ = load_data(data, target, model=model, model_where=f"the model in {model_path}")
    check_fits_model(model, X, y, data, f"the model in {model_path}")
    return X, y


def _regions_info(model, X, box) -> dict:
    """The linear regions of a two-input model's logit over --box, --data's box or the box its scaling
    implies (``count_regions``): a count, or why there is none; nothing for other models unless --box asks."""
    sizes = (tinynet.input_features(model), tinynet.output_features(model))
    if sizes != (2, 1):
        if box is None:
            return {}
        raise click.BadParameter(f"linear regions are counted for a model of two inputs and one output, "
                                 f"this one takes {sizes[0]} and gives {sizes[1]}", param_hint="'--box'")
    layers = tinynet.layers_of(model)
    logit = tinynet.Sequential(*layers[:-1]) if isinstance(layers[-1], tinynet.Sigmoid) else model
    if box is None and not tinynet.is_piecewise_linear(logit):
        return {}  # smooth: no regions, and nobody asked
    try:
        counted = tinynet.count_regions(model, X, box)
    except ValueError as error:  # smooth, no box to count over, or too many regions to list
        return {"box": None if box is None else [list(side) for side in box], "linear_regions_error": str(error)}
    return {"box": [list(side) for side in counted.box], "box_over": counted.over, "box_where": counted.where(),
            "linear_regions": counted.count}


def _json_ready(value):
    """``value`` with every float that JSON cannot write (inf, -inf, NaN) replaced by None, anywhere in it."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value
