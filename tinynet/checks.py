"""Checks for values entering tinynet from outside, with messages that name the fix.

Each check raises ``ValueError`` (or ``TypeError`` for a wrong kind of value)
naming the argument, the rule and the value received. They run where data
and settings come in (``fit``, ``predict``, constructors), not inside the
forward/backward hot path.
"""

import numbers

import numpy as np

from .engine import BCELoss, Sigmoid
from .model import input_features, layers_of, model_dtype, output_features


def as_batch(x, name: str = "X", *, features: int | None = None, dtype=None) -> np.ndarray:
    """Return ``x`` as a finite 2-D float array of shape (N, features).

    Integers are converted to float silently; objects, strings, complex
    numbers, 1-D and empty arrays, NaN and infinity are refused, and so are
    values beyond ``dtype``'s range (1e39 for float32). ``dtype`` (when given)
    is the float type to convert to, so a float32 model gets float32 data.
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
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values: remove or fill them first")
    if np.issubdtype(array.dtype, np.floating) and np.dtype(dtype).itemsize < array.itemsize:
        check_columns(array, name, dtype)  # a narrowing cast: 1e39 would become inf in float32
    return array.astype(dtype, copy=False)


def check_columns(table: np.ndarray, where: str, dtype=np.float64, *, names=None, standardize: bool = False) -> None:
    """Refuse finite values that a model of ``dtype`` cannot compute with, naming the column.

    ``table`` is (N, columns), finite; ``where`` names it in messages (a file,
    or "X"); ``names`` are the columns' names (else they are numbered). Refused:
    a value beyond ``dtype``'s range (1e39 in float32, which would become inf);
    and, with ``standardize``, a column whose mean or spread overflows float64
    (values near 1e154 square to inf), or whose values differ by too little for
    ``dtype`` (the std rounds to 0, or 1 / std overflows: 1e-40 apart in
    float32). A column of one repeated value is fine: standardising only
    centres it.
    """
    dtype = np.dtype(dtype)
    biggest = np.finfo(dtype).max
    with np.errstate(all="ignore"):  # overflow is what is being checked: no RuntimeWarning lines
        size = np.abs(table)
        largest = size.max(axis=0)  # (columns,)
        extreme = table[size.argmax(axis=0), np.arange(table.shape[1])]  # the largest, with its sign
        if standardize:
            mean, std = table.mean(axis=0), table.std(axis=0)  # in float64, as standardized() computes them
            std_in_dtype = std.astype(dtype)
            inverse = 1 / std_in_dtype  # in dtype, as Standardize.scale_shift computes it
    for j in range(table.shape[1]):
        column = f"{where}: column {names[j]!r}" if names is not None else f"{where}, column {j}"
        if largest[j] > biggest:
            raise ValueError(f"{column} holds {extreme[j]:.3g}, too large for {dtype} (at most {biggest:.3g}): "
                             f"rescale the column{' or use a float64 model' if dtype != np.float64 else ''}")
        if not standardize:
            continue
        if not (np.isfinite(mean[j]) and np.isfinite(std[j]) and largest[j] + abs(mean[j]) <= biggest):
            raise ValueError(f"{column} cannot be standardised: its values (up to {extreme[j]:.3g}) are too large "
                             "for their mean and spread to be computed without overflow: "
                             "divide the column by a power of 10")
        spread = table[:, j].max() - table[:, j].min()
        if spread > 0 and not (std_in_dtype[j] > 0 and np.isfinite(inverse[j])):
            reason = "1 / std overflows" if std_in_dtype[j] > 0 else "the std rounds to 0"
            raise ValueError(f"{column} cannot be standardised: its values span only {spread:.3g}, too little for "
                             f"{dtype} ({reason}): multiply the column by a power of 10")


def shown(text: str) -> str:
    """``text`` from a file (a column name in a model file or a CSV header) as it is safe to print: itself
    when every character is printable, else written as Python writes a string, in quotes with escapes
    (repr), so that an escape sequence or a newline in it is seen, never obeyed by the terminal (a name
    could clear the screen, or forge a line of output such as "parameters: 0").

    >>> shown("age"), shown("âge"), shown("a\\nparameters: 0"), shown("\\x1b[2J")
    ('age', 'âge', "'a\\\\nparameters: 0'", "'\\\\x1b[2J'")
    """
    return text if text.isprintable() else repr(text)


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


def non_negative_float(value, name: str) -> float:
    """Return ``value`` as a float if it is finite and >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
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


