"""The performance report: every variant timed interleaved in one process, as ratios.

    python benchmarks/report.py [--json] [--rounds N] [--quick]

Machines that run this are shared and noisy, so absolute times mean little.
Every number below is a ratio of two medians measured in the same process,
interleaved: A B C, C B A, A B C, ... for many rounds, so a slow spell hits
every variant alike. It prints the machine, numpy's BLAS and its threads,
then the ratio table, time to fit, scaling, memory, the lesson's fits
against its peers, and which of the targets of issues 6 and 22 are met.

The targets are stated at one BLAS thread (on a shared 2-core machine a
2-thread BLAS waits on a busy core, measured up to 100x slower), so the
report limits numpy's BLAS and torch to one thread with threadpoolctl and
``torch.set_num_threads``. It never sets or changes OPENBLAS_CORETYPE or
OPENBLAS_L2_SIZE; it only prints them, because they can slow numpy down.

torch, scikit-learn and threadpoolctl are optional (``pip install -e ".[bench]"``):
rows that need a missing one say "not installed".
"""

import argparse
import importlib
import json
import math
import os
import platform
import sys
import time
from contextlib import nullcontext

import cases
import numpy as np

TARGETS = {  # the bars of the performance targets
    "S1 torch": 0.15,  # tinynet step / torch step, at most
    "S1": 2.5,  # tinynet step / GEMM floor, at most
    "S2": 1.5,
    "S3": 1.2,
    "S4": 1.10,
    "per-sample": 20.0,  # per-sample loop / tinynet step, at least
    "sklearn": 2.5,  # scikit-learn partial_fit / tinynet step, at least
    "memory": 2.0,  # tracemalloc peak / (forward cache + gradients), at most
    "fit": 0.5,  # time to fit sin / a peer's, at most
    "compare": 3.0,  # seconds of training in `tinynet compare`, at most
}


