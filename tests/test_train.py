"""fit: argument checks, mini-batches, history, float32, determinism, divergence."""

import math

import numpy as np
import pytest

from tinynet import (
    SGD,
    Adam,
    BCELoss,
    History,
    Identity,
    MSELoss,
    Sequential,
    TinynetError,
    TrainingDiverged,
    fit,
    get_loss,
    make_dataset,
    mlp,
)
from tinynet.training import (
    check_data,
    check_not_diverged,
    divergence,
    losses_before,
    mean_loss,
    split_rows,
)


def line_data(n=12, seed=0):
    """y = 2x - 1 plus a little noise, x in [-1, 1]: (n, 1) each."""
    rng = np.random.default_rng(seed)
    X = np.linspace(-1, 1, n).reshape(-1, 1)
    return X, 2 * X - 1 + 0.05 * rng.normal(size=X.shape)


def params_of(model):
    return [p.data.copy() for p in model.parameters()]


# ---------------------------------------------------------------- arguments

X_GOOD, Y_GOOD = line_data()


def with_nan(y):
    y = y.copy()
    y[3, 0] = np.nan
    return y


@pytest.mark.parametrize("X, y, kwargs, fragment", [
    (X_GOOD.ravel(), Y_GOOD, {}, r"X.reshape\(-1, 1\)"),
    (np.hstack([X_GOOD, X_GOOD, X_GOOD]), Y_GOOD, {}, "3 features, but the model expects 1"),
    (X_GOOD, Y_GOOD.ravel(), {}, r"y.reshape\(-1, 1\)"),
    (X_GOOD, with_nan(Y_GOOD), {}, "y contains NaN"),
    (X_GOOD, Y_GOOD[:-2], {}, "same number of rows, got 12 and 10"),
    (X_GOOD, Y_GOOD, {"epochs": 0}, "epochs must be an integer >= 1, got 0"),
    (X_GOOD, Y_GOOD, {"lr": 0.0}, "lr must be a number > 0, got 0.0"),
    (X_GOOD, Y_GOOD, {"lr": -0.1}, "lr must be a number > 0, got -0.1"),
    (X_GOOD, Y_GOOD, {"batch_size": 0}, "batch_size must be an integer >= 1, got 0"),
    (X_GOOD.astype(object), Y_GOOD, {}, "X must hold real numbers"),
    (X_GOOD, Y_GOOD, {"loss": "hinge"}, "unknown loss 'hinge'"),
    (X_GOOD, Y_GOOD, {"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'"),
], ids=["1-D X", "feature count", "1-D y", "NaN in y", "lengths", "epochs=0", "lr=0", "lr<0", "batch_size=0",
        "object X", "loss name", "optimizer name"])
def test_fit_refuses_bad_arguments_with_a_message(X, y, kwargs, fragment):
    model = mlp([1, 4, 1], "relu")
    before = params_of(model)
    with pytest.raises(ValueError, match=fragment):
        fit(model, X, y, **{"epochs": 3, **kwargs})
    for p, b in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, b)  # refused before touching the model


def test_integer_X_is_converted_silently():
    X = np.arange(-4, 4).reshape(-1, 1)
    y = (0.5 * X).astype(np.float64)
    from_int = fit(mlp([1, 4, 1], "tanh"), X, y, lr=0.01, epochs=5)
    from_float = fit(mlp([1, 4, 1], "tanh"), X.astype(np.float64), y, lr=0.01, epochs=5)
    assert from_int.loss == from_float.loss


# ------------------------------------------------------------ training loop

def test_fit_learns_and_history_has_one_loss_per_epoch():
    X, y = line_data(20)
    history = fit(mlp([1, 8, 1], "tanh"), X, y, lr=0.05, epochs=150)
    assert isinstance(history, History)
    assert len(history.loss) == 150 and history.epochs == 150
    assert all(isinstance(value, float) for value in history.loss)
    assert history.loss[-1] < history.loss[0] / 20
    assert history.val_loss == []


