"""Pictures of classifiers on two inputs: each net's linear regions, decision boundary and data.

One panel per net, axes x0 and x1 (or the CSV's column names), and one
legend for the figure saying which colour is which class. Every point of
the plane is shaded by the class the net gives it, red for class 1 and blue
for class 0, darker where the net is surer (a larger |logit|), and the data
are drawn on top as dark markers with a white rim (class 0 circles, class 1
triangles), so a point stays visible on a region of its own colour.

A ReLU net's regions are drawn as the polygons they are, each cut along its
own piece of the decision boundary (the logit is affine on a region, so
that cut is exact), with hairline edges a shade darker than their fill:
even 1,500 regions, most of them small and near the centre, read as a
tiling rather than a white blot. The decision boundary is drawn as the
straight segments it is made of, one per region it crosses. A smooth net
(sigmoid) has no regions: it is shaded from a grid, its boundary a contour.
``tinynet train --plot`` and ``tinynet compare --plot`` draw these for
classifiers on two inputs.

For k >= 3 classes (a net of k logits, softmax cross-entropy) each point is
shaded by its argmax class, a colour per class, from a fine grid, with the
linear regions' edges drawn on top. A grid, not the polygons: on one linear
region the k logits are affine, but their argmax still changes inside it
(along the lines where two logits are equal), so a region is not one class.
"""

import textwrap

import numpy as np

from ..checks import shown
from ..lesson.classify import data_box
from ..lesson.polygons import TOL, cut
from ..lesson.regions import linear_regions
from ..lesson.report import one_output_of
from ..model import output_features
from ..training import predict
from .canvas import pyplot, save_and_close, stops_between_steps, texts_as_written

DPI = 110
CLASS_0, CLASS_1 = "#2b5cb8", "#c0282d"  # blue and red, the ends of the shading
MARKERS = {0: "o", 1: "^"}  # a shape per class too, for a reader who cannot tell the colours apart
# k classes: blue and red first, as for two, then colours and shapes apart from them (after ColorBrewer's Dark2)
MANY_COLOURS = (CLASS_0, CLASS_1, "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
                "#666666")
MANY_MARKERS = ("o", "^", "s", "D", "v", "P", "X", "<", ">", "*")


@stops_between_steps
def plot_regions(path: str, X: np.ndarray, y: np.ndarray, nets: list[dict], title: str, names=None) -> None:
    """Draw one panel per net to ``path`` (PNG, PDF or SVG): see ``draw_regions``."""
    save_and_close(draw_regions(X, y, nets, title, names), path, DPI)