def optional(name: str):
    """The module, or None when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


# --- The machine ---

def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as file:
            for line in file:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def numpy_blas() -> dict:
    """numpy's BLAS as numpy was built with it, and as threadpoolctl finds it loaded."""
    info = {}
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["name"], info["version"] = blas.get("name"), blas.get("version")
        info["configuration"] = blas.get("openblas configuration")
    except (TypeError, KeyError):  # numpy before 1.26 has no mode="dicts"
        info["name"] = "unknown (see numpy.show_config())"
    threadpoolctl = optional("threadpoolctl")
    if threadpoolctl is None:
        info["threadpoolctl"] = "not installed"
        return info
    # Called before torch and scikit-learn are imported, so the BLAS found is numpy's.
    loaded = [lib for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"]
    if loaded:
        lib = loaded[0]
        info.update(internal_api=lib.get("internal_api"), loaded_version=lib.get("version"),
                    core_type=lib.get("architecture"), threading_layer=lib.get("threading_layer"),
                    default_threads=lib.get("num_threads"), library=os.path.basename(lib.get("filepath", "")))
    return info


def machine_info() -> dict:
    return {
        "platform": platform.platform(),
        "cpu": cpu_name(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": numpy_blas(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "unset"),
        "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE", "unset"),
    }


# --- Timing ---

def measure(variants: dict, rounds: int, min_time: float) -> dict[str, float]:
    """Median seconds per call of each variant, timed interleaved.

    Each variant is called once to warm up and once to time it, which sets
    how many calls make one sample of at least ``min_time`` seconds. Then
    every round takes one sample of each variant, in alternating order
    (A B C, then C B A), and each variant's median sample is returned.
    """
    calls = {}
    for name, f in variants.items():
        f()
        start = time.perf_counter()
        f()
        calls[name] = max(1, math.ceil(min_time / max(time.perf_counter() - start, 1e-9)))
    samples = {name: [] for name in variants}
    order = list(variants)
    for r in range(rounds):
        for name in order if r % 2 == 0 else reversed(order):
            f, n = variants[name], calls[name]
            start = time.perf_counter()
            for _ in range(n):
                f()
            samples[name].append((time.perf_counter() - start) / n)
    return {name: float(np.median(s)) for name, s in samples.items()}


def step_variants(case, dtype, torch, sklearn) -> dict:
    variants = {"floor": cases.floor_step(case, dtype), "floor @": cases.floor_step(case, dtype, np.matmul)}
    for opt in cases.OPTIMIZERS:
        variants[f"tinynet {opt}"] = cases.tinynet_step(case, dtype, opt)
        if torch is not None:
            variants[f"torch {opt}"] = cases.torch_step(case, dtype, opt)
        if case.name in cases.PER_SAMPLE_CASES:
            variants[f"per-sample {opt}"] = cases.per_sample_step(case, dtype, opt)
        if sklearn is not None and case.name in cases.SKLEARN_CASES:
            variants[f"sklearn {opt}"] = cases.sklearn_step(case, dtype, opt)
    return variants


def all_finite(variants: dict) -> bool:
    """True when every tinynet model timed is still finite: a step that overflowed would time NaN arithmetic."""
    models = [f.model for f in variants.values() if hasattr(f, "model")]
    return all(np.isfinite(p.data).all() for model in models for p in model.parameters())


def step_rows(times: dict, case, dtype) -> list[dict]:
    def ratio(name, over):
        """times[name] / times[over], or None when ``name`` was not measured."""
        return times[name] / times[over] if name in times else None

    rows = []
    for opt in cases.OPTIMIZERS:
        tinynet = f"tinynet {opt}"
        rows.append({
            "case": case.name, "dtype": dtype, "optimizer": opt,
            "tinynet/floor": ratio(tinynet, "floor"),
            "tinynet/floor@": ratio(tinynet, "floor @"),
            "torch/floor": ratio(f"torch {opt}", "floor"),
            "torch/tinynet": ratio(f"torch {opt}", tinynet),
            "per-sample/tinynet": ratio(f"per-sample {opt}", tinynet),
            "sklearn/tinynet": ratio(f"sklearn {opt}", tinynet),
            "seconds": {name: s for name, s in times.items() if name.startswith("floor") or name.endswith(opt)},
        })
    return rows


def time_to_fit(libraries, seeds, repeats: int) -> dict:
    """Steps (found once) and seconds (median of interleaved timed runs) per library and seed."""
    steps = {lib: {seed: cases.steps_to_fit(lib, seed) for seed in seeds} for lib in libraries}
    seconds = {lib: {seed: [] for seed in seeds} for lib in libraries}
    for _ in range(repeats):
        for seed in seeds:
            for lib in libraries:
                if steps[lib][seed] is not None:
                    seconds[lib][seed].append(cases.fit_seconds(lib, seed, steps[lib][seed]))
    result = {}
    for lib in libraries:
        found = [seed for seed in seeds if steps[lib][seed] is not None]
        per_seed = {seed: float(np.median(seconds[lib][seed])) for seed in found}
        result[lib] = {
            "steps": steps[lib],
            "seconds": per_seed,
            "median steps": float(np.median([steps[lib][s] for s in found])) if found else None,
            "median seconds": float(np.median(list(per_seed.values()))) if found else None,
            "reached": f"{len(found)}/{len(seeds)}",
        }
        if found:
            result[lib]["median us per step"] = float(np.median(
                [per_seed[s] / steps[lib][s] * 1e6 for s in found]))
    return result


def scaling(rounds: int, min_time: float) -> dict:
    """tinynet (float32, Adam) and the floor over batch sizes and widths, with log-log slopes."""
    result = {}
    for axis, configs in (("batch", [(b, cases.SCALING_WIDTH) for b in cases.SCALING_BATCHES]),
                          ("width", [(cases.SCALING_BATCH, w) for w in cases.SCALING_WIDTHS])):
        points = []
        for batch, width in configs:
            case = cases.scaling_case(batch, width)
            times = measure({"floor": cases.floor_step(case, cases.SCALING_DTYPE),
                             "tinynet": cases.tinynet_step(case, cases.SCALING_DTYPE, cases.SCALING_OPTIMIZER)},
                            rounds, min_time)
            points.append({"batch": batch, "width": width, **times})
        x = np.log([p[axis] for p in points])
        result[axis] = {
            "points": points,
            "slope tinynet": float(np.polyfit(x, np.log([p["tinynet"] for p in points]), 1)[0]),
            "slope floor": float(np.polyfit(x, np.log([p["floor"] for p in points]), 1)[0]),
        }
    return result


# --- Targets ---

def worst(rows, key, cases_, pick):
    """The worst value of ``key`` over the rows of the given cases, with the row it came from."""
    found = [(row[key], row) for row in rows if row["case"] in cases_ and row[key] is not None]
    if not found:
        return None, None
    return pick(found, key=lambda pair: pair[0])


def targets(rows, fit, memory, lesson) -> list[dict]:
    results = []

    def add(name, value, bar, at_most, where="", missing="not installed"):
        if value is None:
            status = missing
        else:
            status = "met" if (value <= bar if at_most else value >= bar) else "NOT MET"
        results.append({"target": name, "value": value, "bar": bar, "at_most": at_most,
                        "where": where, "status": status})

    def where(row):
        return f"worst: {row['case']} {row['dtype']} {row['optimizer']}" if row else ""

    def inverse(ratio):
        return None if ratio is None else 1 / ratio

    value, row = worst(rows, "torch/tinynet", ["S1"], min)
    add("S1: step <= 0.15x PyTorch eager's", inverse(value), TARGETS["S1 torch"], True, where(row),
        "torch not installed")
    for case in ("S1", "S2", "S3", "S4"):
        value, row = worst(rows, "tinynet/floor", [case], max)
        add(f"{case}: step <= {TARGETS[case]}x GEMM floor", value, TARGETS[case], True, where(row))
        value_at, _ = worst(rows, "tinynet/floor@", [case], max)
        results[-1]["against floor @"] = value_at
    value, row = worst(rows, "per-sample/tinynet", list(cases.PER_SAMPLE_CASES), min)
    add("per-sample loop / tinynet >= 20x (S1, S2)", value, TARGETS["per-sample"], False, where(row))
    value, row = worst(rows, "sklearn/tinynet", list(cases.SKLEARN_CASES), min)
    add("scikit-learn partial_fit / tinynet >= 2.5x (S2)", value, TARGETS["sklearn"], False, where(row),
        "scikit-learn not installed")
    tinynet_seconds = (fit.get("tinynet") or {}).get("median seconds")
    for peer in ("torch", "sklearn"):
        peer_seconds = (fit.get(peer) or {}).get("median seconds")
        ratio = None if peer_seconds is None or tinynet_seconds is None else tinynet_seconds / peer_seconds
        add(f"time to fit sin: tinynet's median seconds <= {TARGETS['fit']}x {peer}'s", ratio, TARGETS["fit"], True,
            f"tinynet's seconds / {peer}'s", f"{peer} not installed")
    add("memory: S4 float32 step peak <= 2x (forward cache + gradients)", memory["ratio"], TARGETS["memory"], True)
    add(f"tinynet compare: training <= {TARGETS['compare']} s in all", lesson["compare seconds"],
        TARGETS["compare"], True, "median of the runs")
    theirs = lesson.get("sklearn worst mse")
    add("ReLU on sin: worst MSE of the seeds <= scikit-learn's", None if theirs is None else
        lesson["tinynet worst mse"] / theirs, 1.0, True, "tinynet's worst / scikit-learn's", "scikit-learn not installed")
    worst_abs = {lib: max(mse.values()) for lib, mse in lesson["abs mse"].items()}
    peers = [lib for lib in worst_abs if lib != "tinynet"]
    best_peer = min(peers, key=worst_abs.get) if peers else None
    add("ReLU [1, 16, 1] on abs: worst MSE of the seeds <= the better peer's worst", None if best_peer is None else
        worst_abs["tinynet"] / worst_abs[best_peer], 1.0, True, f"tinynet's worst / {best_peer}'s",
        "neither torch nor scikit-learn installed")
    return results


def lesson(seeds, repeats: int, torch, sklearn) -> dict:
    """The lesson's own numbers: the training time of `tinynet compare`, the fit of sin against
    scikit-learn's, and the fit of |x| by a [1, 16, 1] ReLU net against PyTorch's and scikit-learn's."""
    seconds = [cases.compare_seconds() for _ in range(repeats)]
    result = {"compare seconds": float(np.median(seconds)),
              "tinynet mse": {seed: cases.lesson_fit(seed) for seed in seeds}}
    result["tinynet worst mse"] = max(result["tinynet mse"].values())
    if sklearn is not None:
        result["sklearn mse"] = {seed: cases.sklearn_lesson_fit(seed) for seed in seeds}
        result["sklearn worst mse"] = max(result["sklearn mse"].values())
    installed = {"tinynet": True, "torch": torch is not None, "sklearn": sklearn is not None}
    result["abs mse"] = {lib: {seed: cases.abs_fit(lib, seed) for seed in seeds}
                         for lib in cases.PEERS if installed[lib]}
    return result


# --- Printing ---

def fmt(value, digits=2) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}"


