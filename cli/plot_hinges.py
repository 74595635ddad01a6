"""tinynet inspect --plot hinges.png: a one-input ReLU model drawn as what it is made of.

One hidden layer: every unit's hinge (tinynet.hinges) as a thin line, each
0 at its kink and straight on either side, and their sum plus the output
bias as the fit, kinks marked: each unit is linear, the sum is what bends.
Deeper nets are not sums of hinges in x: their linear pieces
(tinynet.pieces) are drawn instead, each in its own colour with its slope.
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
    sizes = (tinynet.input_features(model), tinynet.output_features(model))
    if sizes != (1, 1) or not tinynet.is_piecewise_linear(model):
        raise click.ClickException(f"--plot draws one-input, one-output piecewise-linear models, and {describe(model)} "
                                   f"in {model_path} takes {sizes[0]} input(s), gives {sizes[1]} output(s)"
                                   f"{'' if tinynet.is_piecewise_linear(model) else ' and is smooth'}")
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
    try:
        found = tinynet.hinges(model)
    except ValueError:  # not one hidden layer: its pieces instead
        draw_pieces(ax, model, _range(model, X))
    else:
        draw_hinges(ax, model, found, _range(model, X, [unit.kink for unit in found.units]))
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


def draw_pieces(ax, model, bounds: tuple[float, float]) -> None:
    """The model's linear pieces on ``bounds``, each in its own colour, with its slope while they fit."""
    found = [(max(a, bounds[0]), min(b, bounds[1]), slope, c) for a, b, slope, c in tinynet.pieces(model, *bounds)]
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
    ax.set_title(f"{len(found)} linear pieces on [{bounds[0]:.3g}, {bounds[1]:.3g}]{slopes}: deeper than one hidden "
                 "layer, so drawn as pieces, not hinges", fontsize=9)


def _range(model, X, kinks=()) -> tuple[float, float]:
    """The data's range; without data, where the data was (mean +- 2 std of a Standardize) and every kink
    (one hidden layer), else the span of the breakpoints; with room either side."""
    if X is not None and X.min() < X.max():
        lo, hi = float(X.min()), float(X.max())
        return lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)
    ends = [kink for kink in kinks if np.isfinite(kink)]
    scaling = next((layer for layer in model if isinstance(layer, tinynet.Standardize)), None)
    if scaling is not None:
        ends += [float(scaling.mean[0] - 2 * scaling.std[0]), float(scaling.mean[0] + 2 * scaling.std[0])]
    if not ends:
        ends = tinynet.breakpoints(model, -np.inf, np.inf).tolist() or [-1.0, 1.0]
    lo, hi = min(ends), max(ends)
    room = max(0.1 * (hi - lo), 0.5)
    return lo - room, hi + room