@texts_as_written
def draw_regions(X: np.ndarray, y: np.ndarray, nets: list[dict], title: str, names=None):
    """The figure of ``plot_regions``, returned (not saved).

    X: (N, 2) inputs, y: (N, 1) labels 0 and 1 (or 0 ... k-1 for nets of
    k outputs, drawn by ``_draw_classes``). Each net is a dict with
    "label", "net", "accuracy", "regions" (truthy for a net whose logit is
    piecewise linear), optionally "regions_error" (why its regions could
    not be counted: too many, say) and, for a single net, optionally
    "history", drawn as a loss panel. ``names`` are the two input columns'
    names (default x0, x1). A net whose regions are too many to list
    (``linear_regions`` refuses them, or "regions_error" says so) is shaded
    from a grid as a smooth one is, its title saying its regions are not
    drawn.
    """
    plt = pyplot()
    from matplotlib.collections import LineCollection, PolyCollection

    x_name, y_name = map(shown, names or ("x0", "x1"))  # names from a file, never obeyed
    box = data_box(X)
    with_loss = len(nets) == 1 and nets[0].get("history") is not None  # train: the net and its loss curve
    panels = len(nets) + with_loss
    classes = max((output_features(entry["net"]) or 1 for entry in nets), default=1)
    fig, axes = plt.subplots(1, panels, figsize=(3.6 * panels, 4.4), constrained_layout=True, squeeze=False)
    if classes > 1:  # k logits: a colour per class, the region edges on top
        return _draw_classes(fig, axes[0], X, y, nets, title, (x_name, y_name), box, classes, with_loss)
    if with_loss:
        history = nets[0]["history"]
        axes[0][-1].semilogy(np.arange(1, history.epochs + 1), history.loss, lw=1)
        axes[0][-1].set(xlabel="epoch", ylabel="training loss (binary cross-entropy)", title="loss during training")
        axes[0][-1].set_label("loss")
    drew_regions = False  # the legend names the regions' edges only where some panel draws them
    for ax, entry in zip(axes[0], nets):
        net = entry["net"]
        ax.set_label(f"regions: {entry['label']}")
        regions = _regions(entry, box)
        if regions is not None:
            drew_regions = True
            parts, logits = [], []
            for region in regions:
                for part, logit in _class_parts(region):
                    parts.append(part)
                    logits.append(logit)
            fills = shade(np.array(logits))
            edges = fills.copy()
            edges[:, :3] *= 0.8  # a shade darker than the fill: visible, but no white web over small regions
            ax.add_collection(PolyCollection(parts, facecolors=fills, edgecolors=edges, linewidths=0.25,
                                             gid="regions"))
            segments = [s for s in (r.zero_segment() for r in regions) if s is not None]
            ax.add_collection(LineCollection(segments, colors="black", linewidths=1.5, gid="boundary"))
            label = f"{entry['label']}: {len(regions):,} region{'s' if len(regions) != 1 else ''}"
        else:  # smooth, or too many regions: only the class it gives each point and where it says 0.5
            xs, ys = np.meshgrid(np.linspace(*box[0], 300), np.linspace(*box[1], 300))
            p = predict(net, np.column_stack([xs.ravel(), ys.ravel()])).reshape(xs.shape).astype(float)
            with np.errstate(divide="ignore"):
                logit = np.log(p) - np.log1p(-p)
            ax.imshow(shade(logit.ravel()).reshape(*xs.shape, 4), origin="lower", aspect="auto",
                      extent=(*box[0], *box[1]), interpolation="bilinear", gid="shading")
            ax.contour(xs, ys, p, levels=[0.5], colors="black", linewidths=1.5)
            smooth = entry.get("regions") is None
            label = f"{entry['label']}: {'smooth, no regions' if smooth else 'too many regions to draw'}"
        for k in (0, 1):
            rows = y[:, 0] == k
            ax.scatter(X[rows, 0], X[rows, 1], s=18, marker=MARKERS[k], color=CLASS_1 if k else CLASS_0,
                       edgecolors="black", linewidths=0.6, zorder=3, label=f"class {k}")
        ax.set(xlim=box[0], ylim=box[1], xlabel=x_name, ylabel=y_name,
               title=f"{textwrap.fill(label, 42)}\naccuracy {entry['accuracy']:.1%}")
        ax.set_aspect("equal", adjustable="box")
    fig.legend(handles=_legend_handles(drew_regions), loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    fig.suptitle(textwrap.fill(title, 32 * panels))
    return fig


def _draw_classes(fig, axes, X, y, nets: list[dict], title: str, names, box, classes: int, with_loss: bool):
    """``draw_regions`` for nets of k > 1 outputs (their logits): each point of the box shaded by its argmax
    class from a 300 x 300 grid (the argmax can change inside a linear region, so no polygon is one class),
    the linear regions' edges on top where the net has them, the data as a marker per class."""
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_rgb
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    colours = np.array([to_rgb(MANY_COLOURS[k % len(MANY_COLOURS)]) for k in range(classes)])
    pale = 1 - 0.45 * (1 - colours)  # the classes' colours towards white: the data's markers keep the full ones
    xs, ys = np.meshgrid(np.linspace(*box[0], 300), np.linspace(*box[1], 300))
    if with_loss:
        history = nets[0]["history"]
        axes[-1].semilogy(np.arange(1, history.epochs + 1), history.loss, lw=1)
        axes[-1].set(xlabel="epoch", ylabel="training loss (cross-entropy)", title="loss during training")
        axes[-1].set_label("loss")
    drew_regions = False
    for ax, entry in zip(axes, nets):
        ax.set_label(f"regions: {entry['label']}")
        predicted = predict(entry["net"], np.column_stack([xs.ravel(), ys.ravel()])).argmax(axis=1)
        ax.imshow(pale[predicted].reshape(*xs.shape, 3), origin="lower", aspect="auto", extent=(*box[0], *box[1]),
                  interpolation="nearest", gid="shading")
        regions = _regions({**entry, "net": one_output_of(entry["net"])}, box)
        if regions is not None:
            drew_regions = True
            ax.add_collection(PolyCollection([r.vertices for r in regions], facecolors="none", edgecolors="0.3",
                                             linewidths=0.3, gid="regions"))
            label = f"{entry['label']}: {len(regions):,} region{'s' if len(regions) != 1 else ''}"
        else:
            label = f"{entry['label']}: {'smooth, no regions' if entry.get('regions') is None else 'too many regions to draw'}"
        for k in range(classes):
            rows = y[:, 0] == k
            ax.scatter(X[rows, 0], X[rows, 1], s=18, marker=MANY_MARKERS[k % len(MANY_MARKERS)], color=colours[k],
                       edgecolors="black", linewidths=0.6, zorder=3, label=f"class {k}")
        ax.set(xlim=box[0], ylim=box[1], xlabel=names[0], ylabel=names[1],
               title=f"{textwrap.fill(label, 42)}\naccuracy {entry['accuracy']:.1%}")
        ax.set_aspect("equal", adjustable="box")
    handles = [Line2D([], [], ls="", marker=MANY_MARKERS[k % len(MANY_MARKERS)], color=colours[k], mec="black",
                      ms=7, label=f"class {k}") for k in range(classes)]
    handles.append(Patch(facecolor="0.9", edgecolor="0.5", lw=0.5, label="shaded: the class the net gives (argmax)"))
    if drew_regions:
        handles.append(Line2D([], [], color="0.3", lw=0.5, label="edges of the linear regions"))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), fontsize=8, frameon=False)
    fig.suptitle(textwrap.fill(title, 32 * len(axes)))
    return fig


