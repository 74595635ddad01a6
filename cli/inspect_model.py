"""tinynet inspect: what a saved model is, and what it computes."""

import json
import math
import textwrap

import click
import numpy as np

import tinynet

from .common import describe, hidden_activation, load_data
from .predict import _model_inputs

SHOWN_PIECES = 12  # the text lists this many pieces; --json lists them all
BEND_RTOL = 0.01  # a bend counts when it changes the slope by more than 1% of the steepest piece's
PIECE_KEYS = ("start", "end", "slope", "intercept")


@click.command()
@click.argument("model_path", metavar="MODEL.npz", type=click.Path(dir_okay=False))
@click.option("--data", default=None, metavar="NAME|FILE.csv",
              help=f"Also look at the model over this data, a built-in dataset ({', '.join(tinynet.DATASETS)}) "
                   "or a CSV file: its pieces there, and whether it is only linear regression there.")
@click.option("--target", metavar="COLUMN", default=None, show_default="the last column",
              help="With a CSV file for --data: the column the model predicts.")
@click.option("--json", "as_json", is_flag=True, help="Print the description as JSON on stdout.")
def inspect(model_path, data, target, as_json):
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
    """
    if target is not None and data is None:
        raise click.UsageError("--target names a column of the --data file: give --data too")
    model = tinynet.load(model_path)
    info = {
        "file": model_path,
        "name": describe(model),
        "layers": [repr(layer) for layer in model],
        "parameters": int(sum(p.data.size for p in model.parameters())),
        "activation": hidden_activation(model),
        "dtype": str(tinynet.sequential.model_dtype(model)),
        "standardized": any(isinstance(layer, tinynet.Standardize) for layer in model),
        "features": model.feature_names,
    }
    if all(isinstance(layer, (tinynet.Linear, tinynet.Identity, tinynet.Standardize, tinynet.Unstandardize))
           for layer in model):
        line = tinynet.collapse(model)
        info["collapsed"] = {"W": _json_numbers(line.weight.data), "b": _json_numbers(line.bias.data)}
    if _one_line_of_pieces(model):
        info.update(_pieces_info(model))
    if data is not None:
        info.update(_data_info(model, data, target, model_path))
    if as_json:
        if "pieces" in info:  # JSON has no infinity: the outer ends (and any overflowed number) become null
            info["pieces"] = [dict(zip(PIECE_KEYS, _json_numbers(piece))) for piece in info["pieces"]]
        click.echo(json.dumps(info, indent=2, allow_nan=False))
        return
    _print(model, info)


def _one_line_of_pieces(model) -> bool:
    """One input, one output, every layer affine or a rectifier: the model is pieces of lines in x."""
    sizes = (tinynet.sequential.input_features(model), tinynet.sequential.output_features(model))
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
    sizes = (tinynet.sequential.input_features(model), tinynet.sequential.output_features(model))
    if (X.shape[1], y.shape[1]) != sizes and None not in sizes:
        raise click.ClickException(f"{data} has {X.shape[1]} input column(s) and {y.shape[1]} target(s), but the "
                                   f"model in {model_path} takes {sizes[0]} and gives {sizes[1]}")
    info = {"data": data, "data_range": None, "data_pieces": None,
            "linear_regression": tinynet.linear_regression_note(model, X, y)}
    if _one_line_of_pieces(model):
        lo, hi = float(X.min()), float(X.max())
        info["data_range"] = [lo, hi]
        try:
            info["data_pieces"] = 1 if lo == hi else tinynet.linear_pieces(model, lo, hi)
        except ValueError as error:
            info["data_pieces_error"] = str(error)
    return info


def _json_numbers(values) -> list:
    """Numbers for JSON, which has no infinity or NaN: those become null."""
    return [_json_numbers(v) if np.ndim(v) else (float(v) if math.isfinite(v) else None) for v in values]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _noise_to_zero(values: np.ndarray, scale: float) -> np.ndarray:
    """Values below 1e-9 of ``scale`` (the largest coefficient) are rounding, not signal: an
    intercept that is 0 in exact arithmetic comes out as 4e-13 on one CPU and -2e-13 on another."""
    values = np.asarray(values, dtype=float)
    return np.where(np.abs(values) < 1e-9 * scale, 0.0, values)


def _piece_text(start: float, end: float, slope: float, intercept: float) -> str:
    sign = "-" if intercept < 0 else "+"
    return f"on [{start:.4g}, {end:.4g}]: y = {slope:.4g} * x {sign} {abs(intercept):.4g}"


def _print(model, info: dict) -> None:
    click.echo(f"{info['file']}: {info['name']}, {info['dtype']}")
    click.echo(repr(model))
    click.echo(f"parameters: {info['parameters']:,}")
    click.echo(f"hidden activation: {info['activation']}")
    if info["features"]:
        click.echo(f"input columns: {', '.join(info['features'])}")
    if info["standardized"]:
        click.echo("inputs (and targets) are standardised inside the model: it works in the data's own units")
    if "collapsed" in info:
        W, b = np.array(info["collapsed"]["W"], dtype=float), np.array(info["collapsed"]["b"], dtype=float)
        scale = max(np.abs(W).max(initial=0), np.abs(b).max(initial=0))
        W, b = _noise_to_zero(W, scale), _noise_to_zero(b, scale)
        click.echo("")
        click.echo("every activation is identity, so the whole network is one affine map:")
        click.echo(f"  y = x @ W + b,  W = {np.array2string(W, precision=6, separator=', ')},"
                   f"  b = {np.array2string(b, precision=6, separator=', ')}")
        click.echo(f"  its {len(model)} layers multiply out to one Linear({W.shape[0]}, {W.shape[1]}): more layers")
        click.echo("  add parameters, not expressive power, so it can never fit better than")
        click.echo("  least squares (linear regression).")
    if "breakpoints_error" in info:
        click.echo(f"\npiecewise linear: {info['breakpoints_error']}")
    if "breakpoints" in info:
        _print_pieces(info)
    if "data" in info:
        _print_data(info)


def _print_pieces(info: dict) -> None:
    bp = info["breakpoints"]
    click.echo("")
    click.echo(f"piecewise linear: {_plural(len(bp), 'breakpoint')} over all x, "
               f"{_plural(info['linear_pieces'], 'linear piece')}")
    if bp:
        bends = info["distinct_bends"]
        click.echo(f"  {bends} of {_plural(len(bp), 'breakpoint')} change{'s' if bends == 1 else ''} the slope "
                   f"by more than {info['bend_rtol']:.0%} of the steepest piece")
        shown = ", ".join(f"{x:.4g}" for x in bp[:40]) + (", ..." if len(bp) > 40 else "")
        click.echo("  breakpoints (where a ReLU switches on or off):")
        click.echo(textwrap.fill(shown, width=80, initial_indent="    ", subsequent_indent="    "))
    click.echo("  pieces:")
    coefficients = np.array([piece[2:] for piece in info["pieces"]], dtype=float)
    scale = np.abs(coefficients[np.isfinite(coefficients)]).max(initial=0)
    for start, end, *line in info["pieces"][:SHOWN_PIECES]:
        click.echo(f"    {_piece_text(start, end, *_noise_to_zero(line, scale))}")
    if len(info["pieces"]) > SHOWN_PIECES:
        click.echo(f"    ... and {_plural(len(info['pieces']) - SHOWN_PIECES, 'more piece')}")


def _print_data(info: dict) -> None:
    lines = []
    if info["data_pieces"] is not None:
        lo, hi = info["data_range"]
        lines.append(f"over the data ({info['data']}, x in [{lo:.4g}, {hi:.4g}]): "
                     f"{_plural(info['data_pieces'], 'linear piece')}")
    elif "data_pieces_error" in info:
        lines.append(f"over the data ({info['data']}): {info['data_pieces_error']}")
    if info["linear_regression"] is not None:
        lines.append(info["linear_regression"])
    if lines:  # a smooth or many-input model may have nothing to say about the data
        click.echo("\n" + "\n".join(lines))