def test_full_batch_history_records_the_loss_before_each_step():
    X, y = line_data()
    model = mlp([1, 4, 1], "relu")
    initial = MSELoss()(model(X), y)
    history = fit(model, X, y, optimizer="sgd", lr=0.01, epochs=3)
    assert history.loss[0] == initial


def test_callback_gets_every_epoch_and_its_loss():
    X, y = line_data()
    calls = []
    history = fit(mlp([1, 4, 1]), X, y, epochs=4, lr=0.01, callback=lambda e, loss: calls.append((e, loss)))
    assert calls == [(1, history.loss[0]), (2, history.loss[1]), (3, history.loss[2]), (4, history.loss[3])]


class Spy(Identity):
    """Passes x through, keeping a copy of every batch it sees."""

    def __init__(self):
        self.batches = []

    def forward(self, x):
        self.batches.append(x.copy())
        return x


class CountingSGD(SGD):
    def __init__(self, params, lr):
        super().__init__(params, lr)
        self.steps = 0

    def step(self):
        self.steps += 1
        super().step()


class RecordingMSE(MSELoss):
    """MSELoss that keeps every batch loss and the dtypes it was given."""

    def __init__(self):
        super().__init__()
        self.losses, self.dtypes = [], set()

    def forward(self, prediction, target):
        self.dtypes.update({prediction.dtype, target.dtype})
        value = super().forward(prediction, target)
        self.losses.append((value, len(prediction)))
        return value

    __call__ = forward

    def backward(self):
        grad = super().backward()
        self.dtypes.add(grad.dtype)
        return grad


def test_mini_batches_cover_every_sample_once_per_epoch_reshuffled():
    X, y = line_data(10)
    spy = Spy()
    net = mlp([1, 4, 1], "tanh")
    model = Sequential(spy, *net.layers)
    opt = CountingSGD(model.parameters(), lr=0.05)
    loss = RecordingMSE()
    history = fit(model, X, y, optimizer=opt, loss=loss, epochs=4, batch_size=3)

    assert opt.steps == 4 * 4  # ceil(10 / 3) = 4 steps per epoch
    assert len(history.loss) == 4
    sizes = [len(batch) for batch in spy.batches]
    # all of it before the first step (the loss divergence is judged from), then once more after the last: the
    # final loss of the returned model
    assert sizes == [10] + [3, 3, 3, 1] * 4 + [10]
    assert history.final_loss == pytest.approx(loss.losses[-1][0], rel=1e-12)
    epochs = [np.concatenate(spy.batches[1 + 4 * e:1 + 4 * e + 4]).ravel() for e in range(4)]
    for seen in epochs:
        np.testing.assert_array_equal(np.sort(seen), X.ravel())  # each sample exactly once
    assert not all(np.array_equal(epochs[0], seen) for seen in epochs[1:])  # a new order each epoch

    # An epoch's loss is the mean over its samples: batch losses weighted by batch size. (The first two
    # losses are the divergence rule's: the model's before any step, and always predicting the mean.)
    assert loss.losses[1][0] == pytest.approx(np.var(y), rel=1e-12)
    for e in range(4):
        batch = loss.losses[2 + 4 * e:2 + 4 * e + 4]
        assert history.loss[e] == pytest.approx(sum(v * n for v, n in batch) / 10, rel=1e-12)


def test_mini_batch_training_learns():
    X, y = line_data(32)
    history = fit(mlp([1, 8, 1], "tanh"), X, y, lr=0.02, epochs=40, batch_size=8)
    assert len(history.loss) == 40
    assert history.loss[-1] < history.loss[0] / 10


def test_validation_fills_val_loss():
    X, y = line_data(16)
    X_val, y_val = line_data(6, seed=1)
    model = mlp([1, 4, 1], "tanh")
    history = fit(model, X, y, lr=0.05, epochs=5, validation=(X_val, y_val))
    assert len(history.val_loss) == 5
    assert history.val_loss[-1] == get_loss("mse")(model(X_val), y_val)  # the model as trained, by fit's own loss
    assert history.val_loss[-1] < history.val_loss[0]


def test_optimizer_and_loss_can_be_instances():
    X, y = line_data()
    model = mlp([1, 4, 1])
    opt = Adam(model.parameters(), lr=0.01)
    history = fit(model, X, y, optimizer=opt, loss=MSELoss(), epochs=3)
    assert opt.t == 3 and len(history.loss) == 3


