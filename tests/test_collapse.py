"""Deep identity nets are one affine map; least squares is the best affine map."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinynet import (
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Standardize,
    Unstandardize,
    accuracy,
    collapse,
    fit,
    least_squares,
    make_dataset,
    mlp,
    standardized,
)


@given(depth=st.integers(2, 10), width=st.integers(1, 64), d_in=st.integers(1, 5),
       d_out=st.integers(1, 3), seed=st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_collapsed_model_computes_the_same_function(depth, width, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    model = mlp([d_in] + [width] * (depth - 1) + [d_out], "identity", seed=seed)
    for p in model.parameters():  # nonzero biases, so they are carried through too
        p.data[...] = rng.normal(size=p.data.shape)
    X = rng.normal(size=(50, d_in))
    expected = model(X)
    got = collapse(model)(X)
    assert got.shape == expected.shape
    scale = np.abs(expected).max()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12 * scale)


def test_collapse_multiplies_out_by_hand():
    # x -> 2x + 1 -> 3(2x + 1) - 1 = 6x + 2
    first, second = Linear(1, 1), Linear(1, 1)
    first.weight.data[...] = 2.0
    first.bias.data[...] = 1.0
    second.weight.data[...] = 3.0
    second.bias.data[...] = -1.0
    line = collapse(Sequential(first, second))
    assert line.weight.data[0, 0] == 6.0 and line.bias.data[0] == 2.0


def test_collapse_sees_through_standardisation():
    rng = np.random.default_rng(0)
    net = mlp([2, 4, 1], "identity", seed=1)
    model = Sequential(Standardize([1.0, -2.0], [2.0, 0.5]), *net.layers, Unstandardize([3.0], [4.0]))
    X = rng.normal(size=(20, 2))
    np.testing.assert_allclose(collapse(model)(X), model(X), rtol=1e-12, atol=1e-12)


def test_a_relu_is_refused_by_name_and_position():
    with pytest.raises(ValueError, match=r"layer 1 is ReLU\(\), which is not affine"):
        collapse(mlp([1, 4, 1], "relu"))
    with pytest.raises(ValueError, match=r"layer 1 is Sigmoid\(\), which is not affine"):
        collapse(mlp([1, 4, 1], "sigmoid", output_activation="sigmoid"))  # only the last one may be
    with pytest.raises(ValueError, match="layer 3 is ReLU"):
        collapse(Sequential(*mlp([1, 4, 1], "identity").layers, ReLU(), Sigmoid()))
    with pytest.raises(ValueError, match="at least one Linear layer"):
        collapse(Sequential(Sigmoid()))


# --- a final Sigmoid: logistic regression -------------------------------------------------------------


@given(depth=st.integers(1, 6), width=st.integers(1, 32), d_in=st.integers(1, 4), seed=st.integers(0, 2**31))
@settings(max_examples=30, deadline=None)
def test_an_identity_classifier_collapses_to_one_linear_and_its_sigmoid(depth, width, d_in, seed):
    rng = np.random.default_rng(seed)
    model = mlp([d_in] + [width] * (depth - 1) + [1], "identity", output_activation="sigmoid", seed=seed)
    for p in model.parameters():
        p.data[...] = rng.normal(size=p.data.shape)
    line = collapse(model)
    assert isinstance(line, Sequential) and len(line) == 2
    assert isinstance(line[0], Linear) and isinstance(line[1], Sigmoid)
    X = rng.normal(size=(50, d_in))
    # the logit x @ W + b is the model before its Sigmoid, multiplied out ...
    logit = Sequential(*model.layers[:-1])(X)
    scale = np.abs(logit).max()
    np.testing.assert_allclose(line[0](X), logit, rtol=0, atol=1e-12 * scale)
    # ... and the probabilities follow: the Sigmoid's slope is at most 1/4
    np.testing.assert_allclose(line(X), model(X), rtol=0, atol=0.25e-12 * scale)


def test_a_standardised_classifier_collapses_in_the_datas_units():
    X, y = make_dataset("moons", noise=0.2, seed=1)
    X = X * [3.0, 0.5] + [10.0, -4.0]
    model = standardized(mlp([2, 4, 1], "identity", output_activation="sigmoid", seed=1), X, y, targets=False)
    line = collapse(model)
    np.testing.assert_allclose(line(X), model(X), rtol=1e-12)
    assert accuracy(line, X, y) == accuracy(model, X, y)


def logistic_regression_without_penalty():
    """scikit-learn's unpenalised logistic regression, asked for the way its version understands."""
    sklearn = pytest.importorskip("sklearn")
    from sklearn.linear_model import LogisticRegression

    major, minor = (int(part) for part in sklearn.__version__.split(".")[:2])
    # penalty=None is deprecated from 1.8 on, which asks for C=inf instead (the penalty's weight is 1 / C)
    unpenalised = {"C": np.inf} if (major, minor) >= (1, 8) else {"penalty": None}
    return LogisticRegression(**unpenalised, tol=1e-12, max_iter=10_000)


