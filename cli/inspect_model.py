"""tinynet inspect: what a saved model is, and what it computes."""

import click

import tinynet
from tinynet.io import check_fits_model
from tinynet.lesson.inspect import model_info, model_json, model_text, printable

from .common import load_data
from .params import BoxType
from .pictures import plot_model


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

    Its layers, parameter count and activation; an all-identity model as
    the one affine map y = x @ W + b it is; a one-input ReLU model's
    breakpoints (where its slope changes) and linear pieces; a two-input
    one's count of linear regions. Pieces and regions are counted over the
    data's range with --data, else over the range the model's stored
    scaling implies (each input's mean +- sqrt(3) std), as the output says.

    \b
    Example:
      tinynet train --data sin --hidden 8 --save sin.npz
      tinynet inspect sin.npz --data sin
      tinynet inspect sin.npz --data sin --plot hinges.png
    """
    if target is not None and data is None:
        raise click.UsageError("--target names a column of the --data file: give --data too")
    model = tinynet.load(model_path)
    sizes = (tinynet.input_features(model), tinynet.output_features(model))
    if box is not None and sizes != (2, 1):
        raise click.BadParameter(f"linear regions are counted for a model of two inputs and one output, "
                                 f"this one takes {sizes[0]} and gives {sizes[1]}", param_hint="'--box'")
    try:
        if plot_path:
            plot_model(plot_path, model_path, data, target)
        X = y = None
        if data is not None:  # the model's input columns, found by name in a CSV file, as predict finds them
            X, y, _, _ = load_data(data, target, model=model, model_where=f"the model in {model_path}")
            check_fits_model(model, X, y, data, f"the model in {model_path}")
        info = model_info(model, tinynet.model_name(model), tinynet.hidden_activation(model), file=model_path, data=data, X=X, y=y,
                          box=box)
    except MemoryError:  # main's advice (--batch-size) is for training; inspect has no such option
        raise click.ClickException(f"out of memory while inspecting {printable(model_path)}: the model is too "
                                   "large for this machine") from None
    # JSON has no infinity or NaN: the outer ends of the pieces (and any overflowed number) become null
    click.echo(model_json(info) if as_json else model_text(model, info))
