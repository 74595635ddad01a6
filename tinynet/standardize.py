"""Standardize and Unstandardize: fixed per-feature scalings kept inside a model.

Training works best on inputs and targets of about zero mean and unit
variance. Rather than asking every user of a model to remember the scaling,
tinynet puts it in the model itself: a network trained on standardised data
is saved as

    Sequential(Standardize(x_mean, x_std), *net, Unstandardize(y_mean, y_std))

so it takes and returns values in the original units. Both are affine and
have no trainable parameters: ``collapse`` and ``breakpoints`` see through them.
"""

import numpy as np

from .module import Module


def _check_stats(mean, std, name: str) -> tuple[np.ndarray, np.ndarray]:
    mean = np.asarray(mean)
    if not np.issubdtype(mean.dtype, np.floating):
        mean = mean.astype(np.float64)
    std = np.asarray(std, dtype=mean.dtype)
    if mean.ndim != 1 or std.shape != mean.shape:
        raise ValueError(f"{name} needs 1-D mean and std of one shape, got {mean.shape} and {std.shape}")
    if not (np.isfinite(mean).all() and np.isfinite(std).all() and (std > 0).all()):
        raise ValueError(f"{name} needs finite mean and std > 0")
    return mean, std


class Standardize(Module):
    """y = (x - mean) / std, feature by feature.  dL/dx = grad_output / std.

    Shape: x: (N, D) -> y: (N, D); mean and std: (D,). No parameters.
    """

    def __init__(self, mean, std):
        self.mean, self.std = _check_stats(mean, std, "Standardize")
        self.in_features = self.mean.size

    def forward(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.std

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output / self.std

    def __repr__(self) -> str:
        return f"Standardize(features={self.mean.size})"


class Unstandardize(Module):
    """y = x * std + mean, feature by feature: undoes Standardize.  dL/dx = grad_output * std.

    Shape: x: (N, D) -> y: (N, D); mean and std: (D,). No parameters.
    """

    def __init__(self, mean, std):
        self.mean, self.std = _check_stats(mean, std, "Unstandardize")

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x * self.std + self.mean

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * self.std

    def __repr__(self) -> str:
        return f"Unstandardize(features={self.mean.size})"


def standardized(net, X: np.ndarray, y: np.ndarray):
    """Wrap ``net`` so it is trained on scaled data but used in original units.

    Returns (model, X_scaled, y_scaled): train ``net`` on the scaled pair, then
    use ``model`` (which shares net's layers) on raw data. A feature with zero
    variance gets std 1, so it is only centred.
    """
    x_mean, x_std = X.mean(axis=0), X.std(axis=0)
    y_mean, y_std = y.mean(axis=0), y.std(axis=0)
    x_std[x_std == 0] = 1
    y_std[y_std == 0] = 1
    dtype = net.parameters()[0].data.dtype if net.parameters() else X.dtype
    cast = [a.astype(dtype) for a in (x_mean, x_std, y_mean, y_std)]
    model = type(net)(Standardize(cast[0], cast[1]), *net.layers, Unstandardize(cast[2], cast[3]))
    return model, ((X - x_mean) / x_std).astype(dtype), ((y - y_mean) / y_std).astype(dtype)


def split_scaling(model):
    """Return (net, leading Standardize or None, trailing Unstandardize or None)."""
    layers = list(model.layers)
    first = layers.pop(0) if layers and isinstance(layers[0], Standardize) else None
    last = layers.pop() if layers and isinstance(layers[-1], Unstandardize) else None
    return type(model)(*layers), first, last
