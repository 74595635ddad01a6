"""The exact linear regions of a two-input ReLU net, and its decision boundary.

With two inputs, a ReLU net tiles the plane with convex polygons and is one
affine map on each: logit(x) = x @ weight + bias. ``linear_regions`` lists
them over a box, exactly; ``decision_boundary`` gives where the logit is 0
(where a Sigmoid output is 0.5): one straight segment in each region it
crosses, so the boundary is a path of straight segments. An identity net has
one region and draws one line: logistic regression.

How, the two-input version of ``pieces``: start with the box, on which each
input is itself, x = x @ I + 0. Carry for every polygon the affine map of
every unit, z = x @ A + c (A: (2, units), c: (units,)), through the layers:

- Linear:           A @ W, c @ W + b (the same for every polygon)
- Standardize and Unstandardize: A * scale, c * scale + shift
- ReLU, LeakyReLU:  unit j is 0 along the line x @ A[:, j] + c[j] = 0; cut
                    every polygon that line crosses in two. On each part the
                    unit is on or off, so it multiplies its z by one of its
                    two slopes (1 or 0, or negative_slope): a column of A and c.
- a final Sigmoid:  stop before it; the regions are those of the logit.

Each region is one activation pattern (which units are on). Two neighbours
may happen to share a map (say, a unit whose output the next layer ignores);
they are kept apart, since the union of convex polygons need not be convex.

Depth multiplies regions as it multiplies pieces: n lines in general
position cut the plane into at most 1 + n + n(n - 1) / 2 regions (Zaslavsky,
1975), which bounds one hidden layer of n units; each further layer cuts
every region again (Montufar et al., 2014, "On the Number of Linear Regions
of Deep Neural Networks"). A model file can claim an astronomic count, so
the work is bounded: see ``linear_regions``.
"""

from dataclasses import dataclass

import numpy as np

from .. import kinds
from ..checks import positive_int
from ..engine import Linear, Sigmoid
from ..model import input_features, layers_of
from ..standardize import Standardize, Unstandardize
from .polygons import cut_by_lines, polygon_area, zero_segment

MAX_REGIONS = 100_000  # a [2, 16, 16, 1] net trained on xor has about 500; 100,000 take 10-15 s to cut
MAX_CELLS = 4_000_000  # numbers in one (regions, units) array: 32 MB; a few are held at once
# float64 places a corner at 1e12 to within 1e-4: counts measured steady from [-1, 1]^2 out to [-1e13, 1e13]^2,
# and shrinking from 1e14 on, where regions narrower than rounding merge
MAX_BOX = 1e12
# polygons x activation layers still to cut them: each layer visits every polygon in a Python loop (a few us
# each), and polygons only multiply, so this bounds the work before it is done: about 5 s
MAX_PASSES = 2_000_000


@dataclass
class Region:
    """One linear region: on the convex polygon ``vertices`` the logit is x @ weight + bias.

    Shape: vertices (k, 2), counter-clockwise, k >= 3; weight (2, 1); bias (1,).
    """

    vertices: np.ndarray
    weight: np.ndarray
    bias: np.ndarray

    @property
    def area(self) -> float:
        return polygon_area(self.vertices)

    def zero_segment(self) -> np.ndarray | None:
        """Where the logit is 0 in this region, (2, 2): the segment's two ends; None if it is not 0 here."""
        return zero_segment(self.vertices, self.weight[:, 0], self.bias[0])


def linear_regions(model, box, *, max_regions: int = MAX_REGIONS) -> list[Region]:
    """The linear regions of a two-input, one-output model over ``box``, exactly.

    ``box`` is ((x_min, x_max), (y_min, y_max)). The model is made of Linear,
    ReLU, LeakyReLU, Identity, Standardize and Unstandardize layers and may
    end in a Sigmoid; the regions are those of the logit, the value before
    that Sigmoid. They tile the box: their areas add up to its area.

    Computed in float64, by cutting polygons along each unit's zero line,
    layer by layer (see the module docstring), not by sampling. More than
    ``max_regions`` regions, or more regions x units than fit in memory, is a
    ValueError, raised as soon as the count passes it.

    >>> relu_x0 = Sequential(Linear.from_weights([[1.0], [0.0]], [0.0]), ReLU())  # on where x0 > 0
    >>> [(r.area, r.weight[:, 0].tolist()) for r in linear_regions(relu_x0, ((-1, 1), (0, 1)))]
    [(1.0, [1.0, 0.0]), (1.0, [0.0, 0.0])]
    """
    layers = _logit_layers(model)
    (x_min, x_max), (y_min, y_max) = _checked_box(box)
    max_regions = positive_int(max_regions, "max_regions")
    polygons = [np.array([[x_min, y_min], [x_max, y_min], [x_max, y_max], [x_min, y_max]])]
    reach = np.abs(polygons[0]).max()  # no vertex lies farther out
    A = np.eye(2)[None]  # (regions, 2, units): on region r, unit j computes x @ A[r, :, j] + c[r, j]
    c = np.zeros((1, 2))  # (regions, units)
    kinked = [i for i, layer in enumerate(layers) if kinds.has_kink(layer)]
    for i, layer in enumerate(layers):
        _check_passes(len(polygons), sum(k >= i for k in kinked), i)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked below, by layer
            polygons, A, c = _through(layer, i, polygons, A, c, max_regions)
            largest = 2 * reach * np.abs(A).max() + np.abs(c).max()  # bounds |x @ A + c| over the box
        if not (np.isfinite(A).all() and np.isfinite(c).all()):
            raise ValueError(f"linear_regions: the affine maps overflow float64 by layer {i} ({layer!r}): "
                             "the model's numbers are too large for its regions to be computed")
        if not np.isfinite(largest):
            raise ValueError(f"linear_regions: the units' values over the box overflow float64 by layer {i}: "
                             "the box is too large for the model's numbers, give a smaller one")
    if A.shape[2] != 1:
        raise ValueError(f"linear_regions needs a model with one output, this one has {A.shape[2]}")
    return [Region(p, A[r] + 0.0, c[r] + 0.0) for r, p in enumerate(polygons)]  # + 0.0: no -0.0