def test_bce_fit_on_a_separable_problem():
    X = np.linspace(-2, 2, 20).reshape(-1, 1)
    y = (X > 0).astype(np.float64)
    history = fit(mlp([1, 4, 1], "tanh", output_activation="sigmoid"), X, y, loss="bce", lr=0.05, epochs=60)
    assert history.loss[-1] < history.loss[0] / 2


# ----------------------------------------------------------------- float32

def test_float32_model_trains_in_float32_end_to_end():
    X, y = line_data(10)  # float64 data: fit converts it to the model's dtype
    model = mlp([1, 4, 1], "tanh", dtype=np.float32)
    expected_first = MSELoss()(model(X.astype(np.float32)), y.astype(np.float32))
    opt = Adam(model.parameters(), lr=0.01)
    loss = RecordingMSE()
    history = fit(model, X, y, optimizer=opt, loss=loss, epochs=3, validation=(X, y))
    # Every prediction, target and loss gradient fit handled was float32 ...
    assert loss.dtypes == {np.dtype(np.float32)}
    # ... so the first loss is exactly the float32 loss, not a float64 one.
    assert history.loss[0] == expected_first
    assert len(history.loss) == 3 and len(history.val_loss) == 3
    assert all(np.isfinite(history.loss)) and all(np.isfinite(history.val_loss))
    for p in model.parameters():
        assert p.data.dtype == np.float32 and p.grad.dtype == np.float32
    assert all(state.dtype == np.float32 for state in [*opt.m, *opt.v])
    assert model(X.astype(np.float32)).dtype == np.float32


def test_float32_model_with_sgd_momentum_and_mini_batches():
    X, y = line_data(10)
    model = mlp([1, 4, 1], "relu", dtype=np.float32)
    opt = SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss = RecordingMSE()
    fit(model, X.astype(np.int64), y, optimizer=opt, loss=loss, epochs=3, batch_size=4)
    assert loss.dtypes == {np.dtype(np.float32)}
    assert all(state.dtype == np.float32 for state in opt.velocity)
    assert all(p.data.dtype == np.float32 for p in model.parameters())


# ------------------------------------------------------------- determinism

def test_same_seed_gives_bit_identical_weights_and_loss_curves():
    X, y = line_data(16)
    a, b = mlp([1, 8, 8, 1], "relu", seed=3), mlp([1, 8, 8, 1], "relu", seed=3)
    for pa, pb in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(pa.data, pb.data)
    history_a = fit(a, X, y, lr=0.01, epochs=6, batch_size=5, seed=11)
    history_b = fit(b, X, y, lr=0.01, epochs=6, batch_size=5, seed=11)
    assert history_a.loss == history_b.loss
    for pa, pb in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(pa.data, pb.data)


def test_different_seeds_differ():
    X, y = line_data(16)
    assert not np.array_equal(mlp([1, 8, 1], seed=0).layers[0].weight.data,
                              mlp([1, 8, 1], seed=1).layers[0].weight.data)
    # Same start, different shuffling seed: the mini-batches and so the curves differ.
    first = fit(mlp([1, 8, 1], seed=0), X, y, lr=0.01, epochs=4, batch_size=5, seed=0)
    second = fit(mlp([1, 8, 1], seed=0), X, y, lr=0.01, epochs=4, batch_size=5, seed=1)
    assert first.loss != second.loss


def test_numpy_global_random_state_is_never_touched():
    X, y = line_data()
    np.random.seed(1234)
    state = np.random.get_state()
    fit(mlp([1, 4, 1], seed=5), X, y, lr=0.01, epochs=3, batch_size=4, seed=2)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]


# -------------------------------------------------------------- divergence

