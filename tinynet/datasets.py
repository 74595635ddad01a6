"""Built-in datasets for the lesson: one input x, one target y, both (n, 1).

- "sin":      y = sin(x),  x over [-pi, pi]: curved, so no line can fit it
- "abs":      y = |x|,     x over [-1, 1]: one kink, exactly two ReLUs
- "linear":   y = 2x + 1,  x over [-1, 1]: what every net here can fit
- "sawtooth": y = three tent maps composed, x over [0, 1]: 8 linear pieces,
              easy for a deep ReLU net, hard for a shallow one (see ``sawtooth``)

x is evenly spaced, so plots read left to right; ``noise`` adds Gaussian
noise of that standard deviation to y, drawn from ``seed``.
"""

import numpy as np


def _tent(x: np.ndarray) -> np.ndarray:
    return np.where(x < 0.5, 2 * x, 2 - 2 * x)


DATASETS = {
    "sin": ((-np.pi, np.pi), np.sin),
    "abs": ((-1.0, 1.0), np.abs),
    "linear": ((-1.0, 1.0), lambda x: 2 * x + 1),
    "sawtooth": ((0.0, 1.0), lambda x: _tent(_tent(_tent(x)))),
}


def make_dataset(name: str, n: int = 512, *, noise: float = 0.0, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Return (X, y), both float64 of shape (n, 1), for the dataset ``name``."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}: choose one of {', '.join(DATASETS)}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    (lo, hi), f = DATASETS[name]
    X = np.linspace(lo, hi, n).reshape(-1, 1)
    y = f(X)
    if noise:
        y = y + np.random.default_rng(seed).normal(0.0, noise, size=y.shape)
    return X, y
