"""How jobs are stopped: SIGTERM and SIGHUP save like Ctrl-C, and Ctrl-C while starting is no traceback.

A real ``tinynet`` process, signalled from outside as ``timeout``, ``kill``,
a scheduler or a closed terminal would (issue 11).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_subprocess import (
    TIMEOUT,
    handling,
    signalled,
    stop_training,
    tinynet_command,
)

import tinynet

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="signals to another process are POSIX only"), pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_save_the_model_trained_so_far(tmp_path, signum):
    path = tmp_path / "model.npz"
    tinynet.save(tinynet.mlp([1, 3, 1], "tanh", seed=1), path)
    result = stop_training(signum, "--save", path)
    assert result.returncode == 128 + signum, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert f"Stopped by {signal.Signals(signum).name} at epoch" in result.stderr
    assert f"saved to {path} (the model trained so far)" in result.stdout
    assert tinynet.load(path)[1].out_features == 8  # the new 1-8-1 model replaced the old 1-3-1 one
    assert os.listdir(tmp_path) == ["model.npz"]


def test_ctrl_c_while_starting_up_is_one_line_not_a_traceback():
    # Ctrl-C at the moment cli.main imports click, numpy and the commands (the first 0.4 s of any command):
    # the process sends itself SIGINT from inside that import
    starting = (
        "import builtins, os, signal\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"  # Ctrl-C as a terminal's, even in a background job
        "real_import = builtins.__import__\n"
        "def import_then_ctrl_c(name, *args, **kwargs):\n"
        "    if name == 'click':\n"
        "        builtins.__import__ = real_import\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real_import(name, *args, **kwargs)\n"
        "builtins.__import__ = import_then_ctrl_c\n"
        "from cli.main import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", starting, "compare"], capture_output=True, text=True,
                            timeout=TIMEOUT, cwd=ROOT, check=False)
    assert result.returncode == 130
    assert result.stderr == "Interrupted.\n"


def test_an_ignored_sigint_stays_ignored_as_nohup_asks(tmp_path):
    # a background job of a shell, or nohup for SIGHUP: the signal is ignored before tinynet starts, and
    # training must not take it over; SIGTERM still stops it and saves
    path = tmp_path / "model.npz"
    command = [*tinynet_command(), "train", "--epochs", "1000000", "--hidden", "8", "--batch-size", "1", "--save", str(path)]

    def ctrl_c_then_sigterm(process):
        process.send_signal(signal.SIGINT)
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=2)  # still training: the ignored SIGINT did not stop it
        process.send_signal(signal.SIGTERM)

    result = signalled(command, handling(signal.SIGINT, "SIG_IGN"), ctrl_c_then_sigterm)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert "Stopped by SIGTERM at epoch" in result.stderr
    assert f"saved to {path} (the model trained so far)" in result.stdout


# --- after training, while drawing; and seeds (issue 20 items 2, 9, 10) ------------------------------------------

def signalled_at_import(signum: int, module: str, *args) -> subprocess.CompletedProcess:
    """Run ``tinynet *args`` in a process that sends itself ``signum`` as it first imports ``module``: a signal
    at a moment a test can name, inside matplotlib's own imports."""
    script = (
        "import builtins, os, signal, sys\n"
        f"signum, module = {int(signum)}, {module!r}\n"
        "signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)\n"
        "real_import = builtins.__import__\n"
        "def import_then_signal(name, *args, **kwargs):\n"
        "    if name == module:\n"
        "        builtins.__import__ = real_import\n"
        "        os.kill(os.getpid(), signum)\n"
        "    return real_import(name, *args, **kwargs)\n"
        "builtins.__import__ = import_then_signal\n"
        "from cli.main import main\n"
        "sys.argv[0] = 'tinynet'\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=ROOT, check=False)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_while_pyplot_is_imported_for_the_film_exits_with_its_own_code(tmp_path, signum):
    # click made every stop after training its own Abort: "Interrupted." and 130, for SIGTERM and SIGHUP too
    model = tmp_path / "m.npz"
    result = signalled_at_import(signum, "matplotlib.pyplot", "train", "--data", "abs", "--hidden", "4",
                                 "--epochs", "50", "--animate", tmp_path / "f.gif", "--save", model)
    assert result.returncode == 128 + signum, result.stderr
    how = "Interrupted" if signum == signal.SIGINT else f"Stopped by {signal.Signals(signum).name}"
    assert result.stderr == f"{how} after training: the report was cut short, but the trained model is saved to {model}.\n"
    assert f"saved to {model}" in result.stdout
    assert tinynet.load(model)[1].out_features == 4
    assert os.listdir(tmp_path) == ["m.npz"]  # no film, no temporary file


@pytest.mark.parametrize("module", ["matplotlib.colorbar", "matplotlib.figure", "PIL.Image"])
def test_a_signal_inside_matplotlibs_imports_stops_the_plot_in_one_line(tmp_path, module):
    # a stop raised inside matplotlib's import left it half imported, and the next call said it was not installed
    result = signalled_at_import(signal.SIGTERM, module, "train", "--data", "abs", "--hidden", "4", "--epochs", "50",
                                 "--plot", tmp_path / "p.png", "--animate", tmp_path / "f.gif")
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert result.stderr == "Stopped by SIGTERM after training: the report was cut short.\n"
    assert os.listdir(tmp_path) == []


def test_sigterm_during_seeds_prints_the_summary_of_the_seeds_that_finished():
    command = [*tinynet_command(), "seeds", "--data", "abs", "--seeds", "100000", "--epochs", "300"]
    result = signalled(command, handling(signal.SIGTERM), lambda process: process.send_signal(signal.SIGTERM))
    stdout, stderr = result.stdout, result.stderr
    assert result.returncode == 128 + signal.SIGTERM, stderr
    done = int(stderr.split(" after ")[1].split(" of ")[0])
    assert stderr == f"Stopped by SIGTERM after {done} of 100000 seeds: the summary is of those.\n"
    assert done >= 1 and f"seeds 0-{done - 1}, at most 300 epochs each" in stdout
    counts = [int(line.split()[1]) for line in stdout.splitlines()
              if line.split()[:1] in (["fit"], ["linear"], ["stuck"], ["other"], ["diverged"])]
    assert sum(counts) == done
