"""Standardize and Unstandardize: data whose numbers do not fit the dtype is refused by column, never scaled to inf."""

import warnings

import numpy as np
import pytest

from tinynet import Sequential, Standardize, Unstandardize, mlp, standardized


def standardized_without_warnings(X, y, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a raw numpy RuntimeWarning is a failure too
        return standardized(mlp([X.shape[1], 4, 1], dtype=dtype, seed=0), X, y)


@pytest.mark.parametrize("X, dtype, message", [
    (np.linspace(0.0, 1e-45, 10)[:, None], np.float32,
     r"input column 0 has a spread \(std 3.19e-46\) below float32's smallest number 1.4e-45"),
    (np.array([[1.0, 1e308], [2.0, -1e308], [3.0, 0.0]]), np.float64,
     r"input column 1 has values too large to standardise \(up to 1e\+308: their squares overflow float64\)"),
    (np.array([[1e39], [0.0]]), np.float32, r"input column 0 has mean 5e\+38 and std 5e\+38, beyond float32's largest"),
], ids=["spread below float32", "squares overflow float64", "std beyond float32"])
def test_columns_that_do_not_fit_are_refused_by_name_and_reason(X, dtype, message):
    y = np.arange(len(X), dtype=float)[:, None]
    with pytest.raises(ValueError, match=message):
        standardized_without_warnings(X, y, dtype)
    with pytest.raises(ValueError, match=message.replace("input", "target")):
        standardized_without_warnings(y, X, dtype)


def test_a_tiny_spread_that_float32_holds_is_scaled_exactly():
    # x around 1e-40: std 2.9e-41 is a float32 subnormal; the model still maps the data to about [-1.7, 1.7]
    X = np.linspace(0.0, 1e-40, 200)[:, None]
    model = standardized_without_warnings(X, np.sin(X * 1e40), np.float32)
    scaled = model[0].forward(X.astype(np.float32))
    assert np.isfinite(scaled).all()
    np.testing.assert_allclose([scaled.min(), scaled.max()], [-1.7233, 1.7233], rtol=1e-3)


def test_scale_shift_refuses_to_overflow_and_computes_in_the_dtype_asked():
    layer = Standardize(np.array([5e-41], dtype=np.float32), np.array([2.9e-41], dtype=np.float32))
    with pytest.raises(ValueError, match="feature 0 has mean 5e-41 and std 2.9e-41, so 1 / std or mean / std "
                                         "overflows float32"):
        layer.scale_shift()  # 1 / 2.9e-41 = 3.4e40, beyond float32's 3.4e38: it used to be inf
    scale, shift = layer.scale_shift(np.float64)
    assert scale.dtype == np.float64
    np.testing.assert_allclose(scale, 1 / np.float64(np.float32(2.9e-41)))
    np.testing.assert_allclose(shift, -np.float64(np.float32(5e-41)) / np.float64(np.float32(2.9e-41)))
    scale, shift = Unstandardize(np.array([1.0]), np.array([2.0])).scale_shift(np.float32)
    assert scale.dtype == shift.dtype == np.float32 and (scale, shift) == (2.0, 1.0)


def test_bad_stats_are_refused_naming_the_feature():
    with pytest.raises(ValueError, match=r"Standardize needs finite mean and std > 0, but feature 1 has mean 0 "
                                         r"and std 0"):
        Standardize(np.array([0.0, 0.0]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="Unstandardize needs finite mean and std > 0, but feature 0 has mean inf"):
        Sequential(Unstandardize(np.array([np.inf]), np.array([1.0])))
