"""KinkRecorder keeps, every so many epochs, what the model was; the film and the kink plot draw exactly that."""

import itertools
import os

import numpy as np
import pytest
from test_cli import PNG_SIGNATURE, assert_error, ok, run, write_csv

import tinynet
import tinynet.draw.film
import tinynet.draw.kinks
from tinynet import KinkRecorder


def sin_run(every: int = 25, hidden=(8,), epochs: int = 200, **fit_options):
    """A standardised ReLU net trained on sin with a recorder, and beside it the truth measured live at every epoch."""
    X, y = tinynet.make_dataset("sin", 128)
    X, y = X * 3 + 10, y * 2  # away from the standardised scale: the kinks are in these units
    net = tinynet.mlp([1, *hidden, 1], seed=1)
    model = tinynet.standardized(net, X, y)
    _, X_fit, y_fit = tinynet.split_scaling(model, X, y)
    lo, hi = float(X.min()), float(X.max())
    recorder, live = KinkRecorder(model, every=every, lo=lo, hi=hi), {0: (tinynet.breakpoints(model, lo, hi), model(X))}

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
    assert len({s.loss for s in recorder.snapshots}) == len(recorder.snapshots)  # it learns: every loss differs
    np.testing.assert_array_equal(recorder.model(X), live[200][1])  # model_at left the model itself alone


def test_a_snapshots_loss_is_the_loss_of_its_own_parameters_and_the_last_epoch_is_kept():
    # at a constant rate, training e epochs again reproduces the snapshot of epoch e
    recorder, history, _, _ = sin_run(every=50, epochs=120, lr_decay=1.0, patience=None)
    assert [s.epoch for s in recorder.snapshots] == [0, 50, 100, 120]
    for snapshot in recorder.snapshots:
        expected = history.loss[snapshot.epoch] if snapshot.epoch < history.epochs else history.final_loss
        assert snapshot.loss == expected
        again, _, _, _ = sin_run(every=1000, epochs=max(snapshot.epoch, 1), lr_decay=1.0, patience=None)
        if snapshot.epoch:
            for mine, theirs in zip(snapshot.parameters, again.snapshots[-1].parameters):
                np.testing.assert_array_equal(mine, theirs)


def test_dead_is_off_for_every_x_of_the_data():
    X, y = tinynet.make_dataset("abs", 64)
    died = []
    for seed in range(6):
        model = tinynet.mlp([1, 6, 1], seed=seed)
        recorder = KinkRecorder(model, every=20, lo=X.min(), hi=X.max())
        recorder.finish(tinynet.fit(model, X, y, epochs=200, lr=0.1, callback=recorder))
        for snapshot in recorder.snapshots:  # model[:2] is Linear, ReLU: (N, 6)
            np.testing.assert_array_equal(snapshot.dead, ~(recorder.model_at(snapshot)[:2](X) > 0).any(axis=0))
        died.append(recorder.snapshots[-1].dead.sum() > recorder.snapshots[0].dead.sum())
    assert any(died)  # some unit died during training, and was seen to


def test_a_model_with_two_inputs_keeps_parameters_only():
    model, X = tinynet.mlp([2, 4, 1], seed=0), np.random.default_rng(0).normal(size=(32, 2))
    recorder = KinkRecorder(model, every=5)
    recorder.finish(tinynet.fit(model, X, X[:, :1] * X[:, 1:], epochs=10, callback=recorder))
    assert [s.epoch for s in recorder.snapshots] == [0, 5, 10]
    assert all(s.kinks is None and s.dead is None and s.breakpoints is None for s in recorder.snapshots)
    assert not np.array_equal(recorder.snapshots[0].parameters[0], recorder.snapshots[-1].parameters[0])


@pytest.mark.parametrize("options, fragment", [({"every": 0}, "every must be"), ({"lo": 1, "hi": 1}, "lo < hi")])
def test_bad_recorder_options_are_one_line(options, fragment):
    with pytest.raises(ValueError, match=fragment) as error:
        KinkRecorder(tinynet.mlp([1, 2, 1]), **options)
    assert "\n" not in str(error.value)


