"""tinynet train never loses trained work nor a user's file: found by trying to break it (issue 11).

In-process through click's CliRunner; a Ctrl-C is a real SIGINT sent by the
process to itself at the moment under test. SIGTERM and SIGHUP, which would
end the test run itself where nothing handles them, are sent to a real
process in test_signals.py.
"""

import errno
import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from test_cli import FAST, assert_error, ok, run, write_csv

import tinynet
import tinynet.lesson.report

EXPLODES = ("--hidden", "8", "--lr", "1e6", "--epochs", "300")  # Adam at lr 1e6: a loss of ~1e13, finite


@pytest.fixture(autouse=True)
def _ctrl_c_raises():
    """Ctrl-C as a terminal delivers it, even where this test run was started with SIGINT ignored (a
    shell's background job): the process signals itself below and must see it."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def ctrl_c(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)


@pytest.fixture
def good_model(tmp_path):
    """A saved model, and its bytes: what a careless second run must not destroy."""
    path = tmp_path / "good.npz"
    tinynet.save(tinynet.mlp([1, 3, 1], "tanh", seed=1), path)
    return path, path.read_bytes()


# --- 1. the model is saved before the report -----------------------------------------------------------------

def test_ctrl_c_while_the_report_counts_pieces_keeps_the_saved_model(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    monkeypatch.setattr(tinynet.lesson.report, "count_pieces", ctrl_c)  # describe_fit's, which the report asks
    result = run("train", *FAST, "--save", path)
    assert result.exit_code == 130, result.output
    assert f"saved to {path}" in result.stderr
    assert tinynet.load(path)[1].out_features == 8  # the trained 1-8-1 model


def test_too_many_pieces_to_count_still_saves_and_reports(tmp_path, monkeypatch):
    def too_many(*args, **kwargs):
        raise ValueError("the model has more than 1,000,000 breakpoints by layer 3")

    path = tmp_path / "model.npz"
    monkeypatch.setattr(tinynet.lesson.report, "count_pieces", too_many)
    result = ok("train", *FAST, "--save", path)
    assert "linear pieces:      not counted: the model has more than 1,000,000 breakpoints" in result.stdout
    assert f"saved to {path}" in result.stdout
    assert tinynet.load(path)[1].out_features == 8


def test_a_report_that_fails_says_the_model_is_saved(tmp_path, monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    path = tmp_path / "model.npz"
    monkeypatch.setattr(tinynet.lesson.report, "dead_units", out_of_memory)
    result = run("train", *FAST, "--save", path)
    assert_error(result, 1, "out of memory")
    assert f"saved to {path}" in result.stderr
    assert tinynet.load(path)[1].out_features == 8


# --- 2. a run whose loss exploded but stayed finite has diverged (fit's rule, tinynet.training.divergence) ------

@pytest.mark.parametrize("as_json", [(), ("--json",)])
def test_a_finite_explosion_is_diverged_and_keeps_the_old_model(tmp_path, good_model, as_json):
    path, before = good_model
    result = run("train", *EXPLODES, "--save", path, *as_json)
    assert_error(result, 1, "training diverged", "above the", "it started from",
                 "over 2x that of always predicting the mean", "lower the learning rate", "lr was 1e+06",
                 "left as it was")
    assert result.stdout == ""
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["good.npz"]


@pytest.mark.parametrize("options", [
    ("--lr", "1000", "--batch-size", "1", "--epochs", "3"),  # exploded inside the first epoch: 3.3e6 on sin
    ("--lr", "3", "--batch-size", "32", "--epochs", "30"),  # MSE 3.23 on sin, where the mean's is 0.499
], ids=["first-epoch", "worse-than-the-mean"])
def test_a_run_worse_than_always_predicting_the_mean_never_replaces_a_model(tmp_path, good_model, options):
    """Issue 20: both were saved, exit 0: the old rule (10x the first epoch's loss) never fires when the
    first epoch has already exploded, and knew nothing of what the data allows."""
    path, before = good_model
    result = run("train", *options, "--save", path)
    line = assert_error(result, 1, "training diverged", "always predicting the mean", "lower the learning rate",
                        f"{path} was left as it was")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert line.startswith("Error: training diverged: the final training loss ")
    assert path.read_bytes() == before and result.stdout == ""


def test_ctrl_c_after_an_explosion_is_judged_by_the_same_rule(tmp_path, good_model, monkeypatch):
    """A signal stops fit before it can judge the run: the command judges it by fit's rule, saves nothing,
    and exits as the signal would."""
    path, before = good_model
    real_fit = tinynet.fit

    def explode_then_ctrl_c(net, X, y, **options):
        real_fit(net, X, y, **options | {"epochs": 3})
        for p in net.parameters():  # as an explosion leaves a net: finite, far worse than where it started
            p.data *= 1e3
        ctrl_c()  # before fit could judge it

    monkeypatch.setattr(tinynet, "fit", explode_then_ctrl_c)
    result = run("train", *FAST, "--save", path)
    assert_error(result, 130, "training diverged", "always predicting the mean", "left as it was")
    assert path.read_bytes() == before


def test_the_divergence_rule_is_stated_in_the_help():
    assert "never by a run that diverged: its final loss not finite, or above its start and over 2x that of " \
        "always predicting the mean" in " ".join(ok("train", "--help").stdout.split())


def test_resuming_a_converged_model_is_not_divergence(tmp_path):
    # Adam's first steps are about lr in size whatever the gradient: one epoch takes a loss of ~3e-6 to ~4e-4,
    # over 10x, but far below always predicting the mean: a fit that got worse, not an explosion
    path = tmp_path / "abs.npz"
    ok("train", "--data", "abs", "--hidden", "8", "--epochs", "1000", "--save", path)
    before = path.read_bytes()
    report = json.loads(ok("train", "--data", "abs", "--resume", path, "--epochs", "1", "--save", path,
                           "--json").stdout)
    assert report["final_mse"] < 0.01 and path.read_bytes() != before


# --- 3. an untrained model never replaces a file ---------------------------------------------------------------

def test_ctrl_c_before_the_first_epoch_ends_leaves_the_old_model(good_model, monkeypatch):
    path, before = good_model
    monkeypatch.setattr(tinynet, "fit", ctrl_c)
    result = run("train", *FAST, "--save", path)
    assert result.exit_code == 130
    assert "before the first epoch ended: the model is not trained yet, so it is not saved" in result.stderr
    assert f"{path} was left as it was" in result.stderr
    assert path.read_bytes() == before


# --- 5. --save and --plot never destroy the user's own files -----------------------------------------------

@pytest.fixture
def data_csv(tmp_path):
    return write_csv(tmp_path / "data.csv", ["x", "y"], [(x, x * x) for x in np.linspace(-1, 1, 30)])


@pytest.mark.parametrize(("option", "name", "other"), [
    ("--save", "data.csv", "--data"),
    ("--save", "hardlink.png", "--data"),  # the same file by inode, under another name
    ("--plot", "hardlink.png", "--data"),
    ("--save", "same.png", "--plot"),
])
def test_an_output_that_is_an_input_or_the_other_output_is_refused_before_training(tmp_path, data_csv, option,
                                                                                     name, other):
    os.link(data_csv, tmp_path / "hardlink.png")
    before = Path(data_csv).read_bytes()
    paths = {"--save": tmp_path / "model.npz", "--plot": tmp_path / "same.png", option: tmp_path / name}
    result = run("train", "--data", data_csv, *FAST, "--save", paths["--save"], "--plot", paths["--plot"])
    assert_error(result, 2, option, f"also the {other} file")
    assert result.stdout == "" and Path(data_csv).read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["data.csv", "hardlink.png"]


def test_a_plot_over_the_resumed_model_is_refused_but_saving_back_to_it_is_the_point(tmp_path, good_model):
    path, before = good_model
    assert_error(run("train", "--resume", path, "--epochs", "5", "--plot", path.with_suffix(".png"),
                     "--save", path.with_suffix(".png")), 2, "also the --plot file")
    ok("train", "--resume", path, "--epochs", "5", "--save", path)
    assert path.read_bytes() != before


# --- 6 and smaller ones: save failures found before training, or named after it ----------------------------

@pytest.mark.parametrize(("name", "fragment"), [
    ("newdir/", "names a folder"),
    ("loop", "loop of symbolic links"),
    ("m" * 252 + ".npz", "256 bytes long"),
], ids=["trailing-separator", "symlink-loop", "name-too-long"])
def test_unwritable_save_paths_are_refused_before_training(tmp_path, name, fragment):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = run("train", *FAST, "--save", f"{tmp_path}/{name}")
    assert_error(result, 2, "--save", fragment)
    assert result.stdout == ""
    assert os.listdir(tmp_path) == ["loop"] and (tmp_path / "loop").is_symlink()


def test_another_users_file_in_a_sticky_folder_is_refused_before_training(tmp_path, monkeypatch):
    os.chmod(tmp_path, 0o1777)  # world-writable and sticky, as /tmp is
    (tmp_path / "model.npz").write_bytes(b"theirs")
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(tmp_path).st_uid + 4242)  # owns neither file nor folder
    result = run("train", *FAST, "--save", tmp_path / "model.npz")
    assert_error(result, 2, "another user owns that file")
    assert result.stdout == ""


def test_a_legal_name_of_250_bytes_is_saved(tmp_path):
    path = tmp_path / ("m" * 246 + ".npz")
    ok("train", *FAST, "--save", path)
    assert os.listdir(tmp_path) == [path.name]


def test_a_full_disk_names_the_file_and_says_the_model_was_not_saved(good_model, monkeypatch):
    path, before = good_model

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    line = assert_error(run("train", *FAST, "--save", path), 1)
    assert line == f"Error: cannot write {path}: No space left on device; the trained model was not saved"
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]


# --- --hidden "": no hidden layer, no activation ---------------------------------------------------------------

def test_no_hidden_layer_is_named_so_and_the_unused_activation_is_said(tmp_path):
    result = ok("train", "--hidden", "", "--activation", "sigmoid", "--epochs", "50")
    assert "trained mlp 1-1 (no hidden layer) on sin" in result.stdout
    assert "--activation sigmoid is not used" in result.stderr
    assert json.loads(ok("train", "--hidden", "", "--epochs", "5", "--json").stdout)["hidden"] == []
