"""Pictures of fits on one input: each net in its own panel, a zoom on the straight pieces, the slopes, the loss.

For one input the picture is built to show what the lesson claims, each
claim where it cannot be hidden by another curve:

- one panel per net, so no fit is drawn over another's; a closed-form fit
  (least squares) shares the panel of each net that is one straight line
  (the identity net), drawn dashed on top of it, so the two can be told apart;
- a zoom on the piecewise-linear net where its pieces bend most, small
  enough that the straight pieces and their kinks are plain to see (at full
  size, 50 pieces fitted to sin look like a smooth curve);
- the slope of every fit, dy/dx: a straight piece has one slope, so a ReLU
  net's slope is a staircase with a step at each kink, a sigmoid net's a
  smooth curve and a straight line's a constant;
- the training loss per epoch, with its spikes, if any, named and explained
  in the panel's title (``loss_spikes`` finds them).

With more inputs or outputs there is no curve to draw: the prediction is
drawn against the target instead, beside the loss. ``tinynet train --plot``
and ``tinynet compare --plot`` draw these for one-input data.
"""

import math
import textwrap

import numpy as np

from ..checks import shown
from ..lesson.pieces import is_piecewise_linear
from ..lesson.pieces import pieces as pieces_on
from ..standardize import Unstandardize
from ..training import predict
from .canvas import pyplot, save_and_close, stops_between_steps, texts_as_written

DPI = 110
ZOOM_PIECES = 4  # the zoom is this many typical pieces wide: enough to see them bend, few enough to see each straight
SPIKE = 3.0  # an epoch's loss above SPIKE x the lowest before it starts a spike
SPIKE_GAP = 50  # spikes fewer epochs apart than this are one bout


@stops_between_steps
def plot_fits(path: str, X: np.ndarray, y: np.ndarray, fits: list[dict], title: str, names=(None, None)) -> None:
    """Draw fits to ``path`` (PNG, PDF or SVG, from its name), in the data's own units: see ``draw_fits``."""
    save_and_close(draw_fits(X, y, fits, title, names), path, DPI)


@texts_as_written
def draw_fits(X: np.ndarray, y: np.ndarray, fits: list[dict], title: str, names=(None, None)):
    """The figure of ``plot_fits``, returned (not saved): the panels the module docstring lists.

    X: (N, D) inputs and y: (N, T) targets, in the data's units. Each fit is a
    dict with "label", "net" and "history" (None for a closed-form fit), and
    optionally "mse" in the data's units (drawn as a level line in the loss
    panel for a fit without a history, and given in the legends). ``names``
    are the CSV's (input column names, target name), or None for "x" and "y".
    Each panel's ``get_label()`` says what it is: "fit: <label>", "zoom",
    "slope", "loss" (or "prediction" with several inputs or outputs).
    """
    plt = pyplot()
    fits = [dict(fit) for fit in fits]  # what is worked out for drawing stays here, not in the caller's dicts
    for i, fit in enumerate(fits):  # one colour per fit, the same in every panel
        fit.setdefault("color", f"C{i}")
    x_name, y_name = shown((names[0] or ["x"])[0]), shown(names[1] or "y")  # a name from a file, never obeyed
    if X.shape[1] == 1 and y.shape[1] == 1:
        fig = _draw_one_input(plt, X, y, fits, x_name, y_name)
    else:
        fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
        _draw_prediction_vs_target(ax_fit, X, y, fits, y_name)
        _draw_losses(ax_loss, fits)
    fig.suptitle(textwrap.fill(title, 40 * min(len(fig.axes), 3)))
    return fig


