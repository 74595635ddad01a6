"""mlp: build a multi-layer perceptron from a list of layer sizes.

The one constructor the lesson needs: the same sizes with a different
activation give the identity net (linear regression in disguise), the ReLU
net (piecewise linear) and the sigmoid net (smooth) that ``compare`` puts
side by side. For a hand-built net, put layers in a ``Sequential`` yourself.

Why W and b start uniform on +-1/sqrt(fan_in) (torch's nn.Linear) and not
He's normal: for a ReLU unit of the first layer the kink sits at x = -b / w,
and where the kinks start decides how fast a one-input net fits. He's
weights (std 1.4 for one input) against biases of at most 1 put almost
every kink inside [-1, 1]; equal ranges for w and b spread them over more
of the data. Measured on sin (512 points on [-pi, pi], [1, 32, 32, 1], Adam
0.01, seeds 0-4): a median of 62 steps to reach MSE 1e-3 from "uniform",
216 from "he". For deep ReLU stacks pass ``init="he"``. Random biases make
ReLU units start switching at different inputs; ``bias_init="zeros"`` puts
every first-layer kink at x = 0, from where gradient descent often ends
"essentially performing linear regression" (Holzmueller & Steinwart, 2020,
arXiv 2002.04861): ``tinynet seeds`` counts how often.
"""

import itertools
from collections.abc import Sequence

import numpy as np

from .checks import float_dtype, positive_int
from .engine import Sequential
from .fast import Linear, share_storage
from .kinds import ACTIVATIONS, get_activation

INITS = ("uniform", "he", "xavier")
BIAS_INITS = ("uniform", "zeros")


def mlp(sizes: Sequence[int], activation: str = "relu", *, output_activation: str = "identity",
        init: str = "uniform", bias_init: str = "uniform", seed=0, dtype=np.float64) -> Sequential:
    """A fully connected network: Linear, activation, Linear, activation, ..., Linear.

    ``mlp([1, 32, 32, 1], "relu")`` is Linear(1, 32), ReLU, Linear(32, 32),
    ReLU, Linear(32, 1): one input feature, two hidden layers of 32 units,
    one output. ``output_activation`` follows the last Linear unless it is
    "identity" (use "sigmoid" with ``BCELoss`` for probabilities).

    Shape: x: (N, sizes[0]) -> y: (N, sizes[-1]).

    Initialisation: ``init`` is "uniform" (W and b uniform on
    [-1/sqrt(fan_in), 1/sqrt(fan_in)], as torch's nn.Linear; it starts a
    one-input ReLU net's kinks spread over the data, see above),
    "he" or "xavier"; ``bias_init="zeros"`` starts every bias at 0.
    Weights come from ``np.random.default_rng(seed)``: the same seed gives
    bit-identical weights.

    >>> mlp([1, 4, 1], "relu")
    Sequential(
      (0): Linear(in_features=1, out_features=4, bias=True)
      (1): ReLU()
      (2): Linear(in_features=4, out_features=1, bias=True)
    )
    """
    if isinstance(sizes, np.ndarray):
        sizes = sizes.tolist()
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer sizes, like [1, 32, 1], got {sizes!r}")
    sizes = [positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes)]
    get_activation(activation)  # fail early, with the list of choices
    if output_activation not in ACTIVATIONS:
        raise ValueError(f"unknown output_activation {output_activation!r}: choose one of {', '.join(ACTIVATIONS)}")
    if init not in INITS:
        raise ValueError(f"init must be one of {', '.join(INITS)}, got {init!r}")
    if bias_init not in BIAS_INITS:
        raise ValueError(f"bias_init must be one of {', '.join(BIAS_INITS)}, got {bias_init!r}")
    dtype = float_dtype(dtype)
    rng = np.random.default_rng(seed)
    layers = []
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        last = i == len(sizes) - 2
        act = output_activation if last else activation
        layers.append(Linear(fan_in, fan_out, init=init, bias_init=bias_init, rng=rng, dtype=dtype))
        if not last or act != "identity":
            layers.append(get_activation(act))
    model = Sequential(*layers)
    # one flat vector for all parameters, made here before anyone holds them, so an optimizer
    # updates them all in a few operations without copying (see tinynet.fast.flat)
    share_storage(model.parameters())
    return model
