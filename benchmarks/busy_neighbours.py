"""`tinynet compare` beside busy neighbours: the command's BLAS threads, timed (issue 18).

    python benchmarks/busy_neighbours.py [--rounds N] [--neighbours K] [--large] [--json]

A shared machine runs other work, and a BLAS with one thread per core then
waits for a busy core at every matrix product. This runs the installed
``tinynet`` command as a user would, each run a fresh process, and times its
wall clock in three settings of the BLAS threads:

- *as installed*: no thread variable set, so the command chooses (one thread);
- *1 thread*: OPENBLAS_NUM_THREADS=1 set by hand, what the target is stated against;
- *before*: OPENBLAS_NUM_THREADS set to the number of cores, OpenBLAS's own
  default and so what the command ran with before it chose for itself. The
  command keeps a thread count the user sets, so this is the old behaviour.

Two phases: *busy*, with K processes (default 2) spinning in a pure-Python
loop beside it, and *quiet*, without them. In each, the settings are run
interleaved (A B C, C B A, ...) so a slow spell hits all of them alike; it
prints medians and ranges, and the ratios the targets are about: busy, as
installed / 1 thread (target <= 1.2); quiet, as installed / before (target:
no slower, <= 1.0 within the noise). Quiet means only "without our
neighbours": the load average at the start is printed beside it.

--large times ``tinynet train`` on a 200,000-row CSV with --hidden 256,256
(full batch, 3 epochs) instead: whether big data earns the threads back.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cli.threads import THREAD_VARIABLES

COMPARE = ["compare", "--quiet"]
LARGE_ROWS = 200_000
LARGE = ["train", "--hidden", "256,256", "--epochs", "3", "--quiet"]  # + --data FILE.csv
BUSY_TARGET = 1.2  # as installed / 1 thread, with busy neighbours, at most
SPIN = "while True:\n    pass\n"  # a neighbour: one core's worth of pure-Python work, no BLAS


def cores() -> int:
    """The cores this process may run on: what OpenBLAS counts for its default number of threads."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def tinynet_command() -> tuple[list[str], str]:
    """The installed console script, else the same entry point through this Python; and which it is."""
    found = shutil.which("tinynet")
    if found:
        return [found], found
    return [sys.executable, "-c", "from cli.main import main; main()"], "cli.main:main (no tinynet script on PATH)"


def settings() -> dict[str, dict[str, str]]:
    """Each setting's environment: the user's, with the thread variables removed and then set as it says."""
    base = {name: value for name, value in os.environ.items() if name not in THREAD_VARIABLES}
    return {
        "as installed": base,
        "1 thread": {**base, "OPENBLAS_NUM_THREADS": "1"},
        "before": {**base, "OPENBLAS_NUM_THREADS": str(cores())},
    }


def run_once(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one run of ``command``; a run that fails stops the benchmark."""
    start = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed (exit {result.returncode}):\n{result.stderr}")
    return seconds


def measure(command: list[str], envs: dict[str, dict[str, str]], rounds: int) -> dict[str, list[float]]:
    """Seconds of every run of each setting, the settings interleaved: A B C, then C B A, ..."""
    samples = {name: [] for name in envs}
    order = list(envs)
    for r in range(rounds):
        for name in order if r % 2 == 0 else reversed(order):
            samples[name].append(run_once(command, envs[name]))
            log(f"  round {r + 1}/{rounds}, {name}: {samples[name][-1]:.2f} s")
    return samples


def with_neighbours(k: int, work):
    """Run ``work()`` while k processes spin beside it; they are stopped however work ends."""
    neighbours = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(k)]
    try:
        time.sleep(0.5)  # let them start spinning before the first timed run
        return work()
    finally:
        for p in neighbours:
            p.terminate()
        for p in neighbours:
            p.wait()


def summary(samples: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {name: {"median": statistics.median(s), "min": min(s), "max": max(s)} for name, s in samples.items()}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per phase (default 7)")
    parser.add_argument("--neighbours", type=int, default=2, help="busy-looping processes in the busy phase (default 2)")
    parser.add_argument("--large", action="store_true",
                        help=f"time train on a {LARGE_ROWS:,}-row CSV with --hidden 256,256 instead of compare")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be >= 1, got {args.rounds}")
    if args.neighbours < 1:
        parser.error(f"--neighbours must be >= 1, got {args.neighbours}")

    tinynet, found = tinynet_command()
    envs = settings()
    with tempfile.TemporaryDirectory() as tmp:
        options = LARGE + ["--data", write_large_csv(Path(tmp) / "large.csv")] if args.large else COMPARE
        command = tinynet + options
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        log(f"busy: {args.neighbours} neighbours")
        busy = with_neighbours(args.neighbours, lambda: measure(command, envs, args.rounds))
        log("quiet")
        quiet = measure(command, {name: envs[name] for name in ("before", "as installed")}, args.rounds)

    report = {
        "command": " ".join(["tinynet", *options]),
        "tinynet": found,
        "cores": cores(),
        "neighbours": args.neighbours,
        "rounds": args.rounds,
        "load average at start": load,
        "busy": summary(busy),
        "quiet": summary(quiet),
    }
    report["busy: as installed / 1 thread"] = report["busy"]["as installed"]["median"] / report["busy"]["1 thread"]["median"]
    report["busy: before / 1 thread"] = report["busy"]["before"]["median"] / report["busy"]["1 thread"]["median"]
    report["quiet: as installed / before"] = report["quiet"]["as installed"]["median"] / report["quiet"]["before"]["median"]
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print_report(report)
    return report


def write_large_csv(path: Path) -> str:
    """A one-input CSV of LARGE_ROWS noisy samples of sin(x), for --large."""
    import numpy as np  # only here: the benchmark itself must not hold a BLAS while it times others

    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, LARGE_ROWS)
    y = np.sin(x) + 0.05 * rng.standard_normal(LARGE_ROWS)
    np.savetxt(path, np.column_stack([x, y]), fmt="%.6f", delimiter=",", header="x,y", comments="")
    return str(path)


def print_report(r: dict) -> None:
    print("tinynet with busy neighbours (python benchmarks/busy_neighbours.py)\n")
    print(f"command    {r['command']}  ({r['tinynet']})")
    load = "unknown" if r["load average at start"] is None else f"{r['load average at start']:.2f}"
    print(f"machine    {r['cores']} cores; load average at start {load}")
    print(f"method     medians of {r['rounds']} interleaved rounds; wall clock of each run, start-up included\n")
    print(f"{'phase':<7} {'setting':<13} {'median s':>9} {'range s':>13}")
    for phase in ("busy", "quiet"):
        for name, s in r[phase].items():
            span = f"{s['min']:.2f}-{s['max']:.2f}"
            print(f"{phase:<7} {name:<13} {s['median']:>9.2f} {span:>13}")
    met = "met" if r["busy: as installed / 1 thread"] <= BUSY_TARGET else "not met"
    print(f"\nbusy ({r['neighbours']} neighbours): as installed / 1 thread = {r['busy: as installed / 1 thread']:.2f}"
          f" (target <= {BUSY_TARGET}: {met}); before / 1 thread = {r['busy: before / 1 thread']:.2f}")
    print(f"quiet: as installed / before = {r['quiet: as installed / before']:.2f} (below 1: faster than before)")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
