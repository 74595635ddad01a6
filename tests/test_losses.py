"""MSELoss and BCELoss: values by hand, gradients by central differences, edge cases."""

import math
import warnings

import numpy as np
import pytest

from tinynet import (
    BCELoss,
    Identity,
    Linear,
    MSELoss,
    Sequential,
    Sigmoid,
    fit,
    get_loss,
    gradcheck,
    mlp,
)


def test_mse_value_and_gradient_by_hand():
    prediction = np.array([[1.0], [2.0]])
    target = np.array([[0.0], [4.0]])
    loss = MSELoss()
    # ((1 - 0)**2 + (2 - 4)**2) / 2 = (1 + 4) / 2
    assert loss(prediction, target) == 2.5
    # 2 * (prediction - target) / 2 = [[1], [-2]]
    np.testing.assert_array_equal(loss.backward(), [[1.0], [-2.0]])


def test_mse_is_the_mean_over_all_elements():
    prediction = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    target = np.zeros((2, 3))
    loss = MSELoss()
    # (1 + 9) / 6 elements, not / 2 rows
    assert loss(prediction, target) == pytest.approx(10 / 6, abs=1e-15)
    np.testing.assert_allclose(loss.backward(), 2 * prediction / 6, rtol=0, atol=1e-15)


def test_mse_gradcheck():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    # With Identity as the model, the only gradient checked is MSELoss.backward.
    assert gradcheck(Identity(), X, y, loss=MSELoss()) < 1e-7
    assert gradcheck(Linear(3, 2, rng=1), X, y[:, :2], loss=MSELoss()) < 1e-7


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("outputs, target_shape", [(1, (4,)), (2, (4, 1)), (1, (4, 2))])
def test_mismatched_shapes_are_refused_where_targets_come_in(loss, outputs, target_shape):
    # numpy would broadcast (4, 1) against (4,) into a (4, 4) matrix and return a wrong loss: the losses
    # compute and nothing else, so fit refuses a target that is not shaped like the model's output
    model = mlp([1, 3, outputs], "relu", output_activation="sigmoid" if loss == "bce" else "identity")
    with pytest.raises(ValueError, match=r"y|target") as error:
        fit(model, np.zeros((4, 1)), np.zeros(target_shape), loss=loss, epochs=1)
    assert str(target_shape) in str(error.value) or "reshape" in str(error.value) or str(outputs) in str(error.value)


def test_bce_value_and_gradient_by_hand():
    p = np.array([[0.25], [0.5]])
    t = np.array([[0.0], [1.0]])
    loss = BCELoss()
    # -(log(1 - 0.25) + log(0.5)) / 2
    assert loss(p, t) == pytest.approx(-(math.log(0.75) + math.log(0.5)) / 2, abs=1e-15)
    # (p - t) / (p * (1 - p)) / 2: (0.25 / 0.1875) / 2 = 2/3, (-0.5 / 0.25) / 2 = -1
    np.testing.assert_allclose(loss.backward(), [[2 / 3], [-1.0]], rtol=0, atol=1e-15)


def test_bce_gradcheck_on_sigmoid_outputs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 3))
    y = rng.integers(0, 2, size=(6, 1)).astype(np.float64)
    model = Sequential(Linear(3, 1, rng=2), Sigmoid())
    predictions = model(X)
    assert 0.05 < predictions.min() and predictions.max() < 0.95  # away from the clipping at 0 and 1
    assert gradcheck(model, X, y, loss=BCELoss()) < 1e-7
    # Soft targets are allowed too; with Sigmoid alone the check covers BCELoss.backward.
    soft = rng.uniform(0.1, 0.9, size=(6, 3))
    assert gradcheck(Sigmoid(), X, soft, loss=BCELoss()) < 1e-7


def test_bce_is_finite_at_predictions_of_exactly_zero_and_one():
    p = np.array([[0.0], [1.0], [0.0], [1.0]])
    right = np.array([[0.0], [1.0], [0.0], [1.0]])
    wrong = 1 - right
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        loss = BCELoss()
        right_loss = loss(p, right)
        right_grad = loss.backward()
        wrong_loss = loss(p, wrong)
        wrong_grad = loss.backward()
    assert 0 <= right_loss < 1e-12
    assert math.isfinite(wrong_loss) and wrong_loss > 10
    assert np.isfinite(right_grad).all() and np.isfinite(wrong_grad).all()
    # A wrong prediction of 0 must be pushed up, a wrong 1 pushed down.
    assert wrong_grad[0, 0] < 0 < wrong_grad[1, 0]


@pytest.mark.parametrize("loss_cls", [MSELoss, BCELoss])
def test_backward_before_forward_is_a_clear_error(loss_cls):
    with pytest.raises(AttributeError, match="call forward before backward"):
        loss_cls().backward()


@pytest.mark.parametrize("loss_cls", [MSELoss, BCELoss])
def test_float32_gradient_stays_float32(loss_cls):
    p = np.array([[0.2], [0.7]], dtype=np.float32)
    t = np.array([[0.0], [1.0]], dtype=np.float32)
    loss = loss_cls()
    assert math.isfinite(loss(p, t))
    assert loss.backward().dtype == np.float32


def test_get_loss_by_name():
    assert isinstance(get_loss("mse"), MSELoss) and isinstance(get_loss("bce"), BCELoss)
    with pytest.raises(ValueError, match="mse"):
        get_loss("hinge")


def test_a_loss_subclass_is_called_through_its_own_forward():
    class Doubled(MSELoss):
        def forward(self, prediction, target):
            return 2 * super().forward(prediction, target)

    prediction, target = np.array([[1.0], [3.0]]), np.zeros((2, 1))
    assert Doubled()(prediction, target) == 2 * MSELoss()(prediction, target) == 10.0
