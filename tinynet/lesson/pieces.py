"""ReLU nets are piecewise linear, and that is the point.

relu(z) = z for z >= 0 and 0 for z < 0: each unit is linear on either side
of one point, and the network is linear between the points where any unit
switches. For a one-input, one-output net, ``pieces`` lists those linear
pieces exactly, as (start, end, slope, intercept); ``breakpoints`` gives
just the x values where the slope changes; ``distinct_bends`` counts the
bends big enough to matter. The hand-built nets in handmade.py show the
pieces at work (Telgarsky, 2016, "Benefits of depth in neural networks";
Montufar et al., 2014, "On the Number of Linear Regions of Deep Neural
Networks").

A count means nothing without its interval: a net trained on [-pi, pi] has
a few more pieces over all x, where units switch far from the data. So every
count tinynet prints comes from ``count_pieces`` (or, for two inputs,
``count_regions``), over one interval chosen by one rule (``counting_box``):
the data's range; without data, the range the model's stored scaling
implies; and it says which (``PieceCount.where``).
"""

import math
from dataclasses import dataclass

import numpy as np

from .. import kinds
from ..engine import Linear, Sigmoid, Tanh
from ..model import input_features, layers_of
from ..standardize import Standardize, Unstandardize
from .pieces_limits import check_breakpoints, check_cells, check_layer
from .regions import linear_regions

# Data spread evenly over [lo, hi] has mean (lo + hi) / 2 and std (hi - lo) / sqrt(12), so
# mean +- sqrt(3) std gives back [lo, hi]: the range a stored scaling implies, without the data
SCALING_SPAN = math.sqrt(3)
RANGE_SOURCES = {  # what a counting box is, for one input ("range") and for more ("box")
    "data": "the data's {}",
    "scaling": "the {} its stored scaling implies (mean +- sqrt(3) std)",
    "box": "the {} given",
    "everywhere": "all x",
}


@dataclass(frozen=True)
class PieceCount:
    """How many linear pieces (one input) or linear regions (two inputs) a model has, and over what.

    ``count``: the number, or None when the box is a single point along some
    input (one x value: no interval to count on). ``box``: one (lo, hi) per
    input, infinite for "everywhere". ``over``: a key of RANGE_SOURCES, what
    the box is.

    >>> count_pieces(exact_abs(), np.array([[-1.0], [2.0]]))
    PieceCount(count=2, box=((-1.0, 2.0),), over='data')
    >>> print(count_pieces(exact_abs(), np.array([[-1.0], [2.0]])).where())
    on [-1, 2], the data's range
    """

    count: int | None
    box: tuple[tuple[float, float], ...]
    over: str

    def where(self) -> str:
        """The interval (one input) or box (two) and what it is: "on [-3.142, 3.142], the data's range"."""
        if self.over == "everywhere":
            return "over all x" if len(self.box) == 1 else "over the whole plane"
        sides = " x ".join(f"[{lo:.4g}, {hi:.4g}]" for lo, hi in self.box)
        one = len(self.box) == 1
        return f"{'on' if one else 'over'} {sides}, {RANGE_SOURCES[self.over].format('range' if one else 'box')}"


def counting_box(model, X: np.ndarray | None = None) -> tuple[tuple[tuple[float, float], ...], str]:
    """Where tinynet counts a model's pieces or regions: ((lo, hi) per input, what that is).

    The one rule every command follows: with data X (N, D), each column's
    [min, max] ("data"). Without data, the model's first Standardize layer
    gives each input's mean +- sqrt(3) std ("scaling": the range of evenly
    spread data with that mean and std; the built-in datasets are spread so).
    Without either, (-inf, inf) ("everywhere").

    >>> counting_box(Sequential(Standardize([0.0], [2.0]), Linear(1, 1)))
    (((-3.4641016151377544, 3.4641016151377544),), 'scaling')
    """
    if X is not None:
        X = np.asarray(X)
        return tuple((float(lo), float(hi)) for lo, hi in zip(X.min(axis=0), X.max(axis=0))), "data"
    scaling = next((layer for layer in layers_of(model) if isinstance(layer, Standardize)), None)
    if scaling is not None:
        mean, std = scaling.mean.astype(np.float64), scaling.std.astype(np.float64)
        return tuple(zip((mean - SCALING_SPAN * std).tolist(), (mean + SCALING_SPAN * std).tolist())), "scaling"
    return ((-math.inf, math.inf),) * (input_features(model) or 1), "everywhere"


