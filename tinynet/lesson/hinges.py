"""hinges: a one-hidden-layer ReLU net, taken apart into one hinge per unit.

"relu(z) = z for z >= 0, so isn't the net linear?" Each unit is: it is one
hinge, a line on either side of its kink. With one input x and one hidden
layer,

    y = b2 + sum_j v_j * relu(w_j * x + b_j)

and unit j's hinge, v_j * relu(w_j * x + b_j), is 0 at its kink
x0_j = -b_j / w_j and straight on either side of it: slope v_j * w_j where
the unit is on, 0 (LeakyReLU: v_j * w_j * negative_slope) where it is off.
So

    y = b2 + sum_j hinge_j(x),   hinge_j(x) = slope_j(side of x0_j) * (x - x0_j)

and the sum is what bends: every hinge is linear, their kinks sit at
different x, and adding them gives a line that changes slope at each one.
Through the scaling layers of a CSV-trained model (Standardize before,
Unstandardize after) everything is in the data's units: the input scaling
moves the kinks to the data's x, the output scaling multiplies every slope.
For deeper nets the units of later layers are not hinges in x: ``pieces``
(pieces.py) gives their linear pieces instead.
"""

from dataclasses import dataclass

import numpy as np

from .. import kinds
from ..engine import Linear
from ..model import layers_of
from ..standardize import Standardize, Unstandardize


@dataclass(frozen=True)
class Hinge:
    """One hidden unit as a function of x: 0 at ``kink``, a line of ``left_slope`` / ``right_slope`` either side.

    hinge(x) = (left_slope if x < kink else right_slope) * (x - kink). A unit
    whose input weight is 0 has no kink (``kink`` is nan): it adds the
    constant ``offset`` (0 for every other unit). ``weight`` is its outgoing
    weight v, as stored in the model; the slopes are in the data's units.
    """

    unit: int
    kink: float
    weight: float
    left_slope: float
    right_slope: float
    offset: float = 0.0

    def __call__(self, x) -> np.ndarray:
        """The hinge at x (any shape), in float64. Shape: x (...) -> (...)."""
        x = np.asarray(x, dtype=np.float64)
        if np.isnan(self.kink):
            return np.full(x.shape, self.offset)
        return np.where(x < self.kink, self.left_slope, self.right_slope) * (x - self.kink)


@dataclass(frozen=True)
class Hinges:
    """A model written as bias + the sum of its units' hinges; calling it gives the model's output.

    Shape: X (N, 1) -> (N, 1), like the model, in float64.
    """

    bias: float
    units: list[Hinge]

    def __call__(self, X) -> np.ndarray:
        x = np.asarray(X, dtype=np.float64)[:, 0]
        return (self.bias + sum((unit(x) for unit in self.units), np.zeros_like(x)))[:, None]


def hinges(model) -> Hinges:
    """Take a one-input, one-output, one-hidden-layer ReLU or LeakyReLU net apart into one hinge per unit.

    Per hidden unit j (with the input scaling x * sx + tx and the output
    scaling y * sy + ty of a CSV-trained model; 1 and 0 without them):

        a_j = w_j * sx,   c_j = b_j + w_j * tx     unit j's z = a_j * x + c_j
        kink x0_j = -c_j / a_j                      (= -b_j / w_j in the net's own units)
        on side:  slope = sy * v_j * a_j * on_slope;  off side:  sy * v_j * a_j * off_slope
        (off_slope, on_slope) = the activation's slopes(): (0, 1) for ReLU, (0.01, 1) for LeakyReLU()
        bias = sy * b2 + ty

    The on side is right of the kink when a_j > 0, left when a_j < 0.
    Computed in float64. Raises ValueError for any other model.

    Shape: the model takes x (N, 1) -> (N, 1); the result holds one Hinge
    per hidden unit (H of them), and calling it maps X (N, 1) -> (N, 1).

    >>> [(h.kink, h.left_slope, h.right_slope) for h in hinges(exact_abs()).units]
    [(0.0, 0.0, 1.0), (0.0, -1.0, 0.0)]
    """
    first, act, second, (sy, ty) = _one_hidden_layer(model)
    a, c = first_layer_lines(model)
    v = second.weight.data[:, 0].astype(np.float64)  # (H,)
    off_slope, on_slope = kinds.slopes(act)  # ReLU: (0, 1); LeakyReLU: (negative_slope, 1)
    units = []
    for j in range(first.out_features):
        if a[j] == 0:  # z = c_j for every x: no kink, a constant
            constant = sy * v[j] * c[j] * (on_slope if c[j] > 0 else off_slope)
            units.append(Hinge(j, np.nan, float(v[j]), 0.0, 0.0, float(constant)))
            continue
        on, off = sy * v[j] * a[j] * on_slope, sy * v[j] * a[j] * off_slope  # the hinge's slopes, unit on and off
        left, right = (off, on) if a[j] > 0 else (on, off)
        units.append(Hinge(j, float(-c[j] / a[j]) + 0.0, float(v[j]), float(left) + 0.0, float(right) + 0.0))
    return Hinges(float(sy * _bias(second, 1)[0] + ty), units)