def _draw_one_input(plt, X, y, fits, x_name, y_name):
    lo, hi = float(X.min()), float(X.max())
    for fit in fits:  # exact pieces where the net has them: (start, end, slope, intercept) on [lo, hi]
        fit["smooth"] = not is_piecewise_linear(fit["net"])
        fit["pieces"] = pieces_on(fit["net"], lo, hi) if not fit["smooth"] and lo < hi else None
    nets = [fit for fit in fits if fit["history"] is not None]
    closed = [fit for fit in fits if fit["history"] is None]
    lines = [net for net in nets if net["pieces"] is not None and len(net["pieces"]) == 1]
    # a closed-form fit (a line) is drawn with the nets that are one line, where it can be told from them
    panels = [[net, *closed] if net in lines else [net] for net in nets]
    if closed and not lines:
        panels.insert(0, closed)
    zoomed = max((net for net in nets if net["pieces"] is not None and len(net["pieces"]) > 1),
                 key=lambda net: len(net["pieces"]), default=None)
    sloped = lo < hi  # one x value has no slope to draw
    count = len(panels) + (zoomed is not None) + sloped + 1  # + the loss
    cols = 2 if count in (2, 4) else 3
    rows = math.ceil(count / cols)
    fig, grid = plt.subplots(rows, cols, figsize=(4.4 * cols, 3.5 * rows + 0.4), constrained_layout=True,
                             squeeze=False)
    axes = list(grid.ravel())
    for ax in axes[count:]:
        fig.delaxes(ax)
    window = _zoom_window(zoomed["pieces"], X, y) if zoomed is not None else None
    for ax, group in zip(axes, panels):
        _draw_panel(ax, X, y, group, x_name, y_name, window if zoomed in group else None)
    extra = iter(axes[len(panels):count])
    if zoomed is not None:
        _draw_zoom(next(extra), X, y, zoomed, window, x_name, y_name)
    if sloped:
        _draw_slopes(next(extra), fits, lo, hi, x_name, y_name)
    _draw_losses(next(extra), fits)
    return fig


def _legend_label(fit) -> str:
    return f"{fit['label']} (MSE {fit['mse']:.3g})" if "mse" in fit else fit["label"]


def _draw_panel(ax, X, y, group, x_name, y_name, window):
    """One net's panel (or the closed-form fits' own): the data and each fit in ``group``."""
    ax.set_label(f"fit: {group[0]['label']}")
    ax.scatter(X[:, 0], y[:, 0], s=6, color="0.7", label="data")
    xs = np.linspace(float(X.min()), float(X.max()), 1000).reshape(-1, 1)
    for fit in group:
        if fit["history"] is None:  # closed form: dashed and on top, so the net under it still shows
            style = {"ls": "--", "lw": 1.5, "zorder": 4}
        elif len(group) > 1:  # a net drawn under a closed-form fit: a wide pale band around the dashes
            style = {"lw": 5, "alpha": 0.5, "zorder": 3}
        else:
            style = {"lw": 1.5, "zorder": 3}
        ax.plot(xs[:, 0], predict(fit["net"], xs)[:, 0], color=fit["color"], label=_legend_label(fit), **style)
    net, pieces = group[0], group[0]["pieces"]
    if net["smooth"]:
        what = "smooth, no straight pieces"
    elif pieces is None:
        what = "one x value: no interval for pieces"
    elif len(pieces) == 1:
        what = "one straight line" + (f", like {' and '.join(f['label'] for f in group[1:])}" if len(group) > 1 else "")
    else:
        kinks = np.array([piece[1] for piece in pieces[:-1]]).reshape(-1, 1)
        ax.plot(kinks[:, 0], predict(net["net"], kinks)[:, 0], "o", ms=3, color=net["color"], zorder=4,
                label="kinks")
        what = f"{len(pieces)} straight pieces over the data (dots: kinks)"
    if window is not None:  # where the zoom panel looks
        (x0, x1), (y0, y1) = window
        ax.add_patch(_rectangle(x0, y0, x1 - x0, y1 - y0))
    ax.set(xlabel=x_name, ylabel=y_name)
    _title(ax, f"{net['label']}: {what}")
    ax.legend(fontsize=7)


def _title(ax, text: str) -> None:
    """A panel's title, wrapped to the panel's width."""
    ax.set_title(textwrap.fill(text, 50), fontsize=10)


def _rectangle(x, y, width, height):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), width, height, fill=False, lw=1, ec="black", zorder=5)