def count_pieces(model, X: np.ndarray | None = None) -> PieceCount:
    """The linear pieces of a one-input, one-output model over ``counting_box(model, X)``.

    X: (N, 1) data, or None. Refuses (ValueError) what ``breakpoints`` refuses.

    >>> count_pieces(sawtooth(3), np.array([[0.0], [1.0]])).count
    8
    """
    box, over = counting_box(model, X)
    if len(box) != 1:
        raise ValueError(f"count_pieces needs a model with one input (and data of one column), got {len(box)} "
                         "inputs: count_regions counts a two-input model's regions")
    ((lo, hi),) = box
    return PieceCount(None if lo == hi else linear_pieces(model, lo, hi), box, over)


def count_regions(model, X: np.ndarray | None = None, box=None) -> PieceCount:
    """The linear regions of a two-input model's logit over ``box`` if given, else ``counting_box(model, X)``.

    Refuses (ValueError) what ``linear_regions`` refuses, and a box it cannot
    cut: an infinite one (no data, no stored scaling).

    >>> relu_x0 = Sequential(Linear.from_weights([[1.0], [0.0]], [0.0]), ReLU())  # on where x0 > 0
    >>> print(count_regions(relu_x0, np.array([[-1.0, 0.0], [1.0, 1.0]])).where())
    over [-1, 1] x [0, 1], the data's box
    >>> count_regions(relu_x0, box=((0.5, 1), (0, 1))).count
    1
    """
    if box is not None:
        box, over = tuple((float(lo), float(hi)) for lo, hi in box), "box"
    else:
        box, over = counting_box(model, X)
    if over == "everywhere":
        raise ValueError("linear regions are counted over a finite box: give data, or a box, since the model "
                         "stores no scaling to imply one")
    if any(lo == hi for lo, hi in box):
        return PieceCount(None, box, over)
    return PieceCount(len(linear_regions(model, box)), box, over)


def pieces(model, lo: float | None = None, hi: float | None = None) -> list[tuple[float, float, float, float]]:
    """The linear pieces of a one-input, one-output model on [lo, hi], in order.

    Each piece is (start, end, slope, intercept): on [start, end] the model
    computes y = slope * x + intercept. Neighbouring pieces share their ends,
    and those inner ends are exactly ``breakpoints(model, lo, hi)``, so there
    is always one piece more than breakpoints. Without bounds the outer ends
    are -inf and inf. A model with scaling layers (trained on a CSV file)
    gives slopes and intercepts in the data's own units.

    Exact, not sampled, and refuses (ValueError) what ``breakpoints``
    refuses: smooth layers, more than one input or output, more than a
    million pieces, more numbers to carry than fit in 32 MB or about a second,
    slopes that overflow float64 (pieces_limits.py says why).

    >>> pieces(exact_abs())
    [(-inf, 0.0, -1.0, 0.0), (0.0, inf, 1.0, 0.0)]
    """
    lo = -np.inf if lo is None else lo
    hi = np.inf if hi is None else hi
    knots, slope, intercept = _affine_pieces(model, lo, hi, "pieces")
    return list(zip(knots[:-1].tolist(), knots[1:].tolist(), slope.tolist(), intercept.tolist()))


def breakpoints(model, lo: float, hi: float) -> np.ndarray:
    """The x positions in (lo, hi) where a one-input, one-output model changes slope.

    ``lo`` and ``hi`` may be -inf and inf: every breakpoint of the model.
    Returns a sorted 1-D float64 array: the inner ends of ``pieces``.

    >>> breakpoints(exact_abs(), -1, 1).tolist()
    [0.0]
    """
    knots, _, _ = _affine_pieces(model, lo, hi, "breakpoints")
    return knots[1:-1]