def first_layer_lines(model) -> tuple[np.ndarray, np.ndarray]:
    """(a, c): each first-layer unit's input z_j = a_j * x + c_j as a line in the data's x, in float64.

    Through a Standardize x * sx + tx before it: a = w * sx, c = b + w * tx.
    Unit j's kink is at x = -c_j / a_j. Shape: a, c (units,). Needs one input (ValueError otherwise).
    """
    layers = [layer for layer in layers_of(model) if not _straight(layer)]
    sx, tx = _scalar(layers.pop(0), "input") if layers and isinstance(layers[0], Standardize) else (1.0, 0.0)
    if not layers or not isinstance(layers[0], Linear) or layers[0].in_features != 1:
        first = repr(layers[0]) if layers else "nothing"
        raise ValueError(f"first-layer kinks need a Linear layer with one input first, but the model starts with {first}")
    w = layers[0].weight.data[0].astype(np.float64)
    return w * sx, _bias(layers[0], layers[0].out_features) + w * tx


def _bias(layer: Linear, size: int) -> np.ndarray:
    return np.zeros(size) if layer.bias is None else layer.bias.data.reshape(-1).astype(np.float64)


def _one_hidden_layer(model):
    """(first Linear, activation, second Linear, (sy, ty)), or a ValueError saying what is wrong."""
    layers = [layer for layer in layers_of(model) if not _straight(layer)]
    sy, ty = 1.0, 0.0
    if layers and isinstance(layers[0], Standardize):
        _scalar(layers.pop(0), "input")
    if layers and isinstance(layers[-1], Unstandardize):
        sy, ty = _scalar(layers.pop(), "output")
    types = [type(layer).__name__ for layer in layers]
    if not (len(layers) == 3 and isinstance(layers[0], Linear) and kinds.has_kink(layers[1])
            and isinstance(layers[2], Linear)):
        raise ValueError("hinges needs Linear, ReLU or LeakyReLU, Linear (one hidden layer, inside optional "
                         f"Standardize and Unstandardize), but the model's layers are {', '.join(types) or 'none'}: "
                         "for other piecewise-linear models use pieces(model)")
    first, act, second = layers
    if (first.in_features, second.out_features) != (1, 1):
        raise ValueError(f"hinges needs one input and one output, but the model takes {first.in_features} "
                         f"and gives {second.out_features}: each unit is a hinge only along one x")
    return first, act, second, (sy, ty)


def _straight(layer) -> bool:
    """A layer that passes x through unchanged (Identity: slopes (1, 1)), which hinges may skip."""
    return kinds.slopes(layer) == (1.0, 1.0)


def _scalar(layer, which: str) -> tuple[float, float]:
    """A one-feature scaling layer as (scale, shift) in float64."""
    if layer.mean.size != 1:
        raise ValueError(f"hinges needs one {which}, but the model's {type(layer).__name__} scales "
                         f"{layer.mean.size} features")
    scale, shift = layer.scale_shift(np.float64)
    return float(scale[0]), float(shift[0])
