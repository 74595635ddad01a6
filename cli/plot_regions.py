"""Pictures of classifiers on two inputs: each net's linear regions, decision boundary and data.

One panel per net. A ReLU net's regions are drawn as the polygons they are,
shaded by the class the net gives them (the sign of the logit at their
centre) and lighter where the logit is near 0; the decision boundary is
drawn as the straight segments it is made of, one per region it crosses.
A smooth net (sigmoid) has no regions: its boundary is drawn as a contour.
"""

import textwrap

import click
import numpy as np

import tinynet

from .plot import MISSING, _save_atomically


def plot_regions(path: str, X: np.ndarray, y: np.ndarray, nets: list[dict], title: str) -> None:
    """Draw one panel per net ({"label", "net", "accuracy", "regions": truthy for a piecewise-linear net,
    and for a single net optionally "history", drawn as a loss panel}) to ``path`` (PNG, PDF or SVG)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.collections import LineCollection, PolyCollection
    except ImportError:
        raise click.ClickException(MISSING) from None
    box = tinynet.data_box(X)
    with_loss = len(nets) == 1 and nets[0].get("history") is not None  # train: the net and its loss curve
    panels = len(nets) + with_loss
    fig, axes = plt.subplots(1, panels, figsize=(3.4 * panels, 3.6), constrained_layout=True, squeeze=False)
    if with_loss:
        history = nets[0]["history"]
        axes[0][-1].semilogy(np.arange(1, history.epochs + 1), history.loss, lw=1)
        axes[0][-1].set(xlabel="epoch", ylabel="training loss (BCE)", title="loss during training")
    for ax, entry in zip(axes[0], nets):
        net = entry["net"]
        if entry.get("regions") is not None:
            regions = tinynet.linear_regions(net, box)
            logits = np.array([float(r.vertices.mean(axis=0) @ r.weight[:, 0] + r.bias[0]) for r in regions])
            colours = plt.cm.coolwarm(0.5 + 0.5 * np.tanh(logits / 4))  # red: class 1, blue: class 0
            ax.add_collection(PolyCollection([r.vertices for r in regions], facecolors=colours,
                                             edgecolors="white", linewidths=0.3))
            segments = [s for s in (r.zero_segment() for r in regions) if s is not None]
            ax.add_collection(LineCollection(segments, colors="black", linewidths=1.5))
            label = f"{entry['label']}: {len(regions)} region{'s' if len(regions) != 1 else ''}"
        else:  # smooth: no regions to draw, only where it says 0.5
            xs, ys = np.meshgrid(np.linspace(*box[0], 200), np.linspace(*box[1], 200))
            p = tinynet.predict(net, np.column_stack([xs.ravel(), ys.ravel()])).reshape(xs.shape)
            ax.contourf(xs, ys, p, levels=20, cmap="coolwarm", alpha=0.6)
            ax.contour(xs, ys, p, levels=[0.5], colors="black", linewidths=1.5)
            label = f"{entry['label']}: smooth, no regions"
        ax.scatter(X[:, 0], X[:, 1], c=y[:, 0], cmap="coolwarm", s=6, edgecolors="black", linewidths=0.2)
        ax.set(xlim=box[0], ylim=box[1], title=f"{label}\naccuracy {entry['accuracy']:.1%}")
        ax.set_aspect("equal")
    fig.suptitle(textwrap.fill(title, 30 * len(nets)))
    _save_atomically(fig, path)
    plt.close(fig)
