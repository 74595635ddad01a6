"""Built-in datasets for the lesson: one input x, one target y, both (n, 1).

- "sin":      y = sin(x),  x over [-pi, pi]: curved, so no line can fit it
- "abs":      y = |x|,     x over [-1, 1]: one kink, exactly two ReLUs
- "linear":   y = 2x + 1,  x over [-1, 1]: what every net here can fit
- "sawtooth": y = three tent maps composed, x over [0, 1]: 8 linear pieces,
              easy for a deep ReLU net, hard for a shallow one (see ``sawtooth``)
- "noisy_sin": y = sin(x) + noise of std 0.3, 64 points over [-pi, pi]: where
              more pieces fit the training points' noise, not the curve

x is evenly spaced, so plots read left to right; ``noise`` adds Gaussian
noise of that standard deviation to y, drawn from ``seed``.

``make_dataset`` also makes the two-input classification sets of
``DATASETS_2D`` ("xor", "circles", "moons", "spiral", "blobs", see
datasets2d.py): X (n, 2), y (n, 1) of the labels 0.0, 1.0, ... (spiral and
blobs take ``classes``). ``DATASETS`` keeps only the one-input sets.
"""

import numpy as np

from .datasets2d import DATASETS_2D, DEFAULT_N_2D, MANY_CLASSES


def _tent(x: np.ndarray) -> np.ndarray:
    return np.where(x < 0.5, 2 * x, 2 - 2 * x)


DATASETS = {
    "sin": ((-np.pi, np.pi), np.sin),
    "abs": ((-1.0, 1.0), np.abs),
    "linear": ((-1.0, 1.0), lambda x: 2 * x + 1),
    "sawtooth": ((0.0, 1.0), lambda x: _tent(_tent(_tent(x)))),
    "noisy_sin": ((-np.pi, np.pi), np.sin),
}
NOISY = {"noisy_sin": (64, 0.3)}  # the noisy sets' default n and noise


def make_dataset(name: str, n: int | None = None, *, noise: float | None = None,
                 seed=0, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Return (X, y) for the dataset ``name``, all float64.

    Shape: a one-input set (``DATASETS``): X (n, 1), y (n, 1), n = 512 by
    default; a classification set (``DATASETS_2D``): X (n, 2), y (n, 1) of
    0.0 and 1.0 (spiral and blobs: 0 ... classes - 1), n = 256 by default.
    ``noise`` is the standard deviation of Gaussian noise added to y (one
    input) or to X (two inputs, so the labels stay as they are), drawn from
    ``seed`` (default 0, and 0.3 for noisy_sin); the 2-D sets also draw
    where their points lie from ``seed``.

    >>> X, y = make_dataset("xor")
    >>> X.shape, y.shape, np.unique(y).tolist()
    ((256, 2), (256, 1), [0.0, 1.0])
    """
    if name not in DATASETS and name not in DATASETS_2D:
        raise ValueError(f"unknown dataset {name!r}: choose one of {', '.join([*DATASETS, *DATASETS_2D])}")
    if n is None:
        n = NOISY[name][0] if name in NOISY else 512 if name in DATASETS else DEFAULT_N_2D
    if noise is None:
        noise = NOISY[name][1] if name in NOISY else 0.0
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 2 \
            or (classes > 2 and name not in MANY_CLASSES):
        raise ValueError(f"classes must be an integer >= 2, and only {' and '.join(MANY_CLASSES)} take more than 2, "
                         f"got classes={classes!r} for {name!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    if name in DATASETS_2D:
        rng = np.random.default_rng(seed)
        X, label = DATASETS_2D[name](int(n), rng, *([int(classes)] if name in MANY_CLASSES else []))
        if noise:
            X = X + rng.normal(0.0, noise, size=X.shape)
        return X, label.reshape(-1, 1)
    (lo, hi), f = DATASETS[name]
    X = np.linspace(lo, hi, n).reshape(-1, 1)
    y = f(X)
    if noise:
        y = y + np.random.default_rng(seed).normal(0.0, noise, size=y.shape)
    return X, y
