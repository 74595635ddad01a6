"""Arguments are checked where they enter, and refusals name the argument, the rule and the value.

One table of bad calls, each with the fragments its ValueError must contain,
then the values at the edge of each rule, which must be accepted.
"""

import warnings

import numpy as np
import pytest

from tinynet import Linear, fast, fit, mlp, predict
from tinynet.checks import check_columns


def model(dtype=np.float64):
    return mlp([2, 3, 1], seed=0, dtype=dtype)  # expects 2 features, gives 1 output


X = np.arange(10.0).reshape(5, 2)  # (5, 2)
y = np.arange(5.0).reshape(5, 1)  # (5, 1)


def with_nan(array, row=2, column=0, value=np.nan):
    array = array.copy()
    array[row, column] = value
    return array


BAD_CALLS = [
    # (name, the call, fragments of the message: argument, rule, value)
    # hyperparameters of the model
    ("mlp hidden size 0", lambda: mlp([2, 0, 1]), ["sizes[1]", "integer >= 1", "got 0"]),
    ("mlp negative size", lambda: mlp([2, 4, -3]), ["sizes[2]", "integer >= 1", "got -3"]),
    ("mlp fractional size", lambda: mlp([2, 2.5, 1]), ["sizes[1]", "integer >= 1", "got 2.5"]),
    ("mlp boolean size", lambda: mlp([2, True, 1]), ["sizes[1]", "integer >= 1", "got True"]),
    ("mlp one size", lambda: mlp([2]), ["sizes", "at least two", "got [2]"]),
    ("mlp size 0", lambda: mlp([0, 2]), ["sizes[0]", "integer >= 1", "got 0"]),
    ("mlp size -1", lambda: mlp([2, -1]), ["sizes[1]", "integer >= 1", "got -1"]),
    ("mlp fractional size", lambda: mlp([2.0, 1]), ["sizes[0]", "integer >= 1", "got 2.0"]),
    # hyperparameters of the optimizers
    ("SGD lr 0", lambda: fast.SGD(model().parameters(), lr=0), ["lr", "> 0", "got 0"]),
    ("SGD negative lr", lambda: fast.SGD(model().parameters(), lr=-0.1), ["lr", "> 0", "got -0.1"]),
    ("SGD NaN lr", lambda: fast.SGD(model().parameters(), lr=float("nan")), ["lr", "> 0", "got nan"]),
    ("SGD momentum 1", lambda: fast.SGD(model().parameters(), lr=0.1, momentum=1.0),
     ["momentum", "in [0, 1)", "got 1.0"]),
    ("SGD negative momentum", lambda: fast.SGD(model().parameters(), lr=0.1, momentum=-0.5),
     ["momentum", "in [0, 1)", "got -0.5"]),
    ("Adam lr 0", lambda: fast.Adam(model().parameters(), lr=0.0), ["lr", "> 0", "got 0.0"]),
    ("Adam infinite lr", lambda: fast.Adam(model().parameters(), lr=float("inf")), ["lr", "> 0", "got inf"]),
    ("Adam beta1 1", lambda: fast.Adam(model().parameters(), betas=(1.0, 0.999)), ["betas[0]", "in [0, 1)", "got 1.0"]),
    ("Adam negative beta2", lambda: fast.Adam(model().parameters(), betas=(0.9, -0.1)),
     ["betas[1]", "in [0, 1)", "got -0.1"]),
    ("Adam beta2 above 1", lambda: fast.Adam(model().parameters(), betas=(0.9, 1.5)), ["betas[1]", "in [0, 1)", "got 1.5"]),
    ("Adam one beta", lambda: fast.Adam(model().parameters(), betas=(0.9,)), ["betas", "a pair", "got (0.9,)"]),
    ("Adam eps 0", lambda: fast.Adam(model().parameters(), eps=0), ["eps", "> 0", "got 0"]),
    # hyperparameters of fit
    ("fit epochs 0", lambda: fit(model(), X, y, epochs=0), ["epochs", "integer >= 1", "got 0"]),
    ("fit fractional epochs", lambda: fit(model(), X, y, epochs=2.5), ["epochs", "integer >= 1", "got 2.5"]),
    ("fit batch_size 0", lambda: fit(model(), X, y, epochs=1, batch_size=0), ["batch_size", "integer >= 1", "got 0"]),
    ("fit negative batch_size", lambda: fit(model(), X, y, epochs=1, batch_size=-4),
     ["batch_size", "integer >= 1", "got -4"]),
    ("fit lr 0", lambda: fit(model(), X, y, epochs=1, lr=0), ["lr", "> 0", "got 0"]),
    ("fit negative lr", lambda: fit(model(), X, y, epochs=1, lr=-1e-3), ["lr", "> 0", "got -0.001"]),
    # data
    ("fit 1-D X", lambda: fit(model(), X[:, 0], y, epochs=1), ["X must be 2-D", "(5,)", "X.reshape(-1, 1)"]),
    ("fit 1-D y", lambda: fit(model(), X, y[:, 0], epochs=1), ["y must be 2-D", "(5,)", "y.reshape(-1, 1)"]),
    ("fit 3-D X", lambda: fit(model(), X.reshape(5, 2, 1), y, epochs=1), ["X must be 2-D", "(5, 2, 1)"]),
    ("predict 1-D X", lambda: predict(model(), X[0]), ["X must be 2-D", "(2,)", "X.reshape(1, -1)"]),
    ("fit feature mismatch", lambda: fit(model(), np.ones((5, 3)), y, epochs=1),
     ["X has 3 features", "the model expects 2"]),
    ("predict feature mismatch", lambda: predict(model(), np.ones((4, 1))), ["X has 1 features", "the model expects 2"]),
    ("fit length mismatch", lambda: fit(model(), X, y[:4], epochs=1),
     ["X and y", "same number of rows", "got 5 and 4"]),
    ("fit object X", lambda: fit(model(), X.astype(object), y, epochs=1), ["X", "real numbers", "dtype object"]),
    ("fit object y", lambda: fit(model(), X, y.astype(object), epochs=1), ["y", "real numbers", "dtype object"]),
    ("fit string X", lambda: fit(model(), X.astype(str), y, epochs=1), ["X", "real numbers", "dtype <U"]),
    ("fit complex X", lambda: fit(model(), X + 0j, y, epochs=1), ["X", "real numbers", "dtype complex128"]),
    ("fit NaN in X", lambda: fit(model(), with_nan(X), y, epochs=1), ["X contains NaN or infinite"]),
    ("fit inf in y", lambda: fit(model(), X, with_nan(y, value=np.inf), epochs=1), ["y contains NaN or infinite"]),
    ("fit no rows", lambda: fit(model(), np.ones((0, 2)), np.ones((0, 1)), epochs=1), ["X has no rows", "(0, 2)"]),
]