def test_huge_learning_rate_raises_training_diverged_and_keeps_the_model_finite():
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    y = np.sin(3 * X)
    model = mlp([1, 8, 1], "relu")
    # snapshots[k] holds the parameters epoch k + 1 starts from (full batch:
    # its loss is computed with them). The callback runs after each finite epoch.
    snapshots = [params_of(model)]

    def remember(epoch, loss):
        snapshots.append(params_of(model))

    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(TrainingDiverged) as error:
        fit(model, X, y, optimizer="sgd", lr=1e6, epochs=200, callback=remember)

    assert isinstance(error.value, TinynetError)
    assert "lower the learning rate" in str(error.value)
    assert len(snapshots) < 200
    # put back: the start of the last epoch whose loss was finite, not the
    # parameters after it (whose loss, in the next epoch, was not)
    for p, last_good in zip(model.parameters(), snapshots[-2]):
        assert np.isfinite(p.data).all()
        np.testing.assert_array_equal(p.data, last_good)
    assert np.isfinite(np.mean((model(X) - y) ** 2))


def test_a_finite_explosion_is_diverged_and_puts_back_the_model_that_came_in():
    """Issue 20: at lr 1000 with one sample per step the first epoch already explodes to an MSE of ~1e6,
    finite, and fit returned it; now the one rule (tinynet.training.divergence) refuses it."""
    X, y = make_dataset("sin")
    model = mlp([1, 32, 32, 1], "relu", seed=0)
    before = params_of(model)
    with pytest.raises(TrainingDiverged) as error:
        fit(model, X, y, lr=1000, batch_size=1, epochs=3)
    message = str(error.value)
    assert message.startswith("training diverged: the final training loss ")
    assert "it started from and over 2x that of always predicting the mean (0.499)" in message
    assert message.endswith(": lower the learning rate (lr was 1e+03)")
    for p, old in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, old)


def test_a_run_still_falling_from_a_poor_start_has_not_diverged():
    # targets near 100 and an unscaled net: after one epoch the loss (~1e4) is far over the mean's (~0.3), but
    # it fell: not yet trained, not exploded
    X, y = line_data(32)
    y = y + 100
    history = fit(mlp([1, 4, 1], "relu", seed=0), X, y, epochs=1)
    assert history.final_loss > 1000 * mean_loss(MSELoss(), y)


def test_a_fit_pushed_up_but_still_far_below_the_mean_has_not_diverged():
    # a converged fit trained on with a fresh Adam (a resume): its first step is about lr in size whatever the
    # gradient, so the loss goes up 18x, worse than where it started, yet far better than a constant
    X, y = line_data(64)
    model = mlp([1, 8, 1], "tanh", seed=0)
    fit(model, X, y, lr=0.05, epochs=500)
    start = MSELoss()(model(X), y)
    history = fit(model, X, y, lr=0.1, lr_decay=1.0, epochs=1)
    assert 10 * start < history.final_loss < mean_loss(MSELoss(), y) / 10


@pytest.mark.parametrize(("final", "start", "baseline", "diverged"), [
    (3.3e6, 1.24, 1.0, True),       # exploded inside the first epoch
    (6.5, 1.1, 1.0, True),          # ended 6.5x worse than the mean, from near it
    (math.inf, 1.0, 1.0, True),
    (math.nan, 1.0, 1.0, True),
    (1e4, 2e4, 1.0, False),         # still falling from a poor start
    (3e-4, 4e-6, 1.0, False),       # a converged fit pushed up by Adam's first steps after a resume
    (1.9, 1.0, 1.0, False),         # worse than at the start, but under twice the mean's
])
def test_the_divergence_rule(final, start, baseline, diverged):
    assert (divergence(final, start, baseline) is not None) == diverged


def test_the_baseline_is_always_predicting_the_mean():
    y = np.array([[0.0], [0.0], [0.0], [1.0]])  # a quarter ones: BCE's baseline is that frequency's entropy
    assert mean_loss(BCELoss(), y) == pytest.approx(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)))
    assert mean_loss(MSELoss(), y) == pytest.approx(np.var(y))


