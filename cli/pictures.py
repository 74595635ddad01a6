"""The pictures' options and checks: --animate, --plot-kinks and --html (train), --plot (inspect).

The drawing itself is tinynet.draw; here is only what the command line adds:
the options, refusing a picture that cannot be drawn before any training
(with the option it came from), and the titles.
"""

import functools

import click

import tinynet
from tinynet import draw, kinds
from tinynet.io import check_fits_model

from .common import load_data
from .keep import check_output_path


def film_options(command):
    """--animate and --plot-kinks: pictures of training as it happened."""
    options = [
        click.option("--animate", "animate_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.gif",
                     help=f"Draw the fit forming during training as an animated GIF, up to {draw.film.FRAMES} frames: "
                          "the data, the fit and its breakpoints, the epoch and the loss; a .png name gets "
                          f"{draw.film.STRIP} of the frames side by side instead (needs matplotlib)."),
        click.option("--plot-kinks", "kinks_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.png",
                     help="Draw where each first-layer unit's kink x = -b / w moves during training, with the data's "
                          "range shaded: kinks that leave it and units that die are how a net ends as linear "
                          "regression (one input; needs matplotlib)."),
        html_option(),
    ]
    return functools.reduce(lambda f, option: option(f), reversed(options), command)


def html_option(what: str = "the net"):
    """--html: the page of tinynet.draw.page, which needs no matplotlib."""
    return click.option("--html", "html_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.html",
                        help=f"Write {what} as one self-contained HTML page, with a slider through training: the "
                             "fit's pieces, kinks and hinges (one input) or its regions and decision boundary "
                             "(two). It opens from disk, offline.")


def recorder_for(model, X, epochs: int, animate_path, kinks_path, html_path=None):
    """A KinkRecorder for the pictures asked for (None for none), refusing what they cannot show before training."""
    if html_path:
        check_picture(model)
    if animate_path:
        check_picture(model, draw.check_film_model, "'--animate'")
    if not animate_path and not kinks_path and not html_path:
        return None
    if kinks_path and X.shape[1] != 1:
        raise click.BadParameter(f"kinks are x values of one input, but the data has {X.shape[1]} input columns",
                                 param_hint="'--plot-kinks'")
    layers = [layer for layer in model if not isinstance(layer, (tinynet.Standardize, tinynet.Unstandardize))]
    if kinks_path and not (len(layers) > 1 and kinds.has_kink(layers[1])):
        what = f"its activation is {layers[1]!r}" if len(layers) > 1 else "the model has no hidden layer"
        raise click.BadParameter(f"the first layer's units have no kinks: {what}, not ReLU or LeakyReLU",
                                 param_hint="'--plot-kinks'")
    return draw.film_recorder(model, X, epochs, kinks=bool(kinks_path))


def draw_pictures(recorder, X, y, animate_path, kinks_path, data: str, html_path=None, names=None) -> None:
    """Draw the film, the kink plot and the page asked for, from what ``recorder`` kept of training on ``data``."""
    title = f"tinynet train --data {data}: {tinynet.model_name(recorder.model)}"
    if html_path:
        draw.write_page(html_path, X, y, [{"label": tinynet.model_name(recorder.model), "net": recorder.model,
                                           "recorder": recorder}], title, names)
    if animate_path:
        draw.write_film(animate_path, recorder, X, y, title)
    if kinks_path:
        draw.plot_kinks(kinks_path, recorder, X, title)


def plot_model(path: str, model_path: str, data: str | None, target: str | None) -> None:
    """inspect --plot: draw the model in ``model_path`` to ``path`` (tinynet.draw.plot_hinges), over --data's range."""
    check_output_path(path, "--plot")
    draw.check_can_draw()
    model = tinynet.load(model_path)
    _check_drawable(model, model_path)
    X = y = None
    if data is not None:
        # only the model's columns are read, found as every command finds them (tinynet.io.columns_for_model)
        X, y, _, _ = load_data(data, target, model=model, model_where=f"the model in {model_path}")
        check_fits_model(model, X, y, data, f"the model in {model_path}")
    draw.plot_hinges(path, model, X, y, title=f"{model_path}: {tinynet.model_name(model)}")


def check_picture(model, check=draw.check_page_model, option: str = "'--html'") -> None:
    """Refuse, before training, a model that --html (or, with draw.check_film_model, --animate) cannot show."""
    try:
        check(model)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=option) from None


def _check_drawable(model, model_path: str) -> None:
    """Refuse, saying what to use instead, a model the picture cannot show: it draws one input against y."""
    inputs, outputs = tinynet.input_features(model), tinynet.output_features(model)
    if inputs != 1:
        raise click.ClickException(
            f"--plot draws one-input models as lines in x, and {tinynet.model_name(model)} in {model_path} takes {inputs} "
            "inputs: to see a two-input model's regions and decision boundary, train it with "
            "`tinynet train --plot FILE.png` or `tinynet compare --plot FILE.png` on its data")
    if outputs != 1:
        raise click.ClickException(f"--plot draws one-output models, and {tinynet.model_name(model)} in {model_path} "
                                   f"gives {outputs} outputs")
    if not tinynet.is_piecewise_linear(model):
        raise click.ClickException(
            f"--plot draws piecewise-linear models (ReLU, LeakyReLU, identity) as their hinges or pieces, and "
            f"{tinynet.model_name(model)} in {model_path} is smooth: it has no pieces to draw (`tinynet train --plot` "
            "draws any one-input fit)")
