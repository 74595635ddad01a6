"""tinynet train --animate fit.gif: the film of a fit forming, one frame every so many epochs.

Training only records (tinynet.KinkRecorder keeps a copy of the parameters
every few epochs, a small cost per epoch); the frames are drawn after it,
from those copies. Each frame shows the data, the fit as it was at that
epoch, its breakpoints as dots (one input; with more inputs, the prediction
against the target), the epoch, the training loss and the linear pieces.
matplotlib draws the frames and Pillow (which matplotlib needs anyway)
writes the GIF, atomically like every other file.
"""

import functools
from dataclasses import dataclass

import click
import numpy as np

import tinynet
from tinynet import kinds

from .common import describe
from .film_files import save_film
from .plot import MISSING, to_data_units

FRAMES = 100  # at most this many frames, chosen evenly among the snapshots
STRIP = 6  # frames in a strip (--animate FILE.png): 3 across, 2 down
SNAPSHOTS = 200  # about this many snapshots kept during training (0.5 ms each for a 1-32-32-1 net)
KINKS_FIRST = 100  # for --plot-kinks, also each of the first 100 epochs, where kinks move fastest
SIZE, DPI = (6.4, 4.0), 75  # 480 x 300 pixels: 100 frames take about 1 MB


def film_options(command):
    """--animate and --plot-kinks: pictures of training as it happened."""
    options = [
        click.option("--animate", "animate_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.gif",
                     help=f"Draw the fit forming during training as an animated GIF, up to {FRAMES} frames: the data, "
                          f"the fit and its breakpoints, the epoch and the loss; a .png name gets {STRIP} of the frames "
                          "side by side instead (needs matplotlib)."),
        click.option("--plot-kinks", "kinks_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.png",
                     help="Draw where each first-layer unit's kink x = -b / w moves during training, with the data's "
                          "range shaded: kinks that leave it and units that die are how a net ends as linear "
                          "regression (one input; needs matplotlib)."),
    ]
    return functools.reduce(lambda f, option: option(f), reversed(options), command)


