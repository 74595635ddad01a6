"""How ``tinynet inspect`` shows a model as text: the description, the collapsed map, the pieces.

Every string that comes from a file or the command line (a path, a column
name) goes through ``shown``: a name read from bytes that were not UTF-8
holds lone surrogates, which a strict UTF-8 output refuses mid-line.
"""

import textwrap

import click
import numpy as np

SHOWN_PIECES = 12  # the text lists this many pieces; --json lists them all


def shown(text: str) -> str:
    """Text from a file or the command line as it can always be printed: a lone surrogate (from a
    name that was not valid UTF-8) is written as an escape like \\udcff, not left to stop the output."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


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


def print_info(model, info: dict) -> None:
    click.echo(f"{shown(info['file'])}: {info['name']}, {info['dtype']}")
    click.echo(repr(model))
    click.echo(f"parameters: {info['parameters']:,}")
    click.echo(f"hidden activation: {info['activation']}")
    if info["features"]:
        click.echo(f"input columns: {shown(', '.join(info['features']))}")
    if info["standardized"] and info["targets_standardized"]:
        click.echo("inputs and targets are standardised inside the model: it works in the data's own units")
    elif info["standardized"]:  # a classifier: its output is a probability, which no scaling touches
        outputs = "a probability of class 1" if info["sigmoid_output"] else "not scaled"
        click.echo(f"inputs are standardised inside the model, so it takes the data's own units; its output is "
                   f"{outputs}")
    if "collapsed" in info:
        W, b = np.array(info["collapsed"]["W"], dtype=float), np.array(info["collapsed"]["b"], dtype=float)
        sizes = np.abs(np.concatenate([W.ravel(), b]))
        scale = sizes[np.isfinite(sizes)].max(initial=0)
        W, b = _noise_to_zero(W, scale), _noise_to_zero(b, scale)
        click.echo("")
        click.echo("every activation is identity, so the whole network is one affine map:")
        click.echo(f"  y = x @ W + b,  W = {np.array2string(W, precision=6, separator=', ')},"
                   f"  b = {np.array2string(b, precision=6, separator=', ')}")
        click.echo(f"  its {len(model)} layers multiply out to one Linear({W.shape[0]}, {W.shape[1]}): more layers")
        click.echo("  add parameters, not expressive power, so it can never fit better than")
        click.echo("  least squares (linear regression).")
    if "collapsed_error" in info:
        click.echo(f"\nevery activation is identity, but the model cannot be multiplied out: {info['collapsed_error']}")
    if "breakpoints_error" in info:
        click.echo(f"\npiecewise linear: {info['breakpoints_error']}")
    if "breakpoints" in info:
        _print_pieces(info)
    if info.get("linear_regression") is not None:  # a smooth or many-input model may have nothing to say
        click.echo("\n" + info["linear_regression"])
    if "linear_regions" in info:
        counted = info["linear_regions"]
        click.echo("\n" + textwrap.fill(f"linear regions {info['box_where']}: "
                                        + ("none to count, a box of no area" if counted is None else str(counted)),
                                        width=100, subsequent_indent="  "))
        if info["box_over"] == "scaling":
            click.echo("  (--data counts them over the data's own box, --box over any)")
    elif "linear_regions_error" in info:
        click.echo(f"\nlinear regions: not counted: {info['linear_regions_error']}")


def _print_pieces(info: dict) -> None:
    bp = info["breakpoints"]
    click.echo("")
    if info["one_x_value"] is not None:
        click.echo(f"every x of the data is {info['one_x_value']:.4g}: no interval to count pieces on, so")
    click.echo(textwrap.fill(f"piecewise linear: {_plural(len(bp), 'breakpoint')}, "
                             f"{_plural(info['linear_pieces'], 'linear piece')} {info['range_where']}",
                             width=100, subsequent_indent="  "))
    if info["range_over"] == "scaling":
        click.echo("  (--data counts them over the data's own range)")
    outside = info["all_x_pieces"] - info["linear_pieces"]
    if outside > 0:  # units that switch far from the data: another count, over another interval
        click.echo(f"  over all x: {_plural(info['all_x_pieces'], 'linear piece')} ({_plural(outside, 'more breakpoint')} "
                   "outside this range)")
    if bp:
        bends = info["distinct_bends"]
        click.echo(f"  {bends} of {_plural(len(bp), 'breakpoint')} change{'s' if bends == 1 else ''} the slope "
                   f"by more than {info['bend_rtol']:.0%} of the steepest piece")
        listed = ", ".join(f"{x:.4g}" for x in bp[:40]) + (", ..." if len(bp) > 40 else "")
        click.echo("  breakpoints (where a ReLU switches on or off):")
        click.echo(textwrap.fill(listed, width=80, initial_indent="    ", subsequent_indent="    "))
    click.echo("  pieces:")
    coefficients = np.array([piece[2:] for piece in info["pieces"]], dtype=float)
    scale = np.abs(coefficients[np.isfinite(coefficients)]).max(initial=0)
    for start, end, *line in info["pieces"][:SHOWN_PIECES]:
        click.echo(f"    {_piece_text(start, end, *_noise_to_zero(line, scale))}")
    if len(info["pieces"]) > SHOWN_PIECES:
        click.echo(f"    ... and {_plural(len(info['pieces']) - SHOWN_PIECES, 'more piece')}")