def print_report(report: dict) -> None:
    m = report["machine"]
    blas = m["blas"]
    print("tinynet performance report (python benchmarks/report.py)\n")
    print(f"machine    {m['platform']}; {m['cpu']}; {m['cpus']} CPUs; Python {m['python']}")
    print(f"numpy      {m['numpy']}; BLAS {blas.get('name')} {blas.get('version') or ''}")
    if blas.get("threadpoolctl") == "not installed":
        print("threads    threadpoolctl not installed: BLAS threads left at their default, not limited")
    else:
        print(f"BLAS       {blas.get('internal_api')} {blas.get('loaded_version')}, core type kernel "
              f"{blas.get('core_type')}, {blas.get('threading_layer')} threads ({blas.get('library')})")
        print(f"threads    numpy's BLAS default: {blas.get('default_threads')}; used here: "
              f"{report['settings']['threads']} (numpy and torch)")
    print(f"env        OPENBLAS_CORETYPE={m['OPENBLAS_CORETYPE']}  OPENBLAS_L2_SIZE={m['OPENBLAS_L2_SIZE']}")
    peers = report["peers"]
    print(f"peers      torch {peers['torch']}; scikit-learn {peers['sklearn']}")
    s = report["settings"]
    print(f"method     medians of {s['rounds']} interleaved rounds, samples of >= {s['min_time'] * 1e3:.0f} ms\n")

    print("One training step (forward, MSE, backward, optimizer step), as ratios of median times.")
    print("floor = the step's matrix products alone in numpy; lower is better for tinynet/floor.\n")
    head = ["case", "dtype", "opt", "tinynet/floor", "tinynet/floor@", "torch/floor", "torch/tinynet",
            "per-sample/tinynet", "sklearn/tinynet"]
    print("  ".join(f"{h:>{len(h) if i > 2 else 7}}" for i, h in enumerate(head)))
    for row in report["steps"]:
        cells = [f"{row['case']:>7}", f"{row['dtype']:>7}", f"{row['optimizer']:>7}"]
        for h in head[3:]:
            cells.append(f"{fmt(row[h], 2 if h.startswith('tinynet/') else 1):>{len(h)}}")
        print("  ".join(cells))

    fit = report["fit"]
    print(f"\nTime to fit sin (512 points, [1, 32, 32, 1] ReLU, Adam lr {cases.FIT_LR}, full batch, "
          f"{cases.FIT_DTYPE}) until training MSE < {cases.FIT_TARGET}, seeds {list(report['settings']['fit_seeds'])}:")
    print(f"{'library':>22}  {'median steps':>12}  {'median seconds':>14}  {'us per step':>11}  steps per seed")
    for lib, r in fit.items():
        if r is None:
            print(f"{lib:>22}  not installed")
            continue
        steps = ", ".join("-" if v is None else str(v) for v in r["steps"].values())
        print(f"{lib:>22}  {fmt(r['median steps'], 0):>12}  {fmt(r['median seconds'], 3):>14}  "
              f"{fmt(r.get('median us per step'), 0):>11}  {steps}")
    if fit.get("tinynet, torch's init"):
        print("(tinynet, torch's init: tinynet started from torch's initial weights, so from the same point:\n"
              " the number of steps depends on the initialisation, the time per step on the engine)")

    ls = report["lesson"]
    print(f"\nThe lesson: `tinynet compare` trains for {ls['compare seconds']:.2f} s (median); ReLU on sin with "
          f"fit's defaults, MSE per seed: {', '.join(f'{v:.2g}' for v in ls['tinynet mse'].values())}")
    if "sklearn mse" in ls:
        print(f"  scikit-learn MLPRegressor, same sizes, epochs and batch, Adam 0.01: "
              f"{', '.join(f'{v:.2g}' for v in ls['sklearn mse'].values())}")
    print("ReLU [1, 16, 1] on abs, 2000 full-batch epochs of Adam from 0.01 (tinynet: fit's defaults; the peers at "
          "a constant rate), MSE per seed:")
    for lib, mse in ls["abs mse"].items():
        print(f"  {lib:<8} {', '.join(f'{v:.2g}' for v in mse.values())}  (worst {max(mse.values()):.2g})")

    sc = report["scaling"]
    print(f"\nScaling (net [w, w, w, 1], {cases.SCALING_DTYPE}, tinynet with {cases.SCALING_OPTIMIZER}): "
          "tinynet/floor per point, and log-log slopes of step time")
    for axis, fixed in (("batch", f"width {cases.SCALING_WIDTH}"), ("width", f"batch {cases.SCALING_BATCH}")):
        r = sc[axis]
        points = "  ".join(f"{p[axis]}: {p['tinynet'] / p['floor']:.2f}" for p in r["points"])
        print(f"  over {axis} ({fixed}): {points}")
        print(f"    slope: tinynet {r['slope tinynet']:.2f}, floor {r['slope floor']:.2f}")

    mem = report["memory"]
    print(f"\nMemory, one S4 float32 Adam step after a warm-up: tracemalloc peak {mem['peak'] / 2**20:.2f} MiB; "
          f"forward cache {mem['forward_cache'] / 2**20:.2f} MiB + gradients {mem['gradients'] / 2**20:.2f} MiB; "
          f"peak / (cache + gradients) = {mem['ratio']:.2f}")

    if report["settings"]["threads"] == 1:
        print(f"\nTargets (at 1 BLAS thread; numpy's default is {blas.get('default_threads', 'unknown')} threads):")
    else:
        print("\nTargets (stated at 1 BLAS thread, but measured at the default: threadpoolctl is not installed):")
    for t in report["targets"]:
        value = "-" if t["value"] is None else f"{t['value']:.3g}"
        where = f"  ({t['where']})" if t["where"] and t["value"] is not None else ""
        at = f"; against the floor written with @: {t['against floor @']:.3g}" if "against floor @" in t else ""
        print(f"  {t['status']:>8}  {t['target']}: {value}{where}{at}")