# --- the pictures: tinynet train --animate and --plot-kinks -------------------------------------------------------

@pytest.fixture
def spied(monkeypatch):
    """Train as the command does, measuring beside it at every epoch the net's breakpoints on the data, its first-
    layer kinks -b / w and which of those units are dead (run with --no-standardize, so net = model)."""
    truth, fit = {}, tinynet.fit

    def spy(net, X, y, callback=None, **options):
        def measure(epoch):  # after the command's own callback (and its recorder) at that epoch
            first = net.layers[0]
            truth[epoch] = (tinynet.breakpoints(net, X.min(), X.max()), -first.bias.data / first.weight.data[0],
                            ~(net.layers[1](first(X)) > 0).any(axis=0))

        measure(0)
        return fit(net, X, y, callback=lambda epoch, loss: (callback(epoch, loss), measure(epoch)), **options)

    monkeypatch.setattr(tinynet, "fit", spy)
    return truth


@pytest.fixture
def drawn(monkeypatch):
    """Each frame of the film as it is grabbed: its label and the breakpoint dots on it."""
    frames, grab = [], tinynet.draw.film._grab

    def spy(fig):
        ax = fig.axes[0]
        dots = next(line for line in ax.get_lines() if line.get_label() == "breakpoints")
        label = next(text.get_text() for text in ax.texts if text.get_text().startswith("epoch "))
        frames.append((int(label.split()[1]), np.asarray(dots.get_xdata(), dtype=float), label))
        return grab(fig)

    monkeypatch.setattr(tinynet.draw.film, "_grab", spy)
    return frames


def gif_frames(path) -> list[np.ndarray]:
    from PIL import Image, ImageSequence

    with Image.open(path) as image:  # a looping GIF
        assert image.format == "GIF" and image.info.get("loop") == 0
        return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)]


def test_the_film_draws_the_breakpoints_of_the_model_at_each_frames_epoch(tmp_path, spied, drawn):
    pytest.importorskip("matplotlib")
    ok("train", "--hidden", "8", "--epochs", "300", "--no-standardize", "--animate", tmp_path / "fit.gif")
    frames = gif_frames(tmp_path / "fit.gif")
    # snapshots spaced evenly in log(epoch) (0, 1, 2, ... then ever further apart), frames likewise among them
    assert 60 <= len(frames) == len(drawn) <= 100
    epochs = [e for e, _, _ in drawn]
    assert epochs == sorted(set(epochs)) and (epochs[0], epochs[-1]) == (0, 300) and epochs[:10] == list(range(10))
    gaps = np.diff(np.log1p([e for e in epochs if e >= 20]))  # past the first epochs, one apart
    assert gaps.max() < 3 * np.median(gaps)  # evenly in log(epoch): no long run of late, alike frames
    for epoch, dots, label in drawn:
        np.testing.assert_array_equal(dots, spied[epoch][0], err_msg=label)
        assert f"{len(dots) + 1} linear piece" in label
    assert not np.array_equal(drawn[0][1], drawn[-1][1])  # the kinks really move
    # the frames differ: the fit moves (a few late frames may look alike once it has settled)
    assert sum(not np.array_equal(a, b) for a, b in itertools.pairwise(frames)) >= 0.9 * (len(frames) - 1)
    assert frames[0].shape == frames[-1].shape == (300, 480, 3)


@pytest.mark.slow
def test_a_run_that_settles_long_before_its_epochs_still_gets_a_whole_film(tmp_path):
    # issue 20, item 16: --epochs 100000 settled at 2,325 epochs, and a film spaced over the 100,000 had 6 frames
    pytest.importorskip("matplotlib")
    result = ok("train", "--epochs", "100000", "--animate", tmp_path / "fit.gif")
    assert "100000 epochs" not in result.stdout  # it settled early
    assert 60 <= len(gif_frames(tmp_path / "fit.gif")) <= 120


@pytest.mark.slow
def test_the_default_film_has_60_to_120_frames_under_3_mb(tmp_path):
    pytest.importorskip("matplotlib")
    ok("train", "--animate", tmp_path / "fit.gif")
    frames = gif_frames(tmp_path / "fit.gif")
    assert 60 <= len(frames) <= 120
    assert os.path.getsize(tmp_path / "fit.gif") < 3_000_000
    assert not np.array_equal(frames[0], frames[-1])


