"""mlp: build a multi-layer perceptron from a list of layer sizes.

The one constructor the lesson needs: the same sizes with a different
activation give the identity net (linear regression in disguise), the ReLU
net (piecewise linear) and the sigmoid net (smooth) that ``compare`` puts
side by side. For a hand-built net, put layers in a ``Sequential`` yourself.
"""

import itertools
from collections.abc import Sequence

import numpy as np

from .activations import ACTIVATIONS, get_activation
from .init import INITS
from .linear import Linear
from .sequential import Sequential
from .validate import float_dtype, positive_int

# He init compensates for the half of the signal a rectifier zeroes; the
# others pass it through about whole, which is what Glorot's scale assumes.
DEFAULT_INIT = {"relu": "he", "leaky_relu": "he", "identity": "xavier", "sigmoid": "xavier", "tanh": "xavier"}


def mlp(sizes: Sequence[int], activation: str = "relu", *, output_activation: str = "identity",
        init: str | None = None, seed=0, dtype=np.float64) -> Sequential:
    """A fully connected network: Linear, activation, Linear, activation, ..., Linear.

    ``mlp([1, 32, 32, 1], "relu")`` is Linear(1, 32), ReLU, Linear(32, 32),
    ReLU, Linear(32, 1): one input feature, two hidden layers of 32 units,
    one output. ``output_activation`` follows the last Linear unless it is
    "identity" (use "sigmoid" with ``BCELoss`` for probabilities).

    Shape: x: (N, sizes[0]) -> y: (N, sizes[-1]).

    Initialisation: ``init`` defaults to "he" for relu and leaky_relu (they
    zero about half of the signal, He et al. 2015 doubles the variance to make
    up for it) and "xavier" for identity, sigmoid and tanh (Glorot & Bengio
    2010 keep the variance of signals and gradients equal across layers).
    Weights come from ``np.random.default_rng(seed)``: the same seed gives
    bit-identical weights.
    """
    if isinstance(sizes, np.ndarray):
        sizes = sizes.tolist()
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer sizes, like [1, 32, 1], got {sizes!r}")
    sizes = [positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes)]
    get_activation(activation)  # fail early, with the list of choices
    if output_activation not in ACTIVATIONS:
        raise ValueError(f"unknown output_activation {output_activation!r}: choose one of {', '.join(ACTIVATIONS)}")
    if init is not None and init not in INITS:
        raise ValueError(f"init must be one of {', '.join(INITS)}, got {init!r}")
    dtype = float_dtype(dtype)
    rng = np.random.default_rng(seed)
    layers = []
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        last = i == len(sizes) - 2
        act = output_activation if last else activation
        layers.append(Linear(fan_in, fan_out, init=init or DEFAULT_INIT[activation], rng=rng, dtype=dtype))
        if not last or act != "identity":
            layers.append(get_activation(act))
    return Sequential(*layers)
