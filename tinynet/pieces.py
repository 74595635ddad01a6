"""ReLU nets are piecewise linear, and that is the point.

relu(z) = z for z >= 0 and 0 for z < 0: each unit is linear on either side
of one point, and the network is linear between the points where any unit
switches. Those switches are what let a ReLU net bend: ``exact_abs`` shows
|x| = relu(x) + relu(-x) with two units, ``breakpoints`` finds every bend of
a one-input net exactly, and ``sawtooth`` shows that depth multiplies the
number of pieces while width only adds to it (Telgarsky, 2016, "Benefits of
depth in neural networks"; Montufar et al., 2014, "On the Number of Linear
Regions of Deep Neural Networks").
"""

import numpy as np

from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .linear import Linear
from .sequential import Sequential, model_dtype
from .standardize import Standardize, Unstandardize


def exact_abs() -> Sequential:
    """|x| built by hand: Linear(1, 2) -> ReLU -> Linear(2, 1), no biases.

        hidden = relu([x, -x])                   W1 = [[1, -1]]
        y = hidden[0] + hidden[1]                W2 = [[1], [1]]
          = relu(x) + relu(-x) = |x|

    Its output equals ``np.abs(x)`` bit for bit: multiplying by 1 or -1 and
    adding 0 are exact in floating point.
    """
    return Sequential(Linear.from_weights([[1.0, -1.0]]), ReLU(), Linear.from_weights([[1.0], [1.0]]))