def _zoom_window(pieces, X, y):
    """((x0, x1), (y0, y1)): the window, about ZOOM_PIECES typical pieces wide, where the fit bends most as shown.

    The window is ZOOM_PIECES times the median piece wide (kept between a
    twentieth and a quarter of the data's range), centred on a kink. In a
    panel scaled to a window w wide and h high, a slope s is drawn at the
    angle atan(s * w / h): the window whose pieces turn through the largest
    total angle shows its kinks best (on sin, the pieces around a peak, not
    the nearly collinear ones where sin crosses 0). Bends smaller than 1% of
    the steepest slope are not counted: they do not show at any zoom.
    """
    starts, ends, slopes, intercepts = (np.array(column) for column in zip(*pieces))
    lo, hi = starts[0], ends[-1]
    width = float(np.clip(ZOOM_PIECES * np.median(ends - starts), (hi - lo) / 20, (hi - lo) / 4))
    steep = np.abs(slopes).max()
    best, window = -1.0, None
    for kink in ends[:-1]:
        x0 = min(max(kink - width / 2, lo), hi - width)  # inside the data's range
        x1 = x0 + width
        shown = (ends > x0) & (starts < x1)
        cut = np.clip(np.column_stack([starts, ends])[shown], x0, x1)  # each shown piece's part in the window
        values = cut * slopes[shown, None] + intercepts[shown, None]
        seen = np.concatenate([values.ravel(), y[(X[:, 0] >= x0) & (X[:, 0] <= x1), 0]])  # the fit and the data
        y0, y1 = float(seen.min()), float(seen.max())
        height = y1 - y0 if y1 > y0 else 1.0
        angles = np.arctan(slopes[shown] * width / height)
        bends = np.abs(np.diff(slopes[shown])) > 0.01 * steep
        turn = float(np.abs(np.diff(angles))[bends].sum())
        if turn > best:
            best, pad = turn, 0.06 * height
            window = ((x0, x1), (y0 - pad, y1 + pad))
    return window


def _draw_zoom(ax, X, y, fit, window, x_name, y_name):
    """The zoomed net alone, in the window: its straight pieces, each kink a dot, and the data."""
    (x0, x1), (y0, y1) = window
    ax.set_label("zoom")
    inside = (X[:, 0] >= x0) & (X[:, 0] <= x1)
    ax.scatter(X[inside, 0], y[inside, 0], s=14, color="0.6", label="data", zorder=2)
    shown = [piece for piece in fit["pieces"] if piece[1] > x0 and piece[0] < x1]
    xs = np.array([x0] + [piece[1] for piece in shown[:-1]] + [x1])  # the window's ends, kinks between
    ys = np.array([s * x + c for x, (_, _, s, c) in zip(xs, [shown[0], *shown])])  # each end on its own piece
    ax.plot(xs, ys, "-", lw=1.5, color=fit["color"], label=f"{fit['label']}: straight pieces", zorder=3)
    ax.plot(xs[1:-1], ys[1:-1], "o", ms=5, color=fit["color"], label="kinks", zorder=4)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=x_name, ylabel=y_name)
    _title(ax, f"zoom on {fit['label']} (its box): {len(shown)} straight pieces meet at kinks")
    ax.legend(fontsize=7)


def _draw_slopes(ax, fits, lo, hi, x_name, y_name):
    """dy/dx of every fit: exact steps from the pieces of a piecewise-linear fit, a smooth fit's by differences."""
    ax.set_label("slope")
    xs = np.linspace(lo, hi, 1000)
    for fit in fits:
        pieces = fit["pieces"]
        if pieces is not None:  # a staircase: each piece's one slope from its start to its end
            px = [x for start, end, _, _ in pieces for x in (start, end)]
            py = [s for _, _, s, _ in pieces for _ in (0, 1)]
        else:
            px = xs
            py = np.gradient(predict(fit["net"], xs.reshape(-1, 1))[:, 0], xs)
        if fit["history"] is None:
            style = {"ls": "--", "lw": 1.5, "zorder": 4}
        elif pieces is not None and len(pieces) == 1:
            style = {"lw": 5, "alpha": 0.5, "zorder": 3}
        else:
            style = {"lw": 1.2, "zorder": 3}
        ax.plot(px, py, color=fit["color"], label=fit["label"], **style)
    ax.set(xlabel=x_name, ylabel=f"slope d{y_name}/d{x_name}")
    _title(ax, "slope of each fit: one slope per straight piece, so a step at each kink; smooth where no kinks")
    ax.legend(fontsize=7)


def _draw_prediction_vs_target(ax, X, y, fits, y_name):
    ax.set_label("prediction")
    for fit in fits:
        ax.scatter(y[:, 0], predict(fit["net"], X)[:, 0], s=6, color=fit["color"], label=fit["label"])
    ax.plot([y.min(), y.max()], [y.min(), y.max()], color="0.5", lw=1)
    ax.set_xlabel(f"target ({y_name})")
    ax.set_ylabel(f"prediction of {y_name}")
    ax.set_title("prediction against target (first output)")
    ax.legend(fontsize=8)


