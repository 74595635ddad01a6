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
from .sequential import model_dtype


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

    def scale_shift(self) -> tuple[np.ndarray, np.ndarray]:
        """The same map written as x * scale + shift, for code that composes affine maps."""
        return 1 / self.std, -self.mean / self.std

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

    def scale_shift(self) -> tuple[np.ndarray, np.ndarray]:
        """The same map written as x * scale + shift."""
        return self.std, self.mean

    def __repr__(self) -> str:
        return f"Unstandardize(features={self.mean.size})"


def standardized(net, X: np.ndarray, y: np.ndarray, *, targets: bool = True):
    """Return ``net`` wrapped in the scaling that standardises X (and y) as given.

    The result, Sequential(Standardize, *net.layers, Unstandardize), shares
    net's layers and works in the data's own units. Train it through
    ``split_scaling``. A feature with zero variance gets std 1, so it is only
    centred. With ``targets=False`` only the inputs are scaled (probabilities
    for a sigmoid output must stay as they are).
    """
    dtype = model_dtype(net)
    layers = [Standardize(*_mean_std(X, dtype)), *net.layers]
    if targets:
        layers.append(Unstandardize(*_mean_std(y, dtype)))
    return type(net)(*layers)


def _mean_std(data: np.ndarray, dtype) -> tuple[np.ndarray, np.ndarray]:
    mean, std = data.mean(axis=0), data.std(axis=0)
    std[std == 0] = 1
    return mean.astype(dtype), std.astype(dtype)


def split_scaling(model, X: np.ndarray, y: np.ndarray):
    """Return (net, X_scaled, y_scaled): the model without its scaling layers, and
    the data in the units ``net`` works in. Training ``net`` on them trains ``model``.
    """
    layers = list(model.layers)
    if layers and isinstance(layers[0], Standardize):
        X = layers.pop(0).forward(X)
    if layers and isinstance(layers[-1], Unstandardize):
        last = layers.pop()
        y = (y - last.mean) / last.std
    return type(model)(*layers), X, y