def sawtooth(k: int) -> Sequential:
    """The tent map composed k times: k layers of 2 ReLUs, 2**k linear pieces on [0, 1].

    One tent, t(x) = 2 * relu(x) - 4 * relu(x - 0.5), rises from 0 to 1 and
    falls back on [0, 1]. Feeding it to itself folds [0, 1] twice as often
    each time, so k layers (2k units) give 2**k pieces. A one-hidden-layer
    net needs about 2**k units for that: n units make at most n + 1 pieces.
    This is the answer to "why deep, not wide".
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be an integer >= 1, got {k!r}")
    layers = []
    for i in range(k):
        # hidden = [relu(u), relu(u - 0.5)], where u is x (first layer) or
        # the previous tent 2 * h0 - 4 * h1, folded into this layer's weights.
        W = [[1.0, 1.0]] if i == 0 else [[2.0, 2.0], [-4.0, -4.0]]
        layers += [Linear.from_weights(W, [0.0, -0.5]), ReLU()]
    return Sequential(*layers, Linear.from_weights([[2.0], [-4.0]], [0.0]))


MAX_BREAKPOINTS = 1_000_000  # sawtooth(20) has about that many; a file from anyone may claim far more


def breakpoints(model, lo: float, hi: float) -> np.ndarray:
    """The x positions in (lo, hi) where a one-input, one-output model changes slope.

    Exact, not sampled: on each interval between known breakpoints every
    unit computes z = a * x + c, so we carry the slopes a and intercepts c
    through the layers. A Linear layer maps them like any input
    (a @ W, c @ W + b); at a ReLU or LeakyReLU each unit's z crosses 0 at
    x = -c / a, which splits the interval, and on each side the unit is
    either on or off. At the end, a breakpoint is kept only where the
    output's slope really differs on its two sides.

    Works for Linear, ReLU, LeakyReLU and Identity layers (and the fixed
    Standardize scalings); Sigmoid and Tanh are smooth and have no pieces.
    ``lo`` and ``hi`` may be -inf and inf: every breakpoint of the model.
    Returns a sorted 1-D float64 array; refuses models with more than a
    million breakpoints (a deep net can have 2**depth).
    """
    layers = list(getattr(model, "layers", [model]))
    lo, hi = float(lo), float(hi)
    if not lo < hi:
        raise ValueError(f"breakpoints needs lo < hi, got lo={lo}, hi={hi}")
    knots = np.array([lo, hi])  # interval ends; interval s is [knots[s], knots[s + 1]]
    a = np.ones((1, 1))  # slope of each unit on each interval: (intervals, units)
    c = np.zeros((1, 1))  # intercept, same shape
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            if a.shape[1] != layer.in_features:
                raise ValueError(f"breakpoints needs a model with one input, but layer {i} takes "
                                 f"{layer.in_features} features")
            W = layer.weight.data.astype(np.float64)
            a = a @ W
            c = c @ W + (layer.bias.data if layer.bias is not None else 0.0)
        elif isinstance(layer, (ReLU, LeakyReLU)):
            knots, a, c = _split_at_zeros(knots, a, c, i)
            on = (a * _inside(knots)[:, None] + c) > 0
            off_slope = layer.negative_slope if isinstance(layer, LeakyReLU) else 0.0
            factor = np.where(on, 1.0, off_slope)
            a, c = a * factor, c * factor
        elif isinstance(layer, (Standardize, Unstandardize)):
            if layer.mean.size != a.shape[1]:
                raise ValueError(f"breakpoints needs a model with one input, but layer {i} scales "
                                 f"{layer.mean.size} features")
            scale, shift = layer.scale_shift()
            a, c = a * scale, c * scale + shift
        elif not isinstance(layer, Identity):
            raise _not_piecewise_linear(i, layer)
    if a.shape[1] != 1:
        raise ValueError(f"breakpoints needs a model with one output, this one has {a.shape[1]}")
    slope = a[:, 0]
    scale = np.maximum(np.abs(slope[:-1]), np.abs(slope[1:]))
    changes = np.abs(np.diff(slope)) > 1e-12 * scale  # rounding can leave equal slopes a hair apart
    return knots[1:-1][changes]


PIECEWISE_LINEAR = (Linear, Identity, ReLU, LeakyReLU, Standardize, Unstandardize)


def is_piecewise_linear(model) -> bool:
    """True when every layer is affine or a rectifier, so ``breakpoints`` can answer."""
    return all(isinstance(layer, PIECEWISE_LINEAR) for layer in getattr(model, "layers", [model]))


def _not_piecewise_linear(i: int, layer) -> ValueError:
    why = ("it is smooth, so the model has no linear pieces" if isinstance(layer, (Sigmoid, Tanh))
           else "breakpoints does not know how it bends")
    return ValueError(f"breakpoints works on piecewise-linear models (Linear, ReLU, LeakyReLU, Identity), "
                      f"but layer {i} is {layer!r}: {why}")


def _split_at_zeros(knots, a, c, layer: int):
    """Add the points where any unit's z = a * x + c crosses 0 inside an interval."""
    with np.errstate(divide="ignore", invalid="ignore"):
        roots = -c / a + 0.0  # + 0.0 turns -0.0 into 0.0
    inside = (roots > knots[:-1, None]) & (roots < knots[1:, None])
    if not inside.any():
        return knots, a, c
    if len(knots) - 2 + int(inside.sum()) > MAX_BREAKPOINTS:
        # depth can double the count at every layer: stop before the arrays below outgrow memory
        raise ValueError(f"the model has more than {MAX_BREAKPOINTS:,} breakpoints by layer {layer}: "
                         "too many to list")
    new_knots = np.unique(np.concatenate([knots, roots[inside]]))
    owner = np.searchsorted(knots, _inside(new_knots)) - 1  # which old interval each new one lies in
    return new_knots, a[owner], c[owner]


def _inside(knots: np.ndarray) -> np.ndarray:
    """A point strictly inside each interval [knots[s], knots[s + 1]] (the ends may be infinite)."""
    left, right = knots[:-1], knots[1:]
    with np.errstate(invalid="ignore"):
        mid = (left + right) / 2
    mid = np.where(np.isneginf(left), right - 1, mid)
    mid = np.where(np.isposinf(right), left + 1, mid)
    return np.where(np.isneginf(left) & np.isposinf(right), 0.0, mid)


def linear_pieces(model, lo: float, hi: float) -> int:
    """How many linear pieces the model has on [lo, hi]: len(breakpoints) + 1."""
    return len(breakpoints(model, lo, hi)) + 1


def dead_units(model, X: np.ndarray) -> tuple[int, int]:
    """Count the ReLU units that are off for every row of X: (dead, total).

    A dead unit outputs 0 and passes back no gradient on this data, so
    training can no longer switch it on: its piece is lost.
    """
    dead = total = 0
    X = X.astype(model_dtype(model), copy=False)
    for layer in getattr(model, "layers", [model]):
        X = layer.forward(X)
        if isinstance(layer, ReLU):
            never_on = ~(X > 0).any(axis=0)
            dead += int(never_on.sum())
            total += never_on.size
    return dead, total
