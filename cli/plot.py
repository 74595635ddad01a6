"""Pictures of fits: the data, each fitted curve with its breakpoints, and the loss curves.

matplotlib is imported here, inside the function that draws, so that tinynet
works without it; it comes with the plot extra: pip install "tinynet[plot]".
"""

import os
import textwrap

import click
import numpy as np

import tinynet
from tinynet.atomic import atomic_write

MISSING = ("plotting needs matplotlib, which is not installed: "
           "install the plot extra with  python -m pip install 'tinynet[plot]'  (or: python -m pip install matplotlib)")


def plot_fits(path: str, X: np.ndarray, y: np.ndarray, fits: list[dict], title: str) -> None:
    """Draw fits to ``path`` (PNG, PDF or SVG, from its name). Each fit is a dict with "label",
    "net" and "history" (or None), and "mse" for a fit without a history (drawn as a level line)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # draw to a file; no window, no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise click.ClickException(MISSING) from None
    fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for i, fit in enumerate(fits):  # one colour per fit, the same in both panels
        fit.setdefault("color", f"C{i}")
    if X.shape[1] == 1 and y.shape[1] == 1:
        _draw_curves(ax_fit, X, y, fits)
    else:
        _draw_prediction_vs_target(ax_fit, X, y, fits)
    _draw_losses(ax_loss, fits)
    fig.suptitle(textwrap.fill(title, 110))
    _save_atomically(fig, path)
    plt.close(fig)


def _draw_curves(ax, X, y, fits):
    ax.scatter(X[:, 0], y[:, 0], s=6, color="0.7", label="data")
    lo, hi = float(X.min()), float(X.max())
    xs = np.linspace(lo, hi, 1000).reshape(-1, 1)
    for fit in fits:
        net = fit["net"]
        style = "--" if fit["history"] is None else "-"  # closed-form fits dashed, so a net on top still shows
        ax.plot(xs[:, 0], tinynet.predict(net, xs)[:, 0], style, lw=1.5, color=fit["color"], label=fit["label"],
                zorder=3 if style == "--" else 2)
        if tinynet.is_piecewise_linear(net) and lo < hi:  # one x value: no interval, no breakpoints
            bp = tinynet.breakpoints(net, lo, hi).reshape(-1, 1)
            if len(bp):
                ax.plot(bp[:, 0], tinynet.predict(net, bp)[:, 0], "o", ms=3, color=fit["color"])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("fits (dots: breakpoints, where a ReLU switches)")
    ax.legend(fontsize=8)


def _draw_prediction_vs_target(ax, X, y, fits):
    for fit in fits:
        ax.scatter(y[:, 0], tinynet.predict(fit["net"], X)[:, 0], s=6, color=fit["color"], label=fit["label"])
    ax.plot([y.min(), y.max()], [y.min(), y.max()], color="0.5", lw=1)
    ax.set_xlabel("target")
    ax.set_ylabel("prediction")
    ax.set_title("prediction against target (first output)")
    ax.legend(fontsize=8)


def _draw_losses(ax, fits):
    for fit in fits:
        if fit["history"] is not None and fit["history"].loss:
            ax.semilogy(np.arange(1, fit["history"].epochs + 1), fit["history"].loss, lw=1, color=fit["color"],
                        label=fit["label"])
        elif "mse" in fit:
            ax.axhline(fit["mse"], color=fit["color"], ls="--", lw=1, label=fit["label"], zorder=3)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    ax.set_title("loss during training")
    ax.legend(fontsize=8)


def _save_atomically(fig, path: str) -> None:
    """Write the picture (its kind from the file name, PNG by default) beside ``path`` first,
    then rename: an old picture is never half-overwritten."""
    kind = os.path.splitext(path)[1].lower().lstrip(".")  # checked before training: png, pdf or svg
    with atomic_write(path) as file:
        fig.savefig(file, format=kind, dpi=110)
