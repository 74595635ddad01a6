"""A stopped command says so in one line and exits 128 + the signal's number, whatever it was doing (issue 20).

In-process through click's CliRunner, with a real SIGINT that the process
sends itself at the moment under test (SIGTERM and SIGHUP, sent to a real
process, are in test_signals.py): ``seeds`` prints what it finished, a
drawing stops between its frames (never inside matplotlib), and click's own
"Aborted" and blank line never show.
"""

import contextlib
import json
import os
import signal

import numpy as np
import pytest
from test_cli import FAST, run

import tinynet
import tinynet.draw.film
import tinynet.lesson.compare_nets
import tinynet.lesson.seeds
from tinynet import draw

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a process signalling itself is POSIX only")


@pytest.fixture(autouse=True)
def _ctrl_c_raises():
    """Ctrl-C as a terminal delivers it, even where this test run was started with SIGINT ignored."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --- seeds: what finished is summarised (issue 20 item 2) -------------------------------------------------------


def ctrl_c_at_fit(monkeypatch, call: int) -> None:
    """Ctrl-C as seed_sweep starts the ``call``-th fit (1-based): call - 1 seeds have finished."""
    real_fit, calls = tinynet.lesson.seeds.fit, []

    def fit(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            ctrl_c()
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(tinynet.lesson.seeds, "fit", fit)


def test_ctrl_c_during_seeds_prints_valid_json_of_the_seeds_that_finished(monkeypatch):
    ctrl_c_at_fit(monkeypatch, 4)
    result = run("seeds", "--data", "abs", "--seeds", "50", "--epochs", "300", "--json")
    assert result.exit_code == 130, result.output
    report = json.loads(result.stdout)  # the whole of stdout is JSON
    assert (report["seeds"], report["seeds_done"], report["interrupted"], report["signal"]) == (50, 3, True, "SIGINT")
    assert [run["seed"] for run in report["outcomes"]] == [0, 1, 2]
    assert sum(row["count"] for row in report["summary"].values()) == 3
    X, y = tinynet.make_dataset("abs")
    finished = tinynet.seed_sweep(X, y, 2, 3, epochs=300)
    assert report["summary"] == tinynet.sweep_summary(finished)  # the same as a sweep of those three seeds
    assert result.stderr == "Interrupted after 3 of 50 seeds: the summary is of those.\n"


def test_ctrl_c_during_seeds_prints_the_table_of_the_seeds_that_finished(monkeypatch):
    ctrl_c_at_fit(monkeypatch, 3)
    result = run("seeds", "--data", "abs", "--seeds", "50", "--epochs", "300")
    assert result.exit_code == 130, result.output
    assert "seeds 0-1, at most 300 epochs each" in result.stdout
    assert "least squares MSE" in result.stdout and "outcome   count" in result.stdout
    assert result.stderr == "Interrupted after 2 of 50 seeds: the summary is of those.\n"


def test_ctrl_c_before_any_seed_finished_is_still_valid_json(monkeypatch):
    ctrl_c_at_fit(monkeypatch, 1)
    result = run("seeds", "--data", "abs", "--seeds", "50", "--epochs", "300", "--json")
    assert result.exit_code == 130, result.output
    report = json.loads(result.stdout)
    assert (report["seeds_done"], report["summary"], report["outcomes"]) == (0, None, [])
    assert result.stderr == "Interrupted after 0 of 50 seeds: no seed finished, nothing to count.\n"
    ctrl_c_at_fit(monkeypatch, 1)
    text = run("seeds", "--data", "abs", "--seeds", "50", "--epochs", "300")
    assert text.exit_code == 130 and text.stdout == ""


def test_seeds_that_end_normally_say_they_were_not_interrupted():
    report = json.loads(run("seeds", "--data", "abs", "--seeds", "2", "--epochs", "300", "--json").stdout)
    assert (report["seeds_done"], report["interrupted"]) == (2, False) and "signal" not in report


# --- a drawing stops between its steps, in one line (issue 20 items 9 and 10) --------------------------------------


def test_ctrl_c_while_the_film_is_drawn_stops_between_frames_in_one_line(tmp_path, monkeypatch):
    model, film = tmp_path / "m.npz", tmp_path / "f.gif"
    real_grab, grabbed = tinynet.draw.film._grab, []

    def grab(fig):
        if len(grabbed) == 4:
            ctrl_c()  # while the fifth frame is taken from matplotlib's canvas
        image = real_grab(fig)
        grabbed.append(image)  # reached only if the signal did not raise inside the frame
        return image

    monkeypatch.setattr(tinynet.draw.film, "_grab", grab)
    result = run("train", *FAST, "--save", model, "--animate", film)
    assert result.exit_code == 130, result.output
    assert len(grabbed) == 5  # the fifth frame was finished, and the film stopped before the sixth
    assert lines(result.stderr) == [("Interrupted after training: the report was cut short, but the trained model "
                                     f"is saved to {model}.")]
    assert tinynet.load(model)[1].out_features == 8
    assert sorted(os.listdir(tmp_path)) == ["m.npz"]  # no film, no temporary file


def test_ctrl_c_inside_matplotlib_waits_until_the_step_is_done(tmp_path, monkeypatch):
    # the signal arrives while matplotlib saves the figure: savefig runs to its end, then the command stops
    import matplotlib.figure

    real_savefig, saved = matplotlib.figure.Figure.savefig, []

    def savefig(self, *args, **kwargs):
        ctrl_c()
        real_savefig(self, *args, **kwargs)
        saved.append(True)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)
    result = run("train", *FAST, "--plot", tmp_path / "p.png")
    assert result.exit_code == 130, result.output
    assert saved == [True]
    assert lines(result.stderr) == ["Interrupted after training: the report was cut short."]
    assert [name for name in os.listdir(tmp_path) if name.endswith(".tmp")] == []


def test_a_stopper_holds_each_drawing_and_stops_it_at_a_step(tmp_path):
    class Stopper:
        """Stops at the third step of a drawing; records when it is held."""

        def __init__(self):
            self.events = []

        @contextlib.contextmanager
        def held(self):
            self.events.append("held")
            yield
            self.events.append("released")

        def stop_if_pending(self):
            self.events.append("step")
            if self.events.count("step") == 3:
                raise KeyboardInterrupt

    X, y = tinynet.make_dataset("abs", 32)
    recorder = draw.film_recorder(tinynet.mlp([1, 4, 1], "relu", seed=0), X, 10)
    for epoch in range(1, 11):
        recorder(epoch, 1.0 / epoch)
    stopper = Stopper()
    with draw.stoppable(stopper), pytest.raises(KeyboardInterrupt):
        draw.write_film(str(tmp_path / "f.gif"), recorder, X, y, "t")
    # held from the start (the import of matplotlib is a step), stopped at the second frame, never released
    assert stopper.events == ["held", "step", "step", "step"]
    assert os.listdir(tmp_path) == []


# --- any command: one line, no click "Aborted!" and no blank line ----------------------------------------------------


def test_ctrl_c_during_compare_is_one_line_without_a_blank_one(monkeypatch):
    def fit_then_ctrl_c(*args, **kwargs):
        ctrl_c()
        return np.nan  # not reached

    monkeypatch.setattr(tinynet.lesson.compare_nets, "fit", fit_then_ctrl_c)
    result = run("compare", *FAST)
    assert result.exit_code == 130, result.output
    assert result.stderr == "Interrupted.\n"
