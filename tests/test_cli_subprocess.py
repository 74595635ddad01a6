"""The installed ``tinynet`` command as a real process: a save/predict round trip, Ctrl-C, clean errors."""

import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import tinynet

TIMEOUT = 60  # seconds: generous, but nothing here can hang the test run
TRAINING_STARTED = 2.0  # seconds to wait before Ctrl-C: start-up takes well under one
BUSY_CPU = 1.0  # and, where /proc tells, CPU seconds used: start-up uses about 0.3, the rest is training


def tinynet_command() -> list[str]:
    """The console script if it is installed, else the same entry point through this Python."""
    found = shutil.which("tinynet")
    return [found] if found else [sys.executable, "-c", "from cli.main import main; main()"]


def tinynet_run(*args, input=None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*tinynet_command(), *map(str, args)], input=input, capture_output=True,
                          text=True, timeout=TIMEOUT, cwd=cwd, check=False)


def test_train_save_predict_round_trip(tmp_path):
    model_path = tmp_path / "abs.npz"
    trained = tinynet_run("train", "--data", "abs", "--hidden", "4", "--epochs", "300", "--save", model_path)
    assert trained.returncode == 0, trained.stderr
    assert "final training MSE" in trained.stdout and "saved to" in trained.stdout
    assert "Traceback" not in trained.stderr

    x = np.array([[-0.75], [-0.1], [0.0], [0.3], [1.0]])
    text = "x\n" + "".join(f"{v!r}\n" for v in x[:, 0].tolist())
    expected = tinynet.predict(tinynet.load(model_path), x)
    (tmp_path / "x.csv").write_text(text)
    for source, stdin in (("x.csv", None), ("-", text)):
        predicted = tinynet_run("predict", model_path, "--input", source, input=stdin, cwd=tmp_path)
        assert predicted.returncode == 0, predicted.stderr
        assert "Traceback" not in predicted.stderr
        lines = predicted.stdout.strip().splitlines()
        assert lines[0] == "x,prediction"
        table = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
        np.testing.assert_array_equal(table[:, :1], x)
        np.testing.assert_array_equal(table[:, 1:], expected)  # repr'd floats read back bit for bit


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) used so far by process ``pid``, from /proc; None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()  # after "(name)", which may hold spaces
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14, 15


def wait_until_training(process) -> None:
    """Sleep TRAINING_STARTED seconds, longer on a busy machine until the process has worked BUSY_CPU seconds."""
    start = time.monotonic()
    while process.poll() is None and time.monotonic() - start < TIMEOUT / 2:
        used = cpu_seconds(process.pid)
        if time.monotonic() - start >= TRAINING_STARTED and (used is None or used >= BUSY_CPU):
            return
        time.sleep(0.1)


def handling(signum: int, how: str = "SIG_DFL") -> list[str]:
    """A command prefix that starts what follows it with ``signum`` handled as ``how`` ("SIG_DFL" or
    "SIG_IGN"), whatever this process inherited: a signal's disposition survives exec.

    A shell starts a background job (``.ci/run &``) with SIGINT ignored and its children inherit that;
    a test that sends a signal sets that signal's handling in the child itself.
    """
    setup = "import os, signal, sys; signal.signal(int(sys.argv[1]), getattr(signal, sys.argv[2])); " \
            "os.execvp(sys.argv[3], sys.argv[3:])"
    return [sys.executable, "-c", setup, str(int(signum)), how]


def stop_training(signum: int, *args) -> subprocess.CompletedProcess:
    """Start ``tinynet train *args`` for a million epochs, let it train, send ``signum``, collect the result."""
    # --patience off: with the default patience the loss settles and the run ends by itself, in under 2 s
    command = [*tinynet_command(), "train", "--epochs", "1000000", "--patience", "off", "--hidden", "8",
               *map(str, args)]
    return signalled(command, handling(signum), lambda process: process.send_signal(signum))


def signalled(command: list[str], prefix: list[str], send) -> subprocess.CompletedProcess:
    """Run ``command`` after the ``handling`` ``prefix``, let it work, call ``send(process)``, collect the result."""
    process = subprocess.Popen([*prefix, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_training(process)
        assert process.poll() is None, "the command finished before it could be stopped"
        send(process)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def interrupt_training(*args) -> subprocess.CompletedProcess:
    """Ctrl-C: SIGINT to a training run."""
    return stop_training(signal.SIGINT, *args)


@pytest.mark.slow  # it lets the command train TRAINING_STARTED seconds before Ctrl-C
@pytest.mark.skipif(os.name != "posix", reason="SIGINT to another process is POSIX only")
def test_ctrl_c_saves_the_model_trained_so_far(tmp_path):
    path = tmp_path / "model.npz"
    result = interrupt_training("--save", path)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    said = (result.stdout + result.stderr).lower()
    assert "saved" in said and "trained so far" in said
    model = tinynet.load(path)
    assert isinstance(model[0], tinynet.Standardize) and model[1].out_features == 8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temporary file left behind


@pytest.mark.slow  # it lets the command train TRAINING_STARTED seconds before Ctrl-C
@pytest.mark.skipif(os.name != "posix", reason="SIGINT to another process is POSIX only")
def test_ctrl_c_replaces_an_older_model_with_a_whole_new_one(tmp_path):
    path = tmp_path / "model.npz"
    tinynet.save(tinynet.mlp([1, 3, 1], "tanh", seed=1), path)
    result = interrupt_training("--save", path)
    assert result.returncode == 130, result.stderr
    assert "trained so far" in (result.stdout + result.stderr).lower()
    model = tinynet.load(path)
    assert model[1].out_features == 8 and isinstance(model[2], tinynet.ReLU)


@pytest.mark.slow  # it lets the command train TRAINING_STARTED seconds before Ctrl-C
@pytest.mark.skipif(os.name != "posix", reason="SIGINT to another process is POSIX only")
def test_ctrl_c_without_save_exits_130_and_reports(tmp_path):
    result = interrupt_training()
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "interrupted" in result.stderr.lower()
    assert "final training MSE" in result.stdout


def test_usage_error_is_one_line_and_exit_2():
    result = tinynet_run("train", "--activation", "foo")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith("Error:")
    assert "Traceback" not in result.stderr


def test_diverged_run_prints_only_its_error_line(tmp_path):
    path = tmp_path / "model.npz"
    tinynet.save(tinynet.mlp([1, 3, 1], "tanh", seed=1), path)
    before = path.read_bytes()
    # the default 32,32 net overflows on the way to inf, which numpy would report as RuntimeWarnings
    result = tinynet_run("train", "--lr", "1e6", "--optimizer", "sgd", "--epochs", "50", "--save", path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr  # no numpy RuntimeWarnings either
    assert "learning rate" in lines[0]
    assert path.read_bytes() == before