# --- Main ---

def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of tables")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per group (default 61, --quick 7)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and seeds: under a minute")
    args = parser.parse_args(argv)
    rounds = args.rounds if args.rounds is not None else (7 if args.quick else 61)
    if rounds < 1:
        parser.error(f"--rounds must be >= 1, got {rounds}")
    min_time = 0.002 if args.quick else 0.02
    fit_seeds = cases.FIT_SEEDS[:2] if args.quick else cases.FIT_SEEDS
    fit_repeats = 1 if args.quick else 5
    scaling_rounds = 3 if args.quick else max(5, rounds // 3)

    machine = machine_info()  # before torch and scikit-learn load their own threaded libraries
    threadpoolctl = optional("threadpoolctl")
    torch = optional("torch")
    sklearn = optional("sklearn.neural_network")
    threads = 1 if threadpoolctl is not None else "default"
    limit = threadpoolctl.threadpool_limits(1) if threadpoolctl is not None else nullcontext()
    report = {
        "machine": machine,
        "peers": {"torch": torch.__version__ if torch else "not installed",
                  "sklearn": optional("sklearn").__version__ if sklearn else "not installed"},
        "settings": {"rounds": rounds, "min_time": min_time, "threads": threads, "fit_seeds": list(fit_seeds),
                     "fit_repeats": fit_repeats, "scaling_rounds": scaling_rounds},
    }
    with limit:
        if torch is not None and threadpoolctl is not None:
            cases.torch_threads(1)  # torch's thread count set to numpy's (otherwise both keep their defaults)
        rows = []
        for name, case in cases.CASES.items():
            for dtype in cases.DTYPES:
                log(f"timing {name} {dtype}")
                variants = step_variants(case, dtype, torch, sklearn)
                rows += step_rows(measure(variants, rounds, min_time), case, dtype)
                if not all_finite(variants):
                    log(f"warning: a tinynet model of {name} {dtype} is no longer finite; its times are not meaningful")
        report["steps"] = rows
        log("timing the fit of sin")
        libraries = ["tinynet"] + [lib for lib, mod in (("torch", torch), ("sklearn", sklearn)) if mod is not None]
        if torch is not None:
            libraries.append("tinynet, torch's init")
        fit = time_to_fit(libraries, fit_seeds, fit_repeats)
        report["fit"] = {lib: fit.get(lib) for lib in cases.FITTERS}
        log("timing scaling")
        report["scaling"] = scaling(scaling_rounds, min_time)
        memory = cases.step_memory()
        memory["ratio"] = memory["peak"] / (memory["forward_cache"] + memory["gradients"])
        report["memory"] = memory
        log("timing the lesson")
        report["lesson"] = lesson(fit_seeds, 1 if args.quick else 3, torch, sklearn)
    report["targets"] = targets(rows, report["fit"], memory, report["lesson"])
    if args.json:
        print(json.dumps(report, indent=1, default=str))
    else:
        print_report(report)
    return report


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