def linear_pieces(model, lo: float, hi: float) -> int:
    """How many linear pieces the model has on [lo, hi]: len(breakpoints) + 1.

    >>> linear_pieces(sawtooth(3), 0, 1)
    8
    """
    return len(breakpoints(model, lo, hi)) + 1


def distinct_bends(pieces: list[tuple[float, float, float, float]], rtol: float = 0.01) -> int:
    """How many bends between neighbouring pieces change the slope by more than rtol of the steepest piece.

    The rule: the bend between pieces i and i + 1 counts when
    |slope[i + 1] - slope[i]| > rtol * max(|slope| over all pieces). With
    the default rtol = 0.01 a ReLU net fitted to a straight line, which may
    have 30 pieces whose slopes differ in the third digit, has no distinct
    bend: it is one line. Only neighbours are compared, so a gentle curve
    drawn in many bends, each under the tolerance, counts none either.

    >>> distinct_bends([(0.0, 1.0, 1.0, 0.0), (1.0, 2.0, 1.005, -0.005), (2.0, 3.0, 3.0, -3.995)])
    1
    """
    if not rtol >= 0:  # also refuses nan
        raise ValueError(f"rtol must be >= 0 (a fraction of the steepest slope, like 0.01), got {rtol!r}")
    slopes = np.array([piece[2] for piece in pieces], dtype=np.float64)
    if slopes.size < 2:
        return 0
    return int((np.abs(np.diff(slopes)) > rtol * np.abs(slopes).max()).sum())


def _affine_pieces(model, lo: float, hi: float, caller: str):
    """(knots, slope, intercept): on [knots[s], knots[s + 1]] the model is slope[s] * x + intercept[s].

    Computed in float64 whatever the model's dtype, and refused (ValueError)
    rather than wrong when the numbers overflow even float64.

    On each interval between known knots every unit computes z = a * x + c,
    so we carry the slopes a and intercepts c through the layers. A Linear
    layer maps them like any input (a @ W, c @ W + b); at a ReLU or
    LeakyReLU each unit's z crosses 0 at x = -c / a, which splits the
    interval, and on each side the unit is either on or off. At the end,
    neighbouring intervals whose output slope does not really differ are
    merged, so knots[1:-1] are the breakpoints. ``caller`` names the
    function in error messages.
    """
    knots, a, c = unit_pieces(model, lo, hi, caller)
    if a.shape[1] != 1:
        raise ValueError(f"{caller} needs a model with one output, this one has {a.shape[1]}")
    slope, intercept = a[:, 0] + 0.0, c[:, 0] + 0.0  # + 0.0 turns -0.0 (an off unit times -1) into 0.0
    scale = np.maximum(np.abs(slope[:-1]), np.abs(slope[1:]))
    changes = np.abs(np.diff(slope)) > 1e-12 * scale  # rounding can leave equal slopes a hair apart
    first = np.concatenate([[True], changes])  # the first interval of each run of one slope stands for it
    return np.append(knots[:-1][first], knots[-1]), slope[first], intercept[first]