def test_fit_gives_a_passed_optimizer_back_with_its_learning_rate():
    model = mlp([1, 4, 1], "relu", seed=0)
    opt = Adam(model.parameters(), lr=0.02)
    X = np.linspace(-1, 1, 16).reshape(-1, 1)
    fit(model, X, X**2, optimizer=opt, epochs=5)
    assert opt.lr == 0.02


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"validation": (np.zeros((4, 1)),)}, "validation must be a pair"),
    ({"lr_decay": 2.0}, r"lr_decay must be in \(0, 1\]"),
])
def test_fit_refuses_a_malformed_validation_pair_and_a_growing_rate(kwargs, fragment):
    X = np.zeros((4, 1))
    with pytest.raises(ValueError, match=fragment):
        fit(mlp([1, 2, 1]), X, X, epochs=1, **kwargs)


def test_fit_names_y_when_its_columns_do_not_match_the_outputs():
    X = np.zeros((4, 1))
    with pytest.raises(ValueError, match=r"y has 2 columns, but the model gives 1 output"):
        fit(mlp([1, 2, 1]), X, np.zeros((4, 2)), epochs=1)


def test_mlp_takes_sizes_as_a_numpy_array():
    assert len(mlp(np.array([1, 8, 1]))) == 3


def test_fit_with_its_own_lr_still_gives_the_optimizer_back_its_own():
    model = mlp([1, 4, 1], "relu", seed=0)
    opt = Adam(model.parameters(), lr=0.1)
    X = np.linspace(-1, 1, 16).reshape(-1, 1)
    fit(model, X, X**2, optimizer=opt, lr=0.01, epochs=3)
    assert opt.lr == 0.1


def test_fit_refuses_an_optimizer_built_on_another_model():
    model, other = mlp([1, 4, 1], seed=0), mlp([1, 4, 1], seed=1)
    X = np.linspace(-1, 1, 8).reshape(-1, 1)
    with pytest.raises(ValueError, match="build it on model.parameters"):
        fit(model, X, X, optimizer=Adam(other.parameters()), epochs=1)


def test_a_run_stopped_early_is_judged_by_the_divergence_rule():
    # y = x on 4 points, judged as a run a signal stopped before fit could judge it
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = X.copy()
    net = mlp([1, 1], "identity", seed=0)
    for p in net.parameters():
        p.data[...] = 0.0  # predicts 0: the loss is the mean of y**2 = (0 + 1 + 4 + 9) / 4 = 3.5
    before = losses_before(net, X, y, "mse")
    assert before == (3.5, 1.25)  # and always predicting the mean 1.5 leaves y's variance, 1.25
    check_not_diverged(net, X, y, "mse", before, lr=0.1)  # unchanged: not diverged
    net.parameters()[0].data[...] = 100.0  # predicts 100 x: far above where it started and the mean's loss
    with pytest.raises(TrainingDiverged, match=r"^training diverged: the final training loss .* it started from "
                                               r".*: lower the learning rate \(lr was 0\.1\)$"):
        check_not_diverged(net, X, y, "mse", before, lr=0.1)


def test_split_rows_holds_out_a_seeded_fraction_in_the_rows_order():
    X = np.arange(10.0)[:, None]
    y = -X
    X_train, y_train, X_val, y_val = split_rows(X, y, 0.3, seed=1)
    assert (len(X_train), len(X_val)) == (7, 3)
    assert sorted([*X_train[:, 0], *X_val[:, 0]]) == list(range(10))  # every row once
    assert list(X_val[:, 0]) == sorted(X_val[:, 0]) and (y_val == -X_val).all()
    assert all((a == b).all() for a, b in zip(split_rows(X, y, 0.3, seed=1), (X_train, y_train, X_val, y_val)))
    assert split_rows(X, y, None, seed=1)[2:] == (None, None)
    with pytest.raises(ValueError, match=r"^0\.01 of 10 rows leaves no rows for training or validation$"):
        split_rows(X, y, 0.01, seed=1)


def test_check_data_names_the_file_and_the_column():
    X = np.array([[1.0, 1e200], [2.0, -1e200]])
    y = np.array([[0.0], [1.0]])
    check_data(X[:, :1], y, "people.csv", ["age"], "height")
    with pytest.raises(ValueError, match="wealth") as caught:
        check_data(X, y, "-", ["age", "wealth"], "height", dtype="float32")
    assert "<stdin>" in str(caught.value)
