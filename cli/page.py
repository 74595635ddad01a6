"""tinynet page: a saved model as one HTML page (tinynet.draw.write_page)."""

import click

import tinynet
from tinynet import draw
from tinynet.io import check_fits_model

from .common import load_data
from .keep import check_outputs


@click.command(short_help="A saved model as one HTML page: its pieces, kinks and hinges, or its regions.")
@click.argument("model_path", metavar="MODEL.npz", type=click.Path(exists=True, dir_okay=False))
@click.argument("html_path", metavar="FILE.html", type=click.Path(dir_okay=False))
@click.option("--data", default=None, metavar="NAME|FILE.csv",
              help="Draw this data too, and over its range.", show_default="the range the model's scaling implies")
@click.option("--target", metavar="COLUMN", default=None, help="For a CSV file: the column the model predicts.")
def page(model_path, html_path, data, target):
    """Write the model in MODEL.npz as one self-contained HTML page.

    One input: the fit as its linear pieces (hover or Tab to a piece for its
    formula), its kinks, dead units, and a checkbox for each unit's hinge.
    Two inputs: its linear regions and decision boundary. The page needs no
    server and fetches nothing; a saved model has no film (train with --html
    for the slider through training).

    \b
    Examples:
      tinynet train --hidden 12 --save sin12.npz
      tinynet page sin12.npz sin12.html --data sin
    """
    model = tinynet.load(model_path)
    X = y = names = None
    if data is not None:  # the model's own columns, found as every command finds them
        X, y, features, target_name = load_data(data, target, model=model, model_where=f"the model in {model_path}")
        check_fits_model(model, X, y, data, f"the model in {model_path}")
        names = (features, target_name)
    check_outputs(None, None, {"MODEL.npz": model_path, "--data": data if names and names[1] else None},
                  {"FILE.html": html_path})
    size = draw.write_page(html_path, X, y, [{"label": tinynet.model_name(model), "net": model}],
                           f"{model_path}: {tinynet.model_name(model)}", names)
    click.echo(f"wrote {html_path} ({size / 1000:,.0f} KB)")
