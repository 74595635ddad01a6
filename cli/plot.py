"""Pictures of fits: the data, each fitted curve with its breakpoints, and the loss curves.

matplotlib is imported here, inside the function that draws, so that tinynet
works without it; it comes with the plot extra: pip install "tinynet[plot]".
"""

import importlib.util
import os
import textwrap

import click
import numpy as np

import tinynet
from tinynet.io import atomic_write

MISSING = ("plotting needs matplotlib, which is not installed: "
           "install the plot extra with  python -m pip install 'tinynet[plot]'  (or: python -m pip install matplotlib)")


def check_can_plot() -> None:
    """Say how to install matplotlib now, before any training, if it is missing."""
    if importlib.util.find_spec("matplotlib") is None:
        raise click.ClickException(MISSING)


def plot_fits(path: str, X: np.ndarray, y: np.ndarray, fits: list[dict], title: str, names=(None, None)) -> None:
    """Draw fits to ``path`` (PNG, PDF or SVG, from its name), in the data's own units.

    Each fit is a dict with "label", "net" and "history" (or None), and "mse",
    in the data's units, for a fit without a history (drawn as a level line).
    ``names`` are the CSV's (input column names, target name), or None for "x" and "y".
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # draw to a file; no window, no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise click.ClickException(MISSING) from None
    fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for i, fit in enumerate(fits):  # one colour per fit, the same in both panels
        fit.setdefault("color", f"C{i}")
    x_name, y_name = (names[0] or ["x"])[0], names[1] or "y"
    if X.shape[1] == 1 and y.shape[1] == 1:
        _draw_curves(ax_fit, X, y, fits, x_name, y_name)
    else:
        _draw_prediction_vs_target(ax_fit, X, y, fits, y_name)
    _draw_losses(ax_loss, fits)
    fig.suptitle(textwrap.fill(title, 110))
    _save_atomically(fig, path)
    plt.close(fig)


def _draw_curves(ax, X, y, fits, x_name, y_name):
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
    ax.set_xlabel(x_name)
    ax.set_ylabel(y_name)
    ax.set_title("fits (dots: breakpoints, where a ReLU switches)")
    ax.legend(fontsize=8)


def _draw_prediction_vs_target(ax, X, y, fits, y_name):
    for fit in fits:
        ax.scatter(y[:, 0], tinynet.predict(fit["net"], X)[:, 0], s=6, color=fit["color"], label=fit["label"])
    ax.plot([y.min(), y.max()], [y.min(), y.max()], color="0.5", lw=1)
    ax.set_xlabel(f"target ({y_name})")
    ax.set_ylabel(f"prediction of {y_name}")
    ax.set_title("prediction against target (first output)")
    ax.legend(fontsize=8)


def _draw_losses(ax, fits):
    standardised = False  # a loss that cannot be put in the data's units is drawn, and labelled, as trained
    for fit in fits:
        history = fit["history"]
        if history is not None and history.loss:
            scale = to_data_units(fit["net"])
            standardised |= scale is None
            scale = scale or 1.0
            epochs = np.arange(1, history.epochs + 1)
            ax.semilogy(epochs, scale * np.asarray(history.loss), lw=1, color=fit["color"], label=fit["label"])
            if history.val_loss:
                ax.semilogy(epochs[:len(history.val_loss)], scale * np.asarray(history.val_loss), ":", lw=1.5,
                            color=fit["color"], label=f"{fit['label']}, validation")
        elif "mse" in fit:
            ax.axhline(fit["mse"], color=fit["color"], ls="--", lw=1, label=fit["label"], zorder=3)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (standardised units)" if standardised else "loss")
    ax.set_title("loss during training (dotted: validation)" if any(
        f["history"] is not None and f["history"].val_loss for f in fits) else "loss during training")
    ax.legend(fontsize=8)


def to_data_units(model) -> float | None:
    """The factor that turns ``model``'s training loss (on targets scaled by its Unstandardize) into the
    data's units: std ** 2 for one target, since (prediction - y) ** 2 scales by it; 1 without scaling;
    None for several targets of different std, whose mean squared error has no single factor."""
    scalings = [layer for layer in model if isinstance(layer, tinynet.Unstandardize)]
    if not scalings:
        return 1.0
    std = np.asarray(scalings[-1].std, dtype=float).ravel()
    return float(std[0]) ** 2 if np.all(std == std[0]) else None


def _save_atomically(fig, path: str) -> None:
    """Write the picture (its kind from the file name, PNG by default) beside ``path`` first,
    then rename: an old picture is never half-overwritten."""
    kind = os.path.splitext(path)[1].lower().lstrip(".")  # checked before training: png, pdf or svg
    with atomic_write(path) as file:
        fig.savefig(file, format=kind, dpi=110)