def recorder_for(model, X, epochs: int, animate_path, kinks_path):
    """A KinkRecorder for the pictures asked for (None for none), refusing what they cannot show before training."""
    if not animate_path and not kinks_path:
        return None
    if kinks_path and X.shape[1] != 1:
        raise click.BadParameter(f"kinks are x values of one input, but the data has {X.shape[1]} input columns",
                                 param_hint="'--plot-kinks'")
    layers = [layer for layer in model if not isinstance(layer, (tinynet.Standardize, tinynet.Unstandardize))]
    if kinks_path and not (len(layers) > 1 and kinds.has_kink(layers[1])):
        what = f"its activation is {layers[1]!r}" if len(layers) > 1 else "the model has no hidden layer"
        raise click.BadParameter(f"the first layer's units have no kinks: {what}, not ReLU or LeakyReLU",
                                 param_hint="'--plot-kinks'")
    lo, hi = float(X.min()), float(X.max())
    if lo == hi:
        lo, hi = -np.inf, np.inf
    first = min(epochs, KINKS_FIRST) if kinks_path else 0  # the kink plot's first epochs, one by one
    return tinynet.KinkRecorder(model, every=max(1, epochs // SNAPSHOTS), lo=lo, hi=hi, first=first)


def draw_pictures(recorder, X, y, animate_path, kinks_path, data: str) -> None:
    """Draw the film and the kink plot asked for, from what ``recorder`` kept of training on ``data``."""
    title = f"tinynet train --data {data}: {describe(recorder.model)}"
    if animate_path:
        write_film(animate_path, recorder, X, y, title)
    if kinks_path:
        from .plot_kinks import plot_kinks

        plot_kinks(kinks_path, recorder, X, title)


@dataclass
class Frame:
    """What one frame shows: the fit's points (xs, ys) (one input: x and the fit; else target and prediction),
    its breakpoints (kink_x, kink_y), and the title's numbers."""

    epoch: int
    loss: float
    xs: np.ndarray
    ys: np.ndarray
    kink_x: np.ndarray
    kink_y: np.ndarray
    pieces: int | None


def film_frames(recorder, X, y, frames: int = FRAMES) -> list[Frame]:
    """Up to ``frames`` frames evenly spread over the epochs (the snapshots nearest), always the first and last."""
    snapshots = recorder.snapshots
    epochs = np.array([snapshot.epoch for snapshot in snapshots])
    wanted = np.linspace(0, epochs[-1], min(frames, len(snapshots)))
    chosen = np.unique(np.abs(epochs[None, :] - wanted[:, None]).argmin(axis=1))  # (frames,) snapshot indices
    scale = to_data_units(recorder.model) or 1.0
    one_input = X.shape[1] == 1 and y.shape[1] == 1
    lo, hi = float(X.min()), float(X.max())
    result = []
    for snapshot in (snapshots[i] for i in chosen):
        model = recorder.model_at(snapshot)
        bends = snapshot.breakpoints if snapshot.breakpoints is not None else np.empty(0)
        pieces = len(bends) + 1 if snapshot.breakpoints is not None and lo < hi else None
        if one_input:
            xs = np.union1d(np.linspace(lo, hi, 400), bends)  # the ends of every piece: the exact polyline
            ys = tinynet.predict(model, xs[:, None])[:, 0]
        else:
            xs, ys = y[:, 0], tinynet.predict(model, X)[:, 0]
        kink_y = tinynet.predict(model, bends[:, None])[:, 0] if len(bends) else np.empty(0)
        result.append(Frame(snapshot.epoch, snapshot.loss * scale, xs, ys, bends, kink_y, pieces))
    return result


def write_film(path: str, recorder, X, y, title: str, frames: int = FRAMES) -> list[Frame]:
    """Draw the frames to ``path``, atomically: a looping GIF, or for a .png a strip of STRIP; return them."""
    strip = path.lower().endswith(".png")
    chosen, images = film_images(recorder, X, y, title, STRIP if strip else frames)
    save_film(path, images)
    return chosen


def film_images(recorder, X, y, title: str, frames: int) -> tuple[list[Frame], list]:
    """The frames of ``recorder``'s training, and each drawn as an RGB array."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import PIL  # noqa: F401  (the writer needs Pillow, which matplotlib brings)
    except ImportError:
        raise click.ClickException(MISSING) from None
    chosen = film_frames(recorder, X, y, frames)
    fig, ax = plt.subplots(figsize=SIZE, dpi=DPI, constrained_layout=True)
    one_input = X.shape[1] == 1 and y.shape[1] == 1
    if one_input:
        ax.scatter(X[:, 0], y[:, 0], s=4, color="0.7", label="data")
        fit, = ax.plot([], [], lw=1.8, color="C0", label="fit")
        ax.set(xlabel="x", ylabel="y")
    else:
        ax.plot([y.min(), y.max()], [y.min(), y.max()], color="0.6", lw=1)
        fit, = ax.plot([], [], ".", ms=3, color="C0", label="prediction")
        ax.set(xlabel="target", ylabel="prediction")
    kinks, = ax.plot([], [], "o", ms=4, color="C3", label="breakpoints", zorder=3, animated=True)
    fit.set_animated(True)
    label = ax.text(0.0, 1.02, "", transform=ax.transAxes, fontsize=10, animated=True)
    ax.set_xlim(*_padded(X[:, 0] if one_input else y[:, 0]))
    ax.set_ylim(*_padded(y[:, 0]))
    ax.legend(handles=[fit, kinks], loc="upper left", fontsize=8)
    fig.suptitle(title, fontsize=9)
    ax.set_title(" ", fontsize=10)  # room for the label
    fig.canvas.draw()  # what holds still, once (the animated artists are left out of it)
    fig.set_layout_engine("none")
    still = fig.canvas.copy_from_bbox(fig.bbox)
    images = []
    for frame in chosen:
        fit.set_data(frame.xs, frame.ys)
        kinks.set_data(frame.kink_x, frame.kink_y)
        pieces = "" if frame.pieces is None else f"   {frame.pieces} linear piece{'s' * (frame.pieces != 1)}"
        loss = "-" if np.isnan(frame.loss) else f"{frame.loss:.3g}"
        label.set_text(f"epoch {frame.epoch}   training loss {loss}{pieces}")
        fig.canvas.restore_region(still)
        for artist in (fit, kinks, label):
            ax.draw_artist(artist)
        images.append(_grab(fig))
    plt.close(fig)
    return chosen, images


def _grab(fig) -> np.ndarray:
    """The figure as drawn now: (height, width, 3) RGB."""
    return np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy()


def _padded(values: np.ndarray, pad: float = 0.08) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo or max(abs(lo), 1.0)
    return lo - pad * span, hi + pad * span
