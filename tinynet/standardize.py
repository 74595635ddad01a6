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

from .engine import Module
from .model import model_dtype


def _check_stats(mean, std, name: str) -> tuple[np.ndarray, np.ndarray]:
    mean = np.asarray(mean)
    if not np.issubdtype(mean.dtype, np.floating):
        mean = mean.astype(np.float64)
    std = np.asarray(std, dtype=mean.dtype)
    if mean.ndim != 1 or std.shape != mean.shape:
        raise ValueError(f"{name} needs 1-D mean and std of one shape, got {mean.shape} and {std.shape}")
    bad = ~(np.isfinite(mean) & np.isfinite(std) & (std > 0))
    if bad.any():
        j = int(np.argmax(bad))
        raise ValueError(f"{name} needs finite mean and std > 0, but feature {j} has mean {mean[j]:.3g} "
                         f"and std {std[j]:.3g}")
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

    def scale_shift(self, dtype=None) -> tuple[np.ndarray, np.ndarray]:
        """The same map written as x * scale + shift, for code that composes affine maps.

        Computed in ``dtype`` (default: the layer's own). scale = 1 / std can
        overflow where the layer's own division does not: a float32 std of
        3e-41 (data around 1e-40) gives 3e40, beyond float32's 3.4e38. Then
        this raises ValueError naming the feature, rather than return inf;
        ``pieces`` asks for float64, where it fits.
        """
        mean, std = self.mean.astype(dtype or self.mean.dtype), self.std.astype(dtype or self.std.dtype)
        with np.errstate(over="ignore"):
            scale, shift = 1 / std, -mean / std
        overflows = ~(np.isfinite(scale) & np.isfinite(shift))
        if overflows.any():
            j = int(np.argmax(overflows))
            raise ValueError(f"Standardize: feature {j} has mean {mean[j]:.3g} and std {std[j]:.3g}, so "
                             f"1 / std or mean / std overflows {std.dtype}: this scaling cannot be "
                             "written as x * scale + shift in that dtype (float64 holds up to 1.8e308)")
        return scale, shift

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

    def scale_shift(self, dtype=None) -> tuple[np.ndarray, np.ndarray]:
        """The same map written as x * scale + shift, in ``dtype`` (default: the layer's own)."""
        dtype = dtype or self.std.dtype
        return self.std.astype(dtype, copy=False), self.mean.astype(dtype, copy=False)

    def __repr__(self) -> str:
        return f"Unstandardize(features={self.mean.size})"


def standardized(net, X: np.ndarray, y: np.ndarray, *, targets: bool = True):
    """Return ``net`` wrapped in the scaling that standardises X (and y) as given.

    The result, Sequential(Standardize, *net.layers, Unstandardize), shares
    net's layers and works in the data's own units. Train it through
    ``split_scaling``. A feature with zero variance gets std 1, so it is only
    centred. With ``targets=False`` only the inputs are scaled (probabilities
    for a sigmoid output must stay as they are). A column whose mean or std
    does not fit the net's dtype is refused with a ValueError naming it.
    """
    dtype = model_dtype(net)
    layers = [Standardize(*_mean_std(X, dtype, "input")), *net.layers]
    if targets:
        layers.append(Unstandardize(*_mean_std(y, dtype, "target")))
    return type(net)(*layers)


def _mean_std(data: np.ndarray, dtype, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Each column's mean and std (1 where it is 0 but for rounding) in ``dtype``, or a ValueError naming the column
    whose numbers do not fit: values whose squares overflow float64, a std beyond float32's range,
    or a spread too small for it (x around 1e-46 is 0 in float32)."""
    with np.errstate(over="ignore", invalid="ignore"):
        mean, std = data.mean(axis=0), data.std(axis=0)
        # a column of one repeated value has std 0, or only the rounding of its mean (n * eps * |mean|, as
        # scikit-learn's StandardScaler judges it): 1 / 6.6e-16 made a held-out 37.9 into 6e16
        std[std <= len(data) * np.finfo(std.dtype).eps * np.abs(mean)] = 1
        mean_d, std_d = mean.astype(dtype), std.astype(dtype)
    for j in range(mean.size):
        where = f"{what} column {j}"
        if not (np.isfinite(mean[j]) and np.isfinite(std[j])):
            raise ValueError(f"{where} has values too large to standardise (up to {np.abs(data[:, j]).max():.3g}: "
                             "their squares overflow float64): rescale it, dividing by a power of 10")
        if not (np.isfinite(mean_d[j]) and np.isfinite(std_d[j])):
            raise ValueError(f"{where} has mean {mean[j]:.3g} and std {std[j]:.3g}, beyond {np.dtype(dtype)}'s "
                             f"largest number {np.finfo(dtype).max:.3g}: rescale it or train in float64")
        if std_d[j] == 0:
            raise ValueError(f"{where} has a spread (std {std[j]:.3g}) below {np.dtype(dtype)}'s smallest number "
                             f"{np.finfo(dtype).smallest_subnormal:.3g}: rescale it, multiplying by a power "
                             "of 10, or train in float64")
    return mean_d, std_d


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


def scaled_for_training(net, X: np.ndarray, y: np.ndarray, *, standardize: bool = True, targets: bool = True):
    """(model, X_train, y_train): ``net`` wrapped in the scaling of (X, y) (``net`` itself without
    ``standardize``), and the data in the units ``net`` works in. Training ``net`` on them trains ``model``,
    which takes and gives the data's own units. ``targets=False`` scales the inputs only."""
    model = standardized(net, X, y, targets=targets) if standardize else net
    return (model, *split_scaling(model, X, y)[1:])
