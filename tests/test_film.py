"""KinkRecorder keeps, every so many epochs, what the model was; the film and the kink plot draw exactly that."""

import numpy as np
import pytest

import tinynet
from tinynet import KinkRecorder


def sin_run(every: int = 25, hidden=(8,), epochs: int = 200, **fit_options):
    """A standardised ReLU net trained on sin with a recorder, and beside it the truth measured live at every epoch."""
    X, y = tinynet.make_dataset("sin", 128)
    X, y = X * 3 + 10, y * 2  # away from the standardised scale: the kinks are in these units
    net = tinynet.mlp([1, *hidden, 1], seed=1)
    model = tinynet.standardized(net, X, y)
    _, X_fit, y_fit = tinynet.split_scaling(model, X, y)
    lo, hi = float(X.min()), float(X.max())
    recorder = KinkRecorder(model, every=every, lo=lo, hi=hi)
    live = {0: (tinynet.breakpoints(model, lo, hi), model(X))}

    def both(epoch, loss):
        recorder(epoch, loss)
        live[epoch] = (tinynet.breakpoints(model, lo, hi), model(X))

    history = tinynet.fit(net, X_fit, y_fit, epochs=epochs, callback=both, **fit_options)
    recorder.finish(history)
    return recorder, history, live, (X, y)


def test_the_kinks_recorded_at_an_epoch_are_the_breakpoints_of_the_model_then():
    recorder, _, live, (X, _) = sin_run()
    assert [s.epoch for s in recorder.snapshots] == list(range(0, 201, 25))
    for snapshot in recorder.snapshots:
        breakpoints, prediction = live[snapshot.epoch]
        np.testing.assert_array_equal(snapshot.breakpoints, breakpoints)
        then = recorder.model_at(snapshot)
        np.testing.assert_array_equal(then(X), prediction)
        np.testing.assert_array_equal(tinynet.breakpoints(then, X.min(), X.max()), breakpoints)
    assert len({len(s.breakpoints) for s in recorder.snapshots}) + len({s.loss for s in recorder.snapshots}) > 2


def test_first_layer_kinks_are_each_units_own_and_the_ones_on_the_data_are_breakpoints():
    recorder, _, _, (X, _) = sin_run()
    for snapshot in recorder.snapshots:
        found = tinynet.hinges(recorder.model_at(snapshot))
        np.testing.assert_allclose(snapshot.kinks, [unit.kink for unit in found.units], rtol=1e-12)
        inside = [unit.kink for unit in found.units if X.min() < unit.kink < X.max() and unit.weight != 0]
        np.testing.assert_allclose(sorted(inside), snapshot.breakpoints, rtol=1e-12)


def test_a_snapshots_loss_is_the_loss_of_its_own_parameters():
    # constant rate, every epoch: training e epochs again reproduces the snapshot of epoch e
    recorder, history, _, _ = sin_run(every=40, epochs=120, lr_decay=1.0, patience=None)
    for snapshot in recorder.snapshots:
        expected = history.loss[snapshot.epoch] if snapshot.epoch < history.epochs else history.final_loss
        assert snapshot.loss == expected
        again, _, _, _ = sin_run(every=1000, epochs=max(snapshot.epoch, 1), lr_decay=1.0, patience=None)
        if snapshot.epoch:
            for mine, theirs in zip(snapshot.parameters, again.snapshots[-1].parameters):
                np.testing.assert_array_equal(mine, theirs)


def test_the_last_epoch_is_kept_when_it_is_not_a_multiple_of_every():
    recorder, history, _, _ = sin_run(every=7, epochs=50)
    assert recorder.snapshots[-1].epoch == history.epochs == 50
    assert recorder.snapshots[-2].epoch == 49
    assert recorder.snapshots[-1].loss == history.final_loss


def test_dead_is_off_for_every_x_of_the_data():
    X, y = tinynet.make_dataset("abs", 64)
    dying = 0
    for seed in range(6):
        model = tinynet.mlp([1, 6, 1], seed=seed)
        recorder = KinkRecorder(model, every=20, lo=X.min(), hi=X.max())
        recorder.finish(tinynet.fit(model, X, y, epochs=200, lr=0.1, callback=recorder))
        for snapshot in recorder.snapshots:
            hidden = recorder.model_at(snapshot)[:2](X)  # Linear, ReLU: (N, 6)
            np.testing.assert_array_equal(snapshot.dead, ~(hidden > 0).any(axis=0))
        dying += int(recorder.snapshots[-1].dead.sum() > recorder.snapshots[0].dead.sum())
    assert dying > 0  # some unit died during training, and was seen to


def test_model_at_leaves_the_model_alone():
    recorder, _, _, (X, _) = sin_run(epochs=60)
    now = recorder.model(X)
    recorder.model_at(recorder.snapshots[0])
    np.testing.assert_array_equal(recorder.model(X), now)


def test_a_model_with_two_inputs_keeps_parameters_only():
    model = tinynet.mlp([2, 4, 1], seed=0)
    recorder = KinkRecorder(model, every=5)
    X = np.random.default_rng(0).normal(size=(32, 2))
    recorder.finish(tinynet.fit(model, X, X[:, :1] * X[:, 1:], epochs=10, callback=recorder))
    assert [s.epoch for s in recorder.snapshots] == [0, 5, 10]
    assert all(s.kinks is None and s.dead is None and s.breakpoints is None for s in recorder.snapshots)
    assert not np.array_equal(recorder.snapshots[0].parameters[0], recorder.snapshots[-1].parameters[0])


@pytest.mark.parametrize("options, fragment", [({"every": 0}, "every must be"), ({"lo": 1, "hi": 1}, "lo < hi")])
def test_bad_recorder_options_are_one_line(options, fragment):
    with pytest.raises(ValueError, match=fragment) as error:
        KinkRecorder(tinynet.mlp([1, 2, 1]), **options)
    assert "\n" not in str(error.value)