@pytest.mark.parametrize("sizes", [[2, 8, 8, 1], [2, 16, 16, 1]])
def test_a_trained_identity_classifier_is_scikit_learns_logistic_regression(sizes):
    # noisy moons: no line separates them, so the best line is finite and unique
    X, y = make_dataset("moons", noise=0.2, seed=0)
    reference = logistic_regression_without_penalty().fit(X, y[:, 0])
    model = mlp(sizes, "identity", output_activation="sigmoid", seed=0)
    history = fit(model, X, y, loss="bce")
    assert history.settled  # measured: about 500 epochs, weights within 2e-8 of scikit-learn's
    line = collapse(model)[0]
    np.testing.assert_allclose(line.weight.data[:, 0], reference.coef_[0], rtol=0, atol=1e-3)
    np.testing.assert_allclose(line.bias.data, reference.intercept_, rtol=0, atol=1e-3)


def test_least_squares_recovers_a_noiseless_plane():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]]) + 4.0
    line = least_squares(X, y)
    np.testing.assert_allclose(line.weight.data, [[1.0], [-2.0], [0.5]], atol=1e-12)
    np.testing.assert_allclose(line.bias.data, [4.0], atol=1e-12)


def test_least_squares_handles_rank_deficient_X():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 1))
    X = np.hstack([x, 2 * x])  # the second column adds nothing
    y = 3 * x + 1
    line = least_squares(X, y)
    np.testing.assert_allclose(line(X), y, atol=1e-10)
    # lstsq picks the minimum-norm split of the slope 3 over the two columns: (0.6, 1.2)
    np.testing.assert_allclose(line.weight.data[:, 0], [0.6, 1.2], atol=1e-10)


def test_least_squares_is_the_best_affine_map():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 2))
    y = np.sin(X[:, :1]) + X[:, 1:] ** 2
    line = least_squares(X, y)
    best = np.mean((line(X) - y) ** 2)
    for _ in range(20):  # nudging the fit in any direction only makes it worse
        other = Linear(2, 1)
        other.weight.data[...] = line.weight.data + rng.normal(scale=0.01, size=(2, 1))
        other.bias.data[...] = line.bias.data + rng.normal(scale=0.01, size=1)
        assert np.mean((other(X) - y) ** 2) > best


def test_a_float32_scaling_whose_reciprocal_overflows_is_refused_not_collapsed_to_inf():
    # data around 1e-40 gives a float32 std of 2.9e-41, and the collapsed weight 1 / std = 3.4e40 is
    # beyond float32's largest number: collapse used to return a Linear of inf weights
    scaling = Standardize(np.array([5e-41], dtype=np.float32), np.array([2.9e-41], dtype=np.float32))
    model = Sequential(scaling, Linear.from_weights(np.array([[1.0]], dtype=np.float32)))
    with pytest.raises(ValueError, match="feature 0 has mean 5e-41 and std 2.9e-41, so 1 / std or mean / std "
                                         "overflows float32"):
        collapse(model)
