"""tinynet inspect --plot hinges.png: a one-input ReLU model drawn as what it is made of.

One hidden layer: every unit's hinge (tinynet.hinges) as a thin line, each
0 at its kink and straight on either side, and their sum plus the output
bias as the fit, kinks marked: each unit is linear, the sum is what bends.
Deeper nets are not sums of hinges in x: their linear pieces
(tinynet.pieces) are drawn instead, each in its own colour with its slope,
over the range every command counts pieces on (tinynet.count_pieces).
Two-input models are drawn by train --plot and compare --plot.
"""

import click
import numpy as np

import tinynet
from tinynet.io import atomic_write

from .common import describe, load_data
from .keep import check_output_path
from .plot import MISSING, check_can_plot
from .predict import _model_inputs

SLOPES_SHOWN = 16  # label each piece with its slope up to this many pieces; beyond, the labels would overlap


def plot_model(path: str, model_path: str, data: str | None, target: str | None) -> None:
    """Draw the model in ``model_path`` to ``path``: hinges (one hidden layer) or pieces, over --data's range."""
    check_output_path(path, "--plot")
    check_can_plot()
    model = tinynet.load(model_path)
    _check_drawable(model, model_path)
    X = y = None
    if data is not None:
        X, y, names, _ = load_data(data, target)
        if names is not None:
            X = _model_inputs(model, names, X, data, model_path)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise click.ClickException(MISSING) from None
    fig, ax = plt.subplots(figsize=(8.5, 4.5), constrained_layout=True)
    if X is not None:
        ax.scatter(X[:, 0], y[:, 0], s=5, color="0.75", label="data", zorder=0)
    counted = tinynet.count_pieces(model, X)
    if counted.count is None:  # every x of the data the same: no range there, so the one its scaling implies
        counted = tinynet.count_pieces(model)
    try:
        found = tinynet.hinges(model)
    except ValueError:  # not one hidden layer: its pieces instead
        draw_pieces(ax, model, counted)
    else:
        draw_hinges(ax, model, found, _range(counted, [unit.kink for unit in found.units]))
    names = tinynet.feature_names(model) or ["x"]
    ax.set(xlabel=names[0], ylabel="y")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.suptitle(f"{model_path}: {describe(model)}", fontsize=9)
    kind = path.rsplit(".", 1)[-1].lower()
    with atomic_write(path) as file:
        fig.savefig(file, format=kind, dpi=100)
    plt.close(fig)


def draw_hinges(ax, model, found, bounds: tuple[float, float]) -> None:
    """Each unit's hinge thin, the output bias dotted, and their sum (the model) thick, kinks marked on both."""
    xs = np.union1d(np.linspace(*bounds, 200), [u.kink for u in found.units if bounds[0] < u.kink < bounds[1]])
    many = len(found.units) > 10
    for unit in found.units:
        label = ("each unit's hinge" if unit.unit == 0 else None) if many else f"unit {unit.unit}"
        ax.plot(xs, unit(xs), lw=0.9, alpha=0.8, color=f"C{unit.unit % 10}", label=label)
    kinks = np.array([u.kink for u in found.units if bounds[0] <= u.kink <= bounds[1]])
    ax.axhline(found.bias, ls=":", lw=1, color="0.4", label=f"output bias {found.bias:.3g}")
    ax.plot(xs, tinynet.predict(model, xs[:, None])[:, 0], lw=2.2, color="k", label="the fit: bias + sum of hinges")
    if len(kinks):
        ax.plot(kinks, np.zeros_like(kinks), "o", ms=4, mfc="white", color="0.3", label="kinks (each hinge is 0 there)")
        ax.plot(kinks, tinynet.predict(model, kinks[:, None])[:, 0], "o", ms=4, color="C3", label="the fit bends")
    ax.set_title(f"{len(found.units)} units: each is a line on either side of its kink; their sum bends at each kink",
                 fontsize=10)


def draw_pieces(ax, model, counted) -> None:
    """The model's linear pieces where ``counted`` (a PieceCount) counted them, each in its own colour, with
    its slope while they fit; the title gives that count and where, as train and inspect do."""
    (lo, hi), = counted.box
    if counted.over == "everywhere":  # no data and no stored scaling: all x, drawn over its breakpoints
        lo, hi = _range(counted, tinynet.breakpoints(model, -np.inf, np.inf).tolist())
    found = [(max(a, lo), min(b, hi), slope, c) for a, b, slope, c in tinynet.pieces(model, lo, hi)]
    for i, (start, end, slope, intercept) in enumerate(found):
        ax.plot([start, end], [slope * start + intercept, slope * end + intercept], lw=2.2, color=f"C{i % 10}",
                solid_capstyle="butt")
        if len(found) <= SLOPES_SHOWN:
            middle = (start + end) / 2
            ax.annotate(f"{slope:.2g}", (middle, slope * middle + intercept), textcoords="offset points",
                        xytext=(0, 6), ha="center", fontsize=7, color=f"C{i % 10}")
    ends = np.array([start for start, _, _, _ in found[1:]])
    if len(ends):
        ax.plot(ends, tinynet.predict(model, ends[:, None])[:, 0], "o", ms=3, color="k", label="breakpoints")
    slopes = " (numbers: slopes)" if len(found) <= SLOPES_SHOWN else ""
    ax.set_title(f"{len(found)} linear pieces {counted.where()}{slopes}:\ndeeper than one hidden layer, so drawn "
                 "as pieces, not hinges", fontsize=9)


def _check_drawable(model, model_path: str) -> None:
    """Refuse, saying what to use instead, a model the picture cannot show: it draws one input against y."""
    inputs, outputs = tinynet.input_features(model), tinynet.output_features(model)
    if inputs != 1:
        raise click.ClickException(
            f"--plot draws one-input models as lines in x, and {describe(model)} in {model_path} takes {inputs} "
            "inputs: to see a two-input model's regions and decision boundary, train it with "
            "`tinynet train --plot FILE.png` or `tinynet compare --plot FILE.png` on its data")
    if outputs != 1:
        raise click.ClickException(f"--plot draws one-output models, and {describe(model)} in {model_path} "
                                   f"gives {outputs} outputs")
    if not tinynet.is_piecewise_linear(model):
        raise click.ClickException(
            f"--plot draws piecewise-linear models (ReLU, LeakyReLU, identity) as their hinges or pieces, and "
            f"{describe(model)} in {model_path} is smooth: it has no pieces to draw (`tinynet train --plot` "
            "draws any one-input fit)")


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