def test_a_png_is_a_strip_of_six_frames_and_two_inputs_draw_prediction_against_target(tmp_path):
    image = pytest.importorskip("matplotlib") and pytest.importorskip("PIL.Image")
    data = write_csv(tmp_path / "two.csv", ["a", "b", "y"], np.random.default_rng(0).normal(size=(64, 3)))
    ok("train", "--data", data, "--hidden", "8", "--epochs", "60", "--animate", tmp_path / "strip.png")
    strip = np.asarray(image.open(tmp_path / "strip.png").convert("RGB"))
    tiles = [strip[r:r + 300, c:c + 480] for r in (0, 300) for c in (0, 480, 960)]
    assert strip.shape == (600, 1440, 3) and all(not np.array_equal(a, b) for a, b in itertools.pairwise(tiles))


def test_the_kink_plot_draws_each_units_kink_until_it_dies(tmp_path, spied, monkeypatch):
    pytest.importorskip("matplotlib")

    paths, kink_paths = [], tinynet.draw.kinks.kink_paths
    monkeypatch.setattr(tinynet.draw.kinks, "kink_paths", lambda recorder: paths.append(kink_paths(recorder)) or paths[-1])
    ok("train", "--data", "abs", "--hidden", "6", "--lr", "0.1", "--epochs", "600", "--seed", "2", "--no-standardize",
       "--plot-kinks", tmp_path / "kinks.png")
    assert (tmp_path / "kinks.png").read_bytes().startswith(PNG_SIGNATURE)
    ((epochs, kinks),) = paths
    # the first 100 epochs one by one, then spaced evenly in log(epoch) up to the last
    assert list(epochs[:101]) == list(range(101)) and epochs[-1] == 600
    assert 100 < len(epochs) < 200 and np.all(np.diff(epochs) > 0)
    for epoch, row in zip(epochs, kinks):
        _, truth, dead = spied[epoch]
        np.testing.assert_array_equal(np.isnan(row), dead)
        np.testing.assert_allclose(row[~dead], truth[~dead], rtol=1e-12)
    assert np.isnan(kinks[-1]).any() and not np.isnan(kinks[0]).all()  # some unit died on the way


@pytest.mark.parametrize("args, fragments", [
    (("--animate", "fit.jpg"), ["--animate", "cannot draw a .jpg file", ".gif, .png"]),
    (("--plot", "same.png", "--plot-kinks", "same.png"), ["same.png is also the --plot-kinks file"]),
    (("--activation", "sigmoid", "--plot-kinks", "kinks.png"), ["no kinks", "Sigmoid"]),
    (("--animate", "no/such/folder/fit.gif"), ["--animate", "does not exist"]),
    (("--data", "two.csv", "--plot-kinks", "kinks.png"), ["one input", "2 input columns"]),
])
def test_pictures_that_cannot_be_drawn_are_refused_before_training_in_one_line(tmp_path, monkeypatch, args, fragments):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    write_csv("two.csv", ["a", "b", "y"], np.random.default_rng(0).normal(size=(20, 3)))
    monkeypatch.setattr(tinynet, "fit", lambda *a, **k: pytest.fail("trained before refusing"))
    assert_error(run("train", "--epochs", "5", *args), 2, *fragments)
    assert os.listdir(tmp_path) == ["two.csv"]


def test_the_kink_plots_epoch_axis_reads_as_plain_numbers():
    pytest.importorskip("matplotlib")
    recorder, _, _, (X, _) = sin_run(every=1, epochs=120)
    fig = tinynet.draw.kinks.draw_kinks(recorder, X, "sin")
    fig.canvas.draw()
    labels = [label.get_text() for label in fig.axes[0].get_xticklabels() if label.get_text()]
    assert "0" in labels and "10" in labels and "100" in labels, labels  # not "$\mathdefault{0}$"
    assert not any("$" in label or "mathdefault" in label for label in labels), labels
