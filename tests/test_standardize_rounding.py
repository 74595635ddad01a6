"""A column of one repeated value is only centred, even where numpy's std of it is not exactly 0.

numpy's std of 100 copies of 0.1 is 2.8e-17, the rounding of their mean, not
0. Standardize divided by it, so a new row of 0.2 became 3.6e15. Early
stopping meets this all the time: scikit-learn's digits has pixels lit in
one image of 1,438; StandardScaler makes that column 1,437 copies of -0.0264
and one 37.9, and with the 37.9 among the held-out rows the trained-on copies
had std 6.6e-16, the held-out loss 1e13, and the classifier 35 % accuracy.
"""

import numpy as np

from tinynet import mlp, standardized


def test_a_repeated_value_is_only_centred():
    X = np.column_stack([np.full(100, 0.1), np.linspace(-1, 1, 100)])
    assert X[:, 0].std() > 0  # the rounding this is about: 2.8e-17 here
    model = standardized(mlp([2, 4, 1], seed=0), X, np.zeros((100, 1)))
    scaled = model[0](np.array([[0.2, 0.0]]))
    assert abs(scaled[0, 0] - 0.1) < 1e-12  # centred, as a column of exact zeros' spread would be: 0.2 - 0.1


def test_a_small_real_spread_is_still_scaled():
    X = np.linspace(1.0, 1.0 + 1e-9, 100).reshape(-1, 1)  # a millionth of a millionth, far above rounding
    scaled = standardized(mlp([1, 4, 1], seed=0), X, np.zeros((100, 1)))[0](X)
    np.testing.assert_allclose(scaled.std(), 1.0, rtol=1e-6)
