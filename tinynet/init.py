"""Weight initialisation: start each layer so signals neither vanish nor explode.

If every weight started equal, every unit in a layer would compute the same
thing forever; if they start too large or too small, activations grow or
shrink geometrically with depth. Both schemes below pick the scale of random
weights from the layer's size so that the variance of activations stays
about the same from layer to layer.

- ``xavier`` (Glorot & Bengio, 2010, "Understanding the difficulty of
  training deep feedforward neural networks"): uniform on [-a, a] with
  a = sqrt(6 / (fan_in + fan_out)), for activations that pass about as much
  signal as they receive: identity, tanh, sigmoid.
- ``he`` (He et al., 2015, "Delving Deep into Rectifiers"): normal with
  std = sqrt(2 / fan_in). A variance of 1 / fan_in would keep the signal's
  variance for a linear unit; ReLU zeroes about half its inputs, halving
  it, so the weights start sqrt(2) larger than that to make up for it.

Biases start small and random, uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)]
as in torch's nn.Linear. Zero would do to break the symmetry, but for a ReLU
unit the bias sets where it switches (at x = -b / w for one input): with zero
biases every first-layer unit would switch at x = 0, and training would first
have to spread the breakpoints out over the data. Random biases start them
spread: fitting sin takes about half as many steps.
"""

import numpy as np

INITS = ("he", "xavier")


def init_weight(fan_in: int, fan_out: int, init: str, rng: np.random.Generator, dtype) -> np.ndarray:
    """Return a random (fan_in, fan_out) weight matrix drawn by the named scheme."""
    if init == "he":
        weight = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
    elif init == "xavier":
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        weight = rng.uniform(-limit, limit, size=(fan_in, fan_out))
    else:
        raise ValueError(f"init must be one of {', '.join(INITS)}, got {init!r}")
    return weight.astype(dtype)


def init_bias(fan_in: int, fan_out: int, rng: np.random.Generator, dtype) -> np.ndarray:
    """Return a random (fan_out,) bias, uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)]."""
    limit = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-limit, limit, size=fan_out).astype(dtype)


def as_generator(rng) -> np.random.Generator:
    """Accept a Generator, an integer seed, or None (a fresh, unseeded generator)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a numpy Generator, an integer seed or None, got {rng!r}")