def decision_boundary(model, box, *, max_regions: int = MAX_REGIONS) -> np.ndarray:
    """Where the logit is 0 over ``box`` (a Sigmoid output: 0.5), as straight segments.

    One segment from each linear region the boundary crosses, so a ReLU net's
    boundary is a path of straight pieces and an identity net's is one line.
    Returns an (m, 2, 2) array: segment s runs from (X[s, 0, 0], X[s, 0, 1])
    to (X[s, 1, 0], X[s, 1, 1]); m = 0 when the logit keeps one sign. Where
    the logit is 0 only along an edge between two regions or on a whole
    region (a coincidence in a trained net), no segment is drawn there.

    >>> decision_boundary(Sequential(Linear.from_weights([[1.0], [-1.0]], [0.0]), Sigmoid()),
    ...                   ((0, 1), (0, 1))).tolist()  # x0 = x1: the diagonal
    [[[0.0, 0.0], [1.0, 1.0]]]
    """
    segments = [s for region in linear_regions(model, box, max_regions=max_regions)
                if (s := region.zero_segment()) is not None]
    return np.array(segments).reshape(-1, 2, 2)


def _through(layer, i: int, polygons: list, A, c, max_regions: int):
    """Carry the polygons and each one's maps (A, c) through one layer."""
    if isinstance(layer, Linear):
        if A.shape[2] != layer.in_features:
            raise ValueError(f"layer {i} takes {layer.in_features} features, but {A.shape[2]} come to it")
        _check_count(len(polygons), layer.out_features, i, max_regions)
        W = layer.weight.data.astype(np.float64)
        b = layer.bias.data.astype(np.float64) if layer.bias is not None else 0.0
        return polygons, A @ W, c @ W + b
    if isinstance(layer, (Standardize, Unstandardize)):
        if layer.mean.size != A.shape[2]:
            raise ValueError(f"layer {i} scales {layer.mean.size} features, but {A.shape[2]} come to it")
        scale, shift = (part.astype(np.float64) for part in layer.scale_shift())
        return polygons, A * scale, c * scale + shift
    left, right = kinds.slopes(layer)  # an activation that is linear on either side of 0
    if left == right:  # Identity: no kink, no cut
        return polygons, A * left, c * left
    # the largest count allowed: max_regions, and as many as the (regions, units) maps that fit in memory
    max_parts = min(max_regions, MAX_CELLS // A.shape[2])
    found = cut_by_lines(polygons, A, c, max_parts)
    if found is None:
        _check_count(max_parts + 1, A.shape[2], i, max_regions)
    parts, owner, on = found
    factor = np.where(on, right, left)  # (regions, units): each unit's slope on each part
    return parts, A[owner] * factor[:, None, :], c[owner] * factor


def _check_count(regions: int, units: int, layer: int, max_regions: int) -> None:
    """Refuse, before making them, more regions than max_regions, or than the maps of their units fit in memory."""
    if regions > max_regions:
        raise ValueError(f"the model has more than {max_regions:,} linear regions over the box by layer {layer}: "
                         "too many for linear_regions to list (max_regions raises the limit)")
    if regions * units > MAX_CELLS:
        raise ValueError(f"the model has {regions:,} regions x {units:,} units by layer {layer}: more than "
                         f"{MAX_CELLS:,} numbers, too many for linear_regions to hold in memory")


def _check_passes(polygons: int, layers_left: int, layer: int) -> None:
    """Refuse, before doing it, work that would take minutes: polygons x activation layers still to cut them."""
    if polygons * layers_left > MAX_PASSES:
        raise ValueError(f"by layer {layer} the model has {polygons:,} regions and {layers_left:,} activation layers "
                         f"still to cut them: more than {MAX_PASSES:,} polygon passes, too much work for "
                         "linear_regions (minutes); give a smaller box")


def _logit_layers(model) -> list:
    """The model's layers up to its logit (without a final Sigmoid), or a ValueError naming one it cannot cut."""
    layers = layers_of(model)
    if layers and isinstance(layers[-1], Sigmoid):
        layers = layers[:-1]
    for i, layer in enumerate(layers):
        if not (isinstance(layer, (Linear, Standardize, Unstandardize)) or kinds.slopes(layer) is not None):
            raise ValueError(f"linear_regions works on piecewise-linear models (Linear, ReLU, LeakyReLU, Identity, "
                             f"the scaling layers, and a final Sigmoid), but layer {i} is {layer!r}")
    features = input_features(model)
    if features not in (None, 2):
        raise ValueError(f"linear_regions needs a model with two inputs, this one takes {features}")
    return layers


def _checked_box(box) -> np.ndarray:
    try:
        corners = np.array(box, dtype=np.float64)
    except (TypeError, ValueError):
        corners = None
    if corners is None or corners.shape != (2, 2) or not np.isfinite(corners).all() \
            or not (corners[:, 0] < corners[:, 1]).all():
        raise ValueError(f"box must be ((x_min, x_max), (y_min, y_max)), finite, with x_min < x_max and "
                         f"y_min < y_max, got {box!r}")
    if np.abs(corners).max() > MAX_BOX:
        raise ValueError(f"the box reaches {np.abs(corners).max():.3g}, beyond {MAX_BOX:.0e}: float64 cannot place "
                         "the regions' corners that far out, and regions beyond the last kink are the same ones "
                         "seen nearer: give a smaller box")
    return corners
