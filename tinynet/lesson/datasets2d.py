"""Two-input classification sets: points in the plane, labels 0.0 and 1.0.

- "xor":     four square clusters, one per quadrant, |x0|, |x1| in [0.1, 1];
             label 1 where the signs of x0 and x1 differ. No line separates
             the classes: the classic thing a linear model cannot do
- "circles": a ring of radius 0.5 (label 1) inside a ring of radius 1 (label 0)
- "moons":   two interleaved half circles, as scikit-learn's make_moons:
             (cos t, sin t) for label 0, (1 - cos t, 0.5 - sin t) for label 1,
             t in [0, pi]
- "spiral":  arms winding 1.5 turns out from the centre to radius 1, one
             per class, each turned 1 / classes of a turn from the next
- "blobs":   one round cluster per class (std 0.25), their centres evenly
             on the circle of radius 1: nearly separable by straight lines

Each generator takes (n, rng, classes) and returns clean points X (n, 2)
and labels (n,), taking turns 0, 1, ..., classes - 1, 0, 1, ... so any first
rows hold every class. xor, circles and moons have two classes; spiral and
blobs as many as asked (2 by default).
Where a point lies along its cluster, ring or arm is drawn from ``rng``;
``make_dataset`` then adds Gaussian ``noise`` to X (not to the labels), which
blurs the classes into each other. Reference: the same sets as TensorFlow
Playground and scikit-learn's make_circles and make_moons.
"""

import numpy as np

DEFAULT_N_2D = 256  # mlp([2, 16, 16, 1]) trains on it in well under a second
XOR_GAP = 0.1  # keeps every point this far from the axes, so the clusters do not touch
SPIRAL_TURNS = 1.5


def _labels(n: int, classes: int = 2) -> np.ndarray:
    return (np.arange(n) % classes).astype(np.float64)


def xor(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Four square clusters; label = (x0 > 0) xor (x1 > 0).

    >>> X, y = xor(4, np.random.default_rng(0))
    >>> (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(float).tolist() == y.tolist()
    True
    """
    label = _labels(n)
    first = np.where(np.arange(n) // 2 % 2 == 0, 1.0, -1.0)  # the quadrants take turns within each class
    second = np.where(label == 1, -first, first)
    X = rng.uniform(XOR_GAP, 1.0, size=(n, 2)) * np.stack([first, second], axis=1)
    return X, label


def circles(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Label 0 on the circle of radius 1, label 1 on the circle of radius 0.5."""
    label = _labels(n)
    angle = rng.uniform(0.0, 2 * np.pi, size=n)
    radius = np.where(label == 1, 0.5, 1.0)
    return radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1), label


def moons(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two half circles, each reaching into the other's hollow."""
    label = _labels(n)
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    return np.where(label[:, None] == 1, lower, upper), label


def spiral(n: int, rng: np.random.Generator, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """One arm per class: r = t, angle = 2 pi * (1.5 t + label / classes), t in [0, 1]."""
    label = _labels(n, classes)
    t = rng.uniform(0.0, 1.0, size=n)
    angle = 2 * np.pi * (SPIRAL_TURNS * t + label / classes)
    return t[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1), label


def blobs(n: int, rng: np.random.Generator, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """One cluster per class, normal with std 0.25 around (cos, sin)(2 pi * label / classes)."""
    label = _labels(n, classes)
    angle = 2 * np.pi * label / classes
    return np.stack([np.cos(angle), np.sin(angle)], axis=1) + rng.normal(0.0, 0.25, size=(n, 2)), label


DATASETS_2D = {"xor": xor, "circles": circles, "moons": moons, "spiral": spiral, "blobs": blobs}
MANY_CLASSES = ("spiral", "blobs")  # the sets that take classes > 2