def _regions(entry: dict, box) -> list | None:
    """The linear regions of ``entry``'s net over ``box``, or None: a smooth net, or one with too many."""
    if entry.get("regions") is None or entry.get("regions_error"):
        return None
    try:
        return linear_regions(entry["net"], box)
    except ValueError:  # past linear_regions' bound on its work: the picture is drawn without them
        return None


def shade(logits: np.ndarray) -> np.ndarray:
    """RGBA fills (len(logits), 4) for logits: the class's colour, paler where |logit| is small.

    Even a logit just past 0 gets a tint of its class (35% of the way from
    white), so the class reads everywhere; it deepens to 70% as |logit|
    grows (tanh(|logit| / 4): 0.76 at |logit| = 4, p = 0.98). Never the full
    colour: the data markers keep that.
    """
    from matplotlib.colors import to_rgb

    depth = 0.35 + 0.35 * np.tanh(np.abs(np.nan_to_num(logits, posinf=50, neginf=-50)) / 4)
    colour = np.where((logits >= 0)[:, None], to_rgb(CLASS_1), to_rgb(CLASS_0))  # p >= 0.5: class 1, as accuracy
    rgb = 1 - depth[:, None] * (1 - colour)  # from white (depth 0) towards the class's colour (depth 1)
    return np.column_stack([rgb, np.ones(len(logits))])


def _class_parts(region) -> list[tuple[np.ndarray, float]]:
    """The region whole, or cut in two along its piece of the decision boundary: (vertices, logit at the
    part's centre) each, so every part lies on one class's side."""
    weight, bias = region.weight[:, 0], float(region.bias[0])
    segment = region.zero_segment()
    if segment is None:
        return [(region.vertices, float(region.vertices.mean(axis=0) @ weight + bias))]
    tol = TOL * (np.abs(region.vertices) @ np.abs(weight) + abs(bias)).max()  # zero_segment's, so both agree
    halves = cut(region.vertices, region.vertices @ weight + bias, tol)
    return [(part, float(part.mean(axis=0) @ weight + bias)) for part in halves]


def _legend_handles(regions: bool) -> list:
    """What the colours, markers and lines mean; the regions' edges only where some panel draws them."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    pale_0, pale_1 = shade(np.array([-1.0, 1.0]))
    handles = [
        Line2D([], [], ls="", marker=MARKERS[0], color=CLASS_0, mec="black", ms=7, label="data, class 0"),
        Line2D([], [], ls="", marker=MARKERS[1], color=CLASS_1, mec="black", ms=7, label="data, class 1"),
        Line2D([], [], color="black", lw=1.5, label="decision boundary (p = 0.5)"),
        Patch(facecolor=pale_0, edgecolor="0.5", lw=0.5, label="the net says class 0 (darker: surer)"),
        Patch(facecolor=pale_1, edgecolor="0.5", lw=0.5, label="the net says class 1 (darker: surer)"),
    ]
    if regions:
        handles.append(Line2D([], [], color="0.45", lw=0.5, label="edges of the linear regions"))
    return handles
