"""Nets built by hand, to see what ReLU units do before any training.

Two facts about ReLU nets are easier to see in weights you can write down
than in a trained net: two units make |x| exactly (``exact_abs``), and
depth multiplies the number of linear pieces while width only adds to it
(``sawtooth``; Telgarsky, 2016, "Benefits of depth in neural networks").
``pieces`` and ``breakpoints`` (pieces.py) show both.
"""

import numpy as np

from ..engine import Linear, ReLU, Sequential


def exact_abs() -> Sequential:
    """|x| built by hand: Linear(1, 2) -> ReLU -> Linear(2, 1), no biases.

        hidden = relu([x, -x])                   W1 = [[1, -1]]
        y = hidden[0] + hidden[1]                W2 = [[1], [1]]
          = relu(x) + relu(-x) = |x|

    Its output equals ``np.abs(x)`` bit for bit: multiplying by 1 or -1 and
    adding 0 are exact in floating point. Two pieces, slope -1 then 1:

    >>> pieces(exact_abs())
    [(-inf, 0.0, -1.0, 0.0), (0.0, inf, 1.0, 0.0)]
    """
    return Sequential(Linear.from_weights([[1.0, -1.0]]), ReLU(), Linear.from_weights([[1.0], [1.0]]))


def sawtooth(k: int) -> Sequential:
    """The tent map composed k times: k layers of 2 ReLUs, 2**k linear pieces on [0, 1].

    One tent, t(x) = 2 * relu(x) - 4 * relu(x - 0.5), rises from 0 to 1 and
    falls back on [0, 1]. Feeding it to itself folds [0, 1] twice as often
    each time, so k layers (2k units) give 2**k pieces. A one-hidden-layer
    net needs about 2**k units for that: n units make at most n + 1 pieces.
    This is the answer to "why deep, not wide".

    >>> breakpoints(sawtooth(3), 0, 1).tolist()
    [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875]
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
