"""tinynet inspect: what a saved model is, and what it computes."""

import textwrap

import click
import numpy as np

import tinynet

from .common import describe, echo_json, hidden_activation


@click.command()
@click.argument("model_path", metavar="MODEL.npz", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the description as JSON on stdout.")
def inspect(model_path, as_json):
    """Describe a saved model and what it computes.

    Shows its layers, parameter count and activation.

    An all-identity model is shown collapsed to the one affine map
    y = x @ W + b it is; a one-input ReLU model is shown with its
    breakpoints, the x values where it changes slope.
    """
    model = tinynet.load(model_path)
    params = model.parameters()
    info = {
        "file": model_path,
        "name": describe(model),
        "layers": [repr(layer) for layer in model],
        "parameters": int(sum(p.data.size for p in params)),
        "activation": hidden_activation(model),
        "dtype": str(tinynet.sequential.model_dtype(model)),
        "standardized": any(isinstance(layer, tinynet.Standardize) for layer in model),
        "features": model.feature_names,
    }
    if all(isinstance(layer, (tinynet.Linear, tinynet.Identity, tinynet.Standardize, tinynet.Unstandardize))
           for layer in model):
        line = tinynet.collapse(model)
        info["collapsed"] = {"W": line.weight.data.tolist(), "b": line.bias.data.tolist()}
    one_in_one_out = (tinynet.sequential.input_features(model), tinynet.sequential.output_features(model)) == (1, 1)
    if one_in_one_out and tinynet.is_piecewise_linear(model):
        try:
            bp = tinynet.breakpoints(model, -np.inf, np.inf)
            info["breakpoints"] = bp.tolist()
            info["linear_pieces"] = len(bp) + 1
        except ValueError as error:  # a deep net can have more pieces than can be listed
            info["breakpoints_error"] = str(error)
    if as_json:
        echo_json(info)
        return
    _print(model, info)


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
        W, b = np.array(info["collapsed"]["W"]), np.array(info["collapsed"]["b"])
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
        bp = info["breakpoints"]
        click.echo("")
        click.echo(f"piecewise linear: {len(bp)} breakpoint{'s' if len(bp) != 1 else ''} over all x, "
                   f"{info['linear_pieces']} linear piece{'s' if info['linear_pieces'] != 1 else ''}")
        if bp:
            shown = ", ".join(f"{x:.4g}" for x in bp[:40]) + (", ..." if len(bp) > 40 else "")
            click.echo("  breakpoints (where a ReLU switches on or off):")
            click.echo(textwrap.fill(shown, width=80, initial_indent="    ", subsequent_indent="    "))