def checked_training_data(model, X, y, validation=None, *, labels: bool = False):
    """X, y (and the validation pair) as 2-D float arrays of the model's dtype, or a clear ValueError.

    With ``labels`` (softmax cross-entropy), y is one column of class labels 0 ... outputs - 1.
    """

    dtype, features = model_dtype(model), input_features(model)
    X = as_batch(X, "X", features=features, dtype=dtype)
    y = as_batch(y, "y", dtype=dtype)
    check_same_length(X, y)
    for array, name in ((X, "X"), (y, "y")):
        check_magnitude(array, name)
    outputs = output_features(model)
    if labels:
        check_labels(y, outputs, "y")
    elif outputs is not None and y.shape[1] != outputs:
        raise ValueError(f"y has {y.shape[1]} columns, but the model gives {outputs} output(s)")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise ValueError("validation must be a pair (X_val, y_val)")
        X_val = as_batch(validation[0], "X_val", features=features, dtype=dtype)
        y_val = as_batch(validation[1], "y_val", dtype=dtype)
        if labels:
            check_labels(y_val, outputs, "y_val")
        check_same_length(X_val, y_val, "X_val", "y_val")
        validation = (X_val, y_val)
    return X, y, validation


def not_labels(y: np.ndarray, classes: int | None) -> np.ndarray:
    """The values in y that are not class labels 0 ... classes - 1 (whole numbers; any number of classes for None)."""
    return y[(y != np.round(y)) | (y < 0) | (y >= (classes or np.inf))]


def check_labels(y: np.ndarray, classes: int | None, name: str) -> None:
    """Refuse targets that are not one column of class labels 0 ... classes - 1 (softmax cross-entropy)."""
    if y.shape[1] != 1:
        raise ValueError(f"{name} must be one column of class labels for cross-entropy, got {y.shape[1]} columns")
    wrong = not_labels(y, classes)
    if wrong.size:
        raise ValueError(f"{name} must hold the class labels 0 ... {(classes or 0) - 1} (the model's {classes} "
                         f"outputs, one logit a class), got {wrong[0]:g}")


def check_magnitude(array: np.ndarray, name: str) -> None:
    """Refuse values whose squares overflow the array's dtype: no loss or product could be computed from
    them, and training would only say that the loss became inf."""
    limit = float(np.sqrt(np.finfo(array.dtype).max)) * 1e-4  # float64: about 1e150; float32: about 2e15
    largest = float(np.abs(array).max())
    if largest > limit:
        raise ValueError(f"{name} holds values up to {largest:.3g}, too large to train on in {array.dtype} "
                         f"(their squares overflow beyond about {limit:.0e}): rescale them, e.g. with "
                         "tinynet.standardized, which keeps the scaling inside the model")


def check_loss(model, loss_fn, y: np.ndarray) -> None:
    """Refuse a loss that cannot mean anything for this model and these targets.

    Binary cross-entropy takes probabilities: the model must end in a Sigmoid
    and the targets lie in [0, 1] (a target of 2 drives the loss below 0 and
    on without bound).
    """
    if not isinstance(loss_fn, BCELoss):
        return
    last = layers_of(model)[-1]
    if not isinstance(last, Sigmoid):
        raise ValueError(f"loss 'bce' takes probabilities, but the model ends in {last!r}: end it with a Sigmoid "  # noqa: TRY004 (a bad setting, as every check here)
                         "(mlp(..., output_activation='sigmoid')), or use loss 'mse'")
    low, high = float(y.min()), float(y.max())
    if low < 0 or high > 1:
        raise ValueError(f"loss 'bce' needs targets in [0, 1] (probabilities or 0/1 labels), got values from "
                         f"{low:.3g} to {high:.3g}: use loss 'mse' for other targets")


def as_seed(seed):
    """A seed for np.random.default_rng: None, an integer >= 0 or a Generator; anything else is refused."""
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0 (or a numpy Generator), got {seed!r}")
    return int(seed)