@pytest.mark.parametrize("call, fragments", [case[1:] for case in BAD_CALLS], ids=[case[0] for case in BAD_CALLS])
def test_bad_argument_is_refused_with_a_message_that_names_it(call, fragments):
    with pytest.raises(ValueError) as caught:
        call()
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_edges_of_each_rule_are_accepted():
    # every rule's boundary value, on the allowed side
    mlp([1, 1])
    Linear(1, 1)
    fast.SGD(model().parameters(), lr=1e-12, momentum=0.0)
    fast.Adam(model().parameters(), lr=1e-12, betas=(0.0, 0.0))
    fast.Adam(model().parameters(), betas=(0.999999, 0.999999))
    fit(model(), X, y, epochs=1, batch_size=1, lr=1e-12)
    mlp([np.int64(2), np.int32(3), 1])  # numpy integers are integers


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_integer_data_is_converted_to_the_models_float_dtype(dtype):
    m = model(dtype)
    history = fit(m, X.astype(np.int64), y.astype(np.int32), epochs=3)
    assert len(history.loss) == 3
    prediction = predict(m, [[1, 2], [3, 4]])  # a list of lists of ints
    assert prediction.dtype == dtype and prediction.shape == (2, 1)
    np.testing.assert_array_equal(prediction, predict(m, np.array([[1.0, 2.0], [3.0, 4.0]])))


def test_arguments_are_not_changed_in_place():
    X_int, y_float32 = X.astype(np.int64), y.astype(np.float32)
    fit(model(), X_int, y_float32, epochs=2)
    assert X_int.dtype == np.int64 and y_float32.dtype == np.float32
    np.testing.assert_array_equal(X_int, X)


# ---- finite values a model cannot compute with: one message naming the column and the reason ----

