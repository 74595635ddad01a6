"""Checks for values entering tinynet from outside, with messages that name the fix.

Each check raises ``ValueError`` (or ``TypeError`` for a wrong kind of value)
naming the argument, the rule and the value received. They run where data
and settings come in (``fit``, ``predict``, constructors), not inside the
forward/backward hot path.
"""

import numbers

import numpy as np


def as_batch(x, name: str = "X", *, features: int | None = None, dtype=None) -> np.ndarray:
    """Return ``x`` as a finite 2-D float array of shape (N, features).

    Integers are converted to float silently; objects, strings, complex
    numbers, 1-D and empty arrays are refused. ``dtype`` (when given) is the
    float type to convert to, so a float32 model gets float32 data.
    """
    array = np.asarray(x)
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.floating)
        or np.issubdtype(array.dtype, np.integer)
        or array.dtype == bool
    ):
        raise ValueError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    if array.ndim == 1:
        raise ValueError(
            f"{name} must be 2-D (N, features), got 1-D shape {array.shape}: "
            f"use {name}.reshape(-1, 1) for one feature or {name}.reshape(1, -1) for one sample"
        )
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (N, features), got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} has no rows: shape {array.shape}")
    if features is not None and array.shape[1] != features:
        raise ValueError(
            f"{name} has {array.shape[1]} features, but the model expects {features}"
        )
    if dtype is None:
        dtype = array.dtype if np.issubdtype(array.dtype, np.floating) else np.float64
    array = array.astype(dtype, copy=False)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values: remove or fill them first")
    return array


def check_same_length(X: np.ndarray, y: np.ndarray, x_name: str = "X", y_name: str = "y") -> None:
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{x_name} and {y_name} must have the same number of rows, "
                         f"got {X.shape[0]} and {y.shape[0]}")


def positive_int(value, name: str) -> int:
    """Return ``value`` as an int if it is a whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def positive_float(value, name: str) -> float:
    """Return ``value`` as a float if it is finite and > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a number > 0, got {value!r}")
    return float(value)


def unit_interval(value, name: str) -> float:
    """Return ``value`` as a float if it lies in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


def float_dtype(dtype) -> np.dtype:
    """Return ``dtype`` as a numpy float dtype (float32 or float64), or refuse it."""
    try:
        result = np.dtype(dtype)
    except TypeError:
        result = None
    if result not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return result
