"""The film of a fit forming (``tinynet train --animate`` and ``tinynet compare --animate``).

Training only records (a ``tinynet.KinkRecorder``, made by ``film_recorder``,
keeps a copy of the parameters every few epochs, a small cost per epoch);
the frames are drawn after it, from those copies. Each frame shows the data,
the fit as it was at that epoch, its breakpoints as dots (one input; with
more inputs, the prediction against the target), the epoch, the training
loss and the linear pieces. ``write_compare_film`` puts several nets' frames
side by side. matplotlib draws the frames and Pillow (which matplotlib needs
anyway) writes the GIF, or a strip of frames in one PNG, atomically like
every other file.
"""

from dataclasses import dataclass

import numpy as np

from ..io.atomic import atomic_write
from ..lesson.recorder import KinkRecorder
from ..model import output_features
from ..training import predict
from .canvas import (
    MatplotlibMissing,
    pyplot,
    step,
    stops_between_steps,
    texts_as_written,
)
from .fits import to_data_units

FRAMES = 100  # at most this many frames, chosen evenly in log(epoch) among the snapshots
STRIP = 6  # frames in a strip (a .png name): 3 across, 2 down
SNAPSHOTS = 200  # at most this many snapshots kept during training (0.5 ms each for a 1-32-32-1 net)
KINKS_FIRST = 100  # for plot_kinks, also each of the first 100 epochs, where kinks move fastest
SIZE, DPI = (6.4, 4.0), 75  # 480 x 300 pixels: 100 frames take about 1 MB
FRAME_MS, LAST_FRAME_MS = 80, 2000  # 100 frames play in 8 s; the last one stays 2 s


def film_recorder(model, X: np.ndarray, epochs: int, kinks: bool = False) -> KinkRecorder:
    """A KinkRecorder keeping at most SNAPSHOTS snapshots of ``model`` over at most ``epochs`` epochs of training
    on X (breakpoints counted on X's range, or over all x if X holds one value), spaced evenly in log(epoch):
    the fit changes most early on, and a run that settles long before ``epochs`` still has most of its
    snapshots (evenly in epochs, a run settling at 2,325 of 100,000 epochs kept 6). For ``plot_kinks``
    (``kinks``), also each of the first KINKS_FIRST epochs, where the kinks move fastest."""
    lo, hi = float(X.min()), float(X.max())
    if lo == hi:
        lo, hi = -np.inf, np.inf
    first = min(epochs, KINKS_FIRST) if kinks else 0
    at = np.unique(np.round(np.geomspace(1, epochs, SNAPSHOTS)))
    return KinkRecorder(model, every=epochs + 1, lo=lo, hi=hi, first=first, at=at)


def compare_recorders(X: np.ndarray, epochs: int) -> tuple[dict, object]:
    """({activation: KinkRecorder}, the ``watch`` hook for tinynet.compare that fills it) for ``write_compare_film``."""
    recorders = {}

    def watch(activation, model):
        recorders[activation] = film_recorder(model, X, epochs)
        return recorders[activation]

    return recorders, watch


def check_film_model(model) -> None:
    """Raise ValueError, saying why, unless a film can show ``model``: one output (the fit, or the prediction
    against the target). k class scores have no such picture: ``plot_regions`` draws their regions."""
    outputs = output_features(model)
    if outputs not in (None, 1):
        raise ValueError(f"a film draws a model of one output, and this one gives {outputs} (one score a class): "
                         "--plot draws the classes' regions")


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
    """Up to ``frames`` frames spread evenly in log(1 + epoch) (the snapshots nearest), always the first and last:
    where the fit changes, not the long settling at its end."""
    snapshots = recorder.snapshots
    epochs = np.log1p([snapshot.epoch for snapshot in snapshots])
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
            ys = predict(model, xs[:, None])[:, 0]
        else:
            xs, ys = y[:, 0], predict(model, X)[:, 0]
        kink_y = predict(model, bends[:, None])[:, 0] if len(bends) else np.empty(0)
        result.append(Frame(snapshot.epoch, snapshot.loss * scale, xs, ys, bends, kink_y, pieces))
    return result


@stops_between_steps
def write_film(path: str, recorder, X, y, title: str, frames: int = FRAMES) -> list[Frame]:
    """Draw the frames to ``path``, atomically: a looping GIF, or for a .png a strip of STRIP; return them."""
    strip = path.lower().endswith(".png")
    chosen, images = film_images(recorder, X, y, title, STRIP if strip else frames)
    save_film(path, images)
    return chosen


@texts_as_written
def film_images(recorder, X, y, title: str, frames: int) -> tuple[list[Frame], list]:
    """The frames of ``recorder``'s training, and each drawn as an RGB array."""
    plt = pyplot()
    try:
        import PIL  # noqa: F401  (the writer needs Pillow, which matplotlib brings)
    except ImportError:
        raise MatplotlibMissing() from None
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
        step()
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


@stops_between_steps
def write_compare_film(path: str, recorders: dict, rows: list[dict], X, y, title: str) -> None:
    """The nets of ``tinynet.compare``'s ``rows`` learning side by side, to ``path`` (a GIF, or a strip for .png).

    ``recorders`` are those ``compare_recorders`` made, by activation. One
    frame is each net's frame side by side, each from its own run (a net that
    settled early holds still), titled "<title>: the <activation> net".
    """
    frames = STRIP if path.lower().endswith(".png") else FRAMES
    panels = []
    for row in rows[1:]:
        recorder = recorders[row["activation"]]
        recorder.finish(row["history"])
        _, images = film_images(recorder, X, y, f"{title}: the {row['activation']} net", frames)
        panels.append(images)
    count = max(len(images) for images in panels)
    # a net with fewer snapshots (it stopped early) shows its last frame from then on
    joined = [np.hstack([images[min(i, len(images) - 1)] for images in panels]) for i in range(count)]
    save_film(path, joined)


@stops_between_steps
def save_film(path: str, images: list) -> None:
    """Write frames (RGB arrays) to ``path``: a looping GIF, or a strip for a .png name."""
    from PIL import Image

    step()
    if path.lower().endswith(".png"):
        _save_strip(path, images)
    else:
        _save_gif(path, [Image.fromarray(image) for image in images])


def _save_gif(path: str, images: list) -> None:
    """One palette for all frames (taken from the first, middle and last), so colours hold still; then write."""
    from PIL import Image

    sample = Image.fromarray(np.vstack([np.asarray(images[i]) for i in (0, len(images) // 2, -1)]))
    palette = sample.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    frames = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    durations = [FRAME_MS] * (len(frames) - 1) + [LAST_FRAME_MS]
    with atomic_write(path) as file:
        frames[0].save(file, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                       optimize=False, disposal=1)


def _save_strip(path: str, images: list) -> None:
    """The frames in rows of 3, as one PNG: the film for a page that does not play GIFs."""
    from PIL import Image

    blank = np.full_like(images[0], 255)
    rows = [np.hstack((images + [blank] * 2)[i:i + 3]) for i in range(0, len(images), 3)]
    with atomic_write(path) as file:
        Image.fromarray(np.vstack(rows)).save(file, format="PNG", optimize=True)