def unit_pieces(model, lo: float, hi: float, caller: str = "unit_pieces"
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(knots, a, c) of a one-input model of any number of outputs: on [knots[s], knots[s + 1]] output j
    is a[s, j] * x + c[s, j]. Shape: knots (S + 1,), a and c (S, outputs).

    The knots are lo, hi and every x where some ReLU unit, in any layer, switches: nothing is merged, so
    an output may run straight across a knot (``pieces`` and ``breakpoints`` merge them for one output).
    """
    layers = layers_of(model)
    lo, hi = float(lo), float(hi)
    if not lo < hi:
        raise ValueError(f"{caller} needs lo < hi, got lo={lo}, hi={hi}")
    knots = np.array([lo, hi])  # interval ends; interval s is [knots[s], knots[s + 1]]
    a = np.ones((1, 1))  # slope of each unit on each interval: (intervals, units)
    c = np.zeros((1, 1))  # intercept, same shape
    work = 0  # numbers computed so far
    for i, layer in enumerate(layers):
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked next
            knots, a, c = _through(layer, i, knots, a, c, caller)
        work = check_layer(a, c, work, i, layer, caller)
    return knots, a, c


def _through(layer, i: int, knots, a, c, caller: str):
    """Carry the slopes a and intercepts c (intervals, units) of every unit through one layer."""
    if isinstance(layer, Linear):
        if a.shape[1] != layer.in_features:
            raise ValueError(f"{caller} needs a model with one input, but layer {i} takes "
                             f"{layer.in_features} features")
        check_cells(a.shape[0], layer.out_features, i, caller)
        W = layer.weight.data.astype(np.float64)
        a = a @ W
        c = c @ W + (layer.bias.data if layer.bias is not None else 0.0)
    elif kinds.slopes(layer) is not None:  # an activation that is linear on either side of 0: ask it how
        off_slope, on_slope = kinds.slopes(layer)
        if off_slope != on_slope:  # a kink: split the intervals where z crosses 0
            knots, a, c = _split_at_zeros(knots, a, c, i, caller)
        on = (a * _inside(knots)[:, None] + c) > 0
        factor = np.where(on, on_slope, off_slope)
        a, c = a * factor, c * factor
    elif isinstance(layer, (Standardize, Unstandardize)):
        if layer.mean.size != a.shape[1]:
            raise ValueError(f"{caller} needs a model with one input, but layer {i} scales "
                             f"{layer.mean.size} features")
        scale, shift = layer.scale_shift(np.float64)  # float32's 1 / std can overflow where float64's does not
        a, c = a * scale, c * scale + shift
    else:
        raise _not_piecewise_linear(i, layer, caller)
    return knots, a, c


AFFINE_LAYERS = (Linear, Standardize, Unstandardize)


def is_piecewise_linear(model) -> bool:
    """True when every layer is affine or says it is piecewise linear (Identity, ReLU, LeakyReLU, ...),
    so ``pieces`` and ``breakpoints`` can answer."""
    return all(isinstance(layer, AFFINE_LAYERS) or kinds.slopes(layer) is not None for layer in layers_of(model))


def _not_piecewise_linear(i: int, layer, caller: str) -> ValueError:
    why = ("it is smooth, so the model has no linear pieces" if isinstance(layer, (Sigmoid, Tanh))
           else f"{caller} does not know how it bends (an activation that is linear on either side of 0 "
                "says so when registered: tinynet.register_activation(cls, slopes=(left, right)))")
    return ValueError(f"{caller} works on piecewise-linear models (Linear, ReLU, LeakyReLU, Identity), "
                      f"but layer {i} is {layer!r}: {why}")


def _split_at_zeros(knots, a, c, layer: int, caller: str):
    """Add the points where any unit's z = a * x + c crosses 0 inside an interval."""
    with np.errstate(divide="ignore", invalid="ignore"):
        roots = -c / a + 0.0  # + 0.0 turns -0.0 into 0.0
    inside = (roots > knots[:-1, None]) & (roots < knots[1:, None])
    if not inside.any():
        return knots, a, c
    new = int(inside.sum())  # breakpoints this layer adds
    check_breakpoints(len(knots) - 2 + new, layer, caller)
    check_cells(len(knots) - 1 + new, a.shape[1], layer, caller)
    new_knots = np.unique(np.concatenate([knots, roots[inside]]))
    owner = np.searchsorted(knots, _inside(new_knots)) - 1  # which old interval each new one lies in
    return new_knots, a[owner], c[owner]


def _inside(knots: np.ndarray) -> np.ndarray:
    """A point strictly inside each interval [knots[s], knots[s + 1]] (the ends may be infinite)."""
    left, right = knots[:-1], knots[1:]
    with np.errstate(invalid="ignore"):  # inf - inf where an end is infinite: replaced below
        mid = (left + right) / 2
        # a step of max(1, |end|) from a finite end: right - 1 rounds back to right once |right| > 2**53
        mid = np.where(np.isneginf(left), right - np.maximum(1.0, np.abs(right)), mid)
        mid = np.where(np.isposinf(right), left + np.maximum(1.0, np.abs(left)), mid)
    return np.where(np.isneginf(left) & np.isposinf(right), 0.0, mid)