def loss_spikes(loss) -> list[tuple[int, int, int | None]]:
    """The spikes in a loss curve: (first epoch, peak epoch, epoch it is back below its old low or None).

    A spike starts at an epoch whose loss is above SPIKE times the lowest
    loss before it, and ends once the loss is back below that lowest loss.
    A step too large bounces the loss up and down from one epoch to the
    next for a while, so spikes fewer than SPIKE_GAP epochs apart are one.
    Epochs count from 1, as ``fit``'s callback does.

    >>> loss_spikes([1.0, 0.5, 0.1, 0.9, 0.2, 0.05, 0.04])
    [(4, 4, 6)]
    """
    spikes, low, start, peak = [], math.inf, None, None
    for epoch, value in enumerate(loss, start=1):
        if start is None and value > SPIKE * low:
            start, peak = epoch, epoch
        elif start is not None and value > loss[peak - 1]:
            peak = epoch
        elif start is not None and value < low:
            spikes.append((start, peak, epoch))
            start = None
        if start is None:
            low = min(low, value)
    if start is not None:
        spikes.append((start, peak, None))
    merged = spikes[:1]
    for first, top, end in spikes[1:]:
        before_first, before_top, before_end = merged[-1]
        if before_end is not None and first - before_end < SPIKE_GAP:  # the same bout of bouncing
            merged[-1] = (before_first, before_top if loss[before_top - 1] >= loss[top - 1] else top, end)
        else:
            merged.append((first, top, end))
    return merged


def _draw_losses(ax, fits):
    ax.set_label("loss")
    standardised = False  # a loss that cannot be put in the data's units is drawn, and labelled, as trained
    notes = []
    for fit in fits:
        history = fit["history"]
        if history is not None and history.loss:
            scale = to_data_units(fit["net"])
            standardised |= scale is None
            scale = scale or 1.0
            loss = scale * np.asarray(history.loss)
            epochs = np.arange(1, history.epochs + 1)
            line = fit.get("pieces") is not None and len(fit["pieces"]) == 1  # under a closed form's level line
            ax.semilogy(epochs, loss, color=fit["color"], label=fit["label"],
                        **({"lw": 4, "alpha": 0.5} if line else {"lw": 1}))
            if history.val_loss:
                ax.semilogy(epochs[:len(history.val_loss)], scale * np.asarray(history.val_loss), ":", lw=1.5,
                            color=fit["color"], label=f"{fit['label']}, validation")
            spikes = loss_spikes(history.loss)
            if spikes:
                peaks = np.array([peak for _, peak, _ in spikes])
                ax.plot(peaks, 2 * loss[peaks - 1], "v", ms=5, color=fit["color"], gid="spike")
                notes.append(_spike_note(fit["label"], spikes))
        elif "mse" in fit:
            ax.axhline(fit["mse"], color=fit["color"], ls="--", lw=1, label=fit["label"], zorder=3)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (standardised units)" if standardised else "loss")
    validation = any(f["history"] is not None and f["history"].val_loss for f in fits)
    title = "loss during training (dotted: validation)" if validation else "loss during training"
    ax.set_title("\n".join([title, *(textwrap.fill(note, 62) for note in notes)]), fontsize=8 if notes else None)
    ax.legend(fontsize=7)


def _spike_note(label: str, spikes) -> str:
    """Say what the spikes (triangles) are: real steps of training, not a drawing's artefact."""
    peaks = [str(peak) for _, peak, _ in spikes]
    epochs = peaks[0] if len(peaks) == 1 else ", ".join(peaks[:-1]) + " and " + peaks[-1]
    note = (f"\u25bc {label}'s loss spikes at epoch{'s' if len(peaks) > 1 else ''} {epochs}: steps of training "
            "overshoot and the loss bounces up and down")
    back = [end - start for start, _, end in spikes if end is not None]
    if len(back) == len(spikes):
        note += f"; it is back below its old low within {max(back)} epochs"
    return note


def to_data_units(model) -> float | None:
    """The factor that turns ``model``'s training loss (on targets scaled by its Unstandardize) into the
    data's units: std ** 2 for one target, since (prediction - y) ** 2 scales by it; 1 without scaling;
    None for several targets of different std, whose mean squared error has no single factor."""
    scalings = [layer for layer in model if isinstance(layer, Unstandardize)]
    if not scalings:
        return 1.0
    std = np.asarray(scalings[-1].std, dtype=float).ravel()
    return float(std[0]) ** 2 if np.all(std == std[0]) else None