EXTREME_COLUMNS = [
    # (name, column values, dtype, standardize, fragments)
    ("beyond float32", [1e39, 2.0, 3.0], np.float32, False, ["column 'x'", "holds 1e+39", "too large for float32"]),
    ("beyond float32, negative", [1.0, -5e38], np.float32, False, ["holds -5e+38", "too large for float32"]),
    ("variance overflows", [1e300, -1e300, 3.0], np.float64, True, ["cannot be standardised", "up to 1e+300"]),
    ("mean overflows", [1e308, 1.5e308, 3.0], np.float64, True, ["cannot be standardised", "too large"]),
    ("std rounds to zero in float32", [1e-46, 2e-46, 3e-46], np.float32, True,
     ["span only 2e-46", "too little for float32", "std rounds to 0"]),
    ("1 / std overflows in float32", [1e-40, 2e-40, 3e-40], np.float32, True,
     ["span only 2e-40", "too little for float32", "1 / std overflows"]),
    ("std rounds to zero in float64", [1e-320, 2e-320, 3e-320], np.float64, True,
     ["span only 2e-320", "too little for float64", "std rounds to 0"]),
]


@pytest.mark.parametrize("values, dtype, standardize, fragments", [case[1:] for case in EXTREME_COLUMNS],
                         ids=[case[0] for case in EXTREME_COLUMNS])
def test_extreme_columns_are_refused_by_name_without_numpy_warnings(values, dtype, standardize, fragments):
    table = np.column_stack([np.arange(len(values), dtype=float), values])  # column 'a' is fine
    with warnings.catch_warnings(), pytest.raises(ValueError) as caught:
        warnings.simplefilter("error")  # a raw RuntimeWarning would fail the test
        check_columns(table, "data.csv", dtype, names=["a", "x"], standardize=standardize)
    assert str(caught.value).startswith("data.csv: column 'x'")
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_columns_at_the_edge_are_accepted():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big32 = float(np.finfo(np.float32).max)
        check_columns(np.array([[big32], [-big32]]), "X", np.float32)
        check_columns(np.array([[1e150], [-1e150]]), "X", np.float64, standardize=True)
        check_columns(np.array([[7.0], [7.0]]), "X", np.float32, standardize=True)  # no spread: only centred
        check_columns(np.array([[1e-30], [3e-30]]), "X", np.float32, standardize=True)


def test_float32_data_too_large_is_named_not_called_infinite():
    X32 = np.array([[1.0, 2.0], [3.0, 1e39]])  # finite in float64, inf in float32
    with warnings.catch_warnings(), pytest.raises(ValueError, match="X, column 1 holds 1e.39, too large for float32"):
        warnings.simplefilter("error")
        predict(model(np.float32), X32)


# --- one set of checks for the API and the command line (issue 20, item 14) ---

def xor_data():
    import tinynet

    return tinynet.make_dataset("xor")


def test_fit_refuses_bce_on_a_model_without_a_sigmoid_output():
    X, y = xor_data()
    with pytest.raises(ValueError, match=r"loss 'bce' takes probabilities, but the model ends in Linear.*Sigmoid"):
        fit(mlp([2, 4, 1], "relu"), X, y, loss="bce", epochs=2)


def test_fit_refuses_bce_on_targets_outside_0_1():
    X, y = xor_data()
    with pytest.raises(ValueError, match=r"loss 'bce' needs targets in \[0, 1\].*got values from 0 to 2"):
        fit(mlp([2, 4, 1], "relu", output_activation="sigmoid"), X, 2 * y, loss="bce", epochs=2)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_fit_refuses_a_seed_numpy_would_not_take_in_its_own_words(seed):
    X, y = xor_data()
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0"):
        fit(mlp([2, 4, 1]), X, y, epochs=2, seed=seed)


def test_fit_refuses_data_whose_squares_overflow_instead_of_blaming_the_learning_rate():
    X, y = xor_data()
    with pytest.raises(ValueError, match=r"X holds values up to 9.97e\+199, too large to train on in float64"):
        fit(mlp([2, 4, 1]), X * 1e200, y, epochs=2)
    with pytest.raises(ValueError, match=r"y holds values up to 1e\+200"):
        fit(mlp([2, 4, 1]), X, y * 1e200, epochs=2)
