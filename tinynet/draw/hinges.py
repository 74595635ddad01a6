"""A one-input ReLU model drawn as what it is made of (``tinynet inspect --plot``).

One hidden layer: every unit's hinge (tinynet.hinges) as a thin line, each
0 at its kink and straight on either side, and their sum plus the output
bias as the fit, kinks marked: each unit is linear, the sum is what bends.
Deeper nets are not sums of hinges in x: their linear pieces
(tinynet.pieces) are drawn instead, each in its own colour with its slope,
over the range every command counts pieces on (tinynet.count_pieces).
Two-input models are drawn by ``regions``.
"""

import numpy as np

from ..checks import shown
from ..lesson.hinges import hinges
from ..lesson.pieces import breakpoints, count_pieces
from ..lesson.pieces import pieces as pieces_on
from ..model import feature_names
from ..training import predict
from .canvas import pyplot, save_and_close, stops_between_steps, texts_as_written

DPI = 100
SLOPES_SHOWN = 16  # label each piece with its slope up to this many pieces; beyond, the labels would overlap


@stops_between_steps
def plot_hinges(path: str, model, X: np.ndarray | None, y: np.ndarray | None, title: str) -> None:
    """Draw ``model`` to ``path`` (PNG, PDF or SVG, from its name): see ``draw_hinges``."""
    save_and_close(draw_hinges(model, X, y, title), path, DPI)


@texts_as_written
def draw_hinges(model, X: np.ndarray | None, y: np.ndarray | None, title: str):
    """The figure of ``plot_hinges``, returned (not saved): its hinges (one hidden layer) or its pieces.

    ``model`` takes one input and gives one output, and is piecewise linear
    (ReLU, LeakyReLU, identity). X: (N, 1) and y: (N, 1), the data in its
    own units, drawn behind the model and setting the range drawn; or None
    for the range the model's stored scaling implies.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8.5, 4.5), constrained_layout=True)
    if X is not None:
        ax.scatter(X[:, 0], y[:, 0], s=5, color="0.75", label="data", zorder=0)
    counted = count_pieces(model, X)
    if counted.count is None:  # every x of the data the same: no range there, so the one its scaling implies
        counted = count_pieces(model)
    try:
        found = hinges(model)
    except ValueError:  # not one hidden layer: its pieces instead
        _draw_pieces(ax, model, counted)
    else:
        _draw_units(ax, model, found, _range(counted, [unit.kink for unit in found.units]))
    names = feature_names(model) or ["x"]
    ax.set(xlabel=shown(names[0]), ylabel="y")  # a name from the model file, never obeyed
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.suptitle(title, fontsize=9)
    return fig


def _draw_units(ax, model, found, bounds: tuple[float, float]) -> None:
    """Each unit's hinge thin, the output bias dotted, and their sum (the model) thick, kinks marked on both."""
    xs = np.union1d(np.linspace(*bounds, 200), [u.kink for u in found.units if bounds[0] < u.kink < bounds[1]])
    many = len(found.units) > 10
    for unit in found.units:
        label = ("each unit's hinge" if unit.unit == 0 else None) if many else f"unit {unit.unit}"
        ax.plot(xs, unit(xs), lw=0.9, alpha=0.8, color=f"C{unit.unit % 10}", label=label)
    kinks = np.array([u.kink for u in found.units if bounds[0] <= u.kink <= bounds[1]])
    ax.axhline(found.bias, ls=":", lw=1, color="0.4", label=f"output bias {found.bias:.3g}")
    ax.plot(xs, predict(model, xs[:, None])[:, 0], lw=2.2, color="k", label="the fit: bias + sum of hinges")
    if len(kinks):
        ax.plot(kinks, np.zeros_like(kinks), "o", ms=4, mfc="white", color="0.3", label="kinks (each hinge is 0 there)")
        ax.plot(kinks, predict(model, kinks[:, None])[:, 0], "o", ms=4, color="C3", label="the fit bends")
    ax.set_title(f"{len(found.units)} units: each is a line on either side of its kink; their sum bends at each kink",
                 fontsize=10)


def _draw_pieces(ax, model, counted) -> None:
    """The model's linear pieces where ``counted`` (a PieceCount) counted them, each in its own colour, with
    its slope while they fit; the title gives that count and where, as train and inspect do."""
    (lo, hi), = counted.box
    if counted.over == "everywhere":  # no data and no stored scaling: all x, drawn over its breakpoints
        lo, hi = _range(counted, breakpoints(model, -np.inf, np.inf).tolist())
    found = [(max(a, lo), min(b, hi), slope, c) for a, b, slope, c in pieces_on(model, lo, hi)]
    for i, (start, end, slope, intercept) in enumerate(found):
        ax.plot([start, end], [slope * start + intercept, slope * end + intercept], lw=2.2, color=f"C{i % 10}",
                solid_capstyle="butt")
        if len(found) <= SLOPES_SHOWN:
            middle = (start + end) / 2
            ax.annotate(f"{slope:.2g}", (middle, slope * middle + intercept), textcoords="offset points",
                        xytext=(0, 6), ha="center", fontsize=7, color=f"C{i % 10}")
    ends = np.array([start for start, _, _, _ in found[1:]])
    if len(ends):
        ax.plot(ends, predict(model, ends[:, None])[:, 0], "o", ms=3, color="k", label="breakpoints")
    slopes = " (numbers: slopes)" if len(found) <= SLOPES_SHOWN else ""
    ax.set_title(f"{len(found)} linear pieces {counted.where()}{slopes}:\ndeeper than one hidden layer, so drawn "
                 "as pieces, not hinges", fontsize=9)


def _range(counted, kinks=()) -> tuple[float, float]:
    """The counting range (``counted.box``), with room either side; without data, widened to show every
    kink (with data, a kink off it bends nothing there, and a dead unit's may lie far out)."""
    (lo, hi), = counted.box
    ends = [end for end in (lo, hi) if np.isfinite(end)]
    if counted.over != "data":
        ends += [kink for kink in kinks if np.isfinite(kink)]
    if not ends:
        ends = [-1.0, 1.0]
    lo, hi = min(ends), max(ends)
    room = max(0.05 * (hi - lo), 0.5 if counted.over == "everywhere" else 0.0)
    return lo - room, hi + room
