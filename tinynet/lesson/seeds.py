"""seed_sweep: how often does a trained ReLU net end as linear regression?

A ReLU net is piecewise linear, but a trained net whose kinks all miss the
data, or whose units are all dead, is one affine map over the data: no
better than least squares there. Whether training ends there depends on
where the kinks start: on the seed. ``seed_sweep`` trains the same net from
many seeds and says how each ended (OUTCOME_MEANINGS): "fit" (far better
than any line), "linear" (one affine map with least squares' MSE: it *is*
linear regression, however many units), "stuck" (one affine map, but worse
than least squares: a constant with every unit dead, say), "other", or
"diverged" (``fit`` refused the run); ``describe_fit`` answers the questions
the rule asks. ``sweep_summary`` counts them, with a 95 % Wilson interval for each share
(100 seeds pin a share down to about +-10 %). References:
Holzmueller & Steinwart, 2020, arXiv 2002.04861 (zero biases); Lu et al.,
2019, "Dying ReLU and Initialization", arXiv 1903.06733; E. B. Wilson, 1927,
JASA 22, "Probable inference, the law of succession, and statistical inference".
"""

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..checks import (
    as_batch,
    check_columns,
    check_same_length,
    positive_float,
    positive_int,
)
from ..errors import TrainingDiverged
from ..mlp import mlp
from ..standardize import scaled_for_training
from ..training import WORSE_THAN_MEAN, fit
from .linear_regime import LINEAR_WITHIN, least_squares_mse, times_least_squares
from .report import FitReport, describe_fit, model_name

FIT_SHARE = 0.01  # "fit" by default: an MSE below 1 % of least squares', 100x better than a line
OUTCOME_MEANINGS = {  # the rule of seed_sweep, in its order
    "fit": f"training MSE below {FIT_SHARE:.0%} of least squares' (fit_below)",
    "linear": f"one linear piece over the data, MSE within {LINEAR_WITHIN:.0%} of least squares': "
              "linear regression",
    "stuck": "one linear piece over the data, MSE worse than least squares': stuck there (a constant, say)",
    "other": "bends on the data without fitting",
    "diverged": f"its loss ended over {WORSE_THAN_MEAN}x always predicting the mean's (and above its start), "
                "or not finite: fit refused it",
}
OUTCOMES = tuple(OUTCOME_MEANINGS)


@dataclass
class SeedOutcome:
    """How one seed's net ended; MSEs are training MSEs in the units of y.

    ``pieces``: linear pieces over the data, X's range (one input and output only);
    ``dead_units``: (dead, total) ReLU units. Both None when training diverged.
    ``reason``: for a "stuck" run, why it misses least squares' line; for a
    "diverged" one, how (``fit``'s words); else None.
    """

    seed: int
    outcome: str  # one of OUTCOMES
    mse: float  # nan when training diverged
    least_squares_mse: float
    fit_below: float  # the threshold the outcome was judged by
    pieces: int | None
    dead_units: tuple[int, int] | None
    epochs: int | None  # epochs trained (fewer than asked when the loss settled); None when diverged
    diverged: bool = False
    reason: str | None = None
    model: object = field(default=None, repr=False, compare=False)

    def describe(self) -> str:
        """One line saying how this seed ended, with the numbers behind the verdict."""
        if self.diverged:
            return f"seed {self.seed} diverged: {self.reason}"
        if self.pieces is not None:
            where = f"{self.pieces} piece{'' if self.pieces == 1 else 's'} over the data, "
        else:  # more inputs, or a smooth net: no pieces to count, but linear and stuck are one map
            where = "one affine map over the data, " if self.outcome in ("linear", "stuck") else ""
        dead = f" ({self.dead_units[0]} of {self.dead_units[1]} ReLU units dead)" if self.dead_units[0] else ""
        if self.outcome == "fit":
            return f"seed {self.seed} fits: {where}MSE {self.mse:.3g} < {self.fit_below:.4g}{dead}"
        if self.outcome == "linear":
            return (f"seed {self.seed} ends as linear regression: {where}"
                    f"MSE {self.mse:.4g} >= least squares {self.least_squares_mse:.4g}{dead}")
        if self.outcome == "stuck":
            return (f"seed {self.seed} is stuck off least squares' line: {where}"
                    f"{times_least_squares(self.mse, self.least_squares_mse)}: {self.reason}")
        return (f"seed {self.seed} bends without fitting: {where}MSE {self.mse:.4g} "
                f"(least squares {self.least_squares_mse:.4g}; a fit needs < {self.fit_below:.4g}){dead}")


def seed_sweep(X, y, hidden, seeds, activation: str = "relu", fit_below: float | None = None, *,
               bias_init: str = "uniform", standardize: bool = True, on_outcome=None,
               **fit_options) -> list[SeedOutcome]:
    """Train ``mlp([D, *hidden, K], activation)`` once per seed on (X, y); say how each ended.

    Args:
        X: (N, D) inputs; y: (N, K) targets. Values ``tinynet train`` would refuse
            (``check_columns``: too large to standardise, or too close together)
            are refused with a ValueError naming the column.
        hidden: one hidden layer's width (2) or a list of widths ([8, 8]).
        seeds: a count n (seeds 0 ... n - 1) or a list of distinct seeds >= 0;
            each draws the weights and is ``fit``'s seed too.
        activation: the hidden activation (a smooth one never ends "linear").
        fit_below: the MSE under which a net counts as "fit"; None means 1 % of
            least squares' MSE on (X, y) (nothing beats an exact line: give one).
        bias_init: "uniform" or "zeros" (every first-layer kink starts at x = 0).
        standardize: train on X and y scaled to mean 0, variance 1, as ``compare``
            does; the net is returned and judged in the data's own units.
        on_outcome: called as on_outcome(outcome) after each seed.
        fit_options: passed to ``fit`` (epochs, lr, ...), the same for every seed.

    The rule, in order: training that ``fit`` refuses as diverged
    (``TrainingDiverged``) is "diverged", with MSE nan; MSE < fit_below is
    "fit"; else, where the net is one affine map over the data
    (``describe_fit``'s ``one_affine_map``), "linear" if its MSE is within 1 %
    of least squares' (it is the least-squares line) and "stuck" if not
    (``stuck`` says why); else "other".

    >>> X, y = make_dataset("abs", 64)
    >>> runs = seed_sweep(X, y, hidden=2, seeds=3, epochs=300)
    >>> [run.outcome for run in runs]
    ['linear', 'linear', 'other']
    >>> print(runs[0].describe())
    seed 0 ends as linear regression: 1 piece over the data, MSE 0.08592 >= least squares 0.08592 (2 of 2 ReLU units dead)
    """
    X = as_batch(X, "X")
    y = as_batch(y, "y")
    check_same_length(X, y)
    for values, name in ((X, "X"), (y, "y")):  # what train refuses, refused here in the same words
        check_columns(values, name, standardize=standardize)
    hidden, seeds = _widths(hidden), _seeds(seeds)
    if "seed" in fit_options:
        raise ValueError("seed is set per net by seeds: leave it out of the fit options")
    ls_mse = least_squares_mse(X, y)
    fit_below = FIT_SHARE * ls_mse if fit_below is None else positive_float(fit_below, "fit_below")
    outcomes = []
    for seed in seeds:
        net = mlp([X.shape[1], *hidden, y.shape[1]], activation, seed=seed, bias_init=bias_init)
        model, X_train, y_train = scaled_for_training(net, X, y, standardize=standardize)
        judged = {"seed": seed, "least_squares_mse": ls_mse, "fit_below": fit_below, "model": model}
        try:
            epochs = fit(net, X_train, y_train, seed=seed, **fit_options).epochs
        except TrainingDiverged as error:
            outcome = SeedOutcome(outcome="diverged", mse=math.nan, pieces=None, dead_units=None, epochs=None,
                                  diverged=True, reason=str(error).removeprefix("training diverged: "), **judged)
        else:
            report = describe_fit(model, X, y, regions=False, least_squares=ls_mse)
            kind = _outcome(report, fit_below)
            outcome = SeedOutcome(outcome=kind, mse=report.mse,
                                  pieces=None if report.pieces is None else report.pieces.count,
                                  dead_units=report.dead_units, epochs=epochs,
                                  reason=report.stuck if kind == "stuck" else None, **judged)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def _outcome(report: FitReport, fit_below: float) -> str:
    """The rule of ``seed_sweep``, in its order, for a run that did not diverge."""
    if report.mse < fit_below:
        return "fit"
    if report.one_affine_map:
        return "linear" if report.stuck is None else "stuck"
    return "other"


def sweep_summary(outcomes: list[SeedOutcome], z: float = 1.96) -> dict[str, dict]:
    """Per outcome ("fit", "linear", "stuck", "other", "diverged"): its count, share and Wilson interval.

    >>> X, y = make_dataset("abs", 64)
    >>> fit = sweep_summary(seed_sweep(X, y, hidden=8, seeds=3, epochs=300))["fit"]
    >>> fit["count"], fit["share"], round(fit["low"], 3), fit["high"]
    (3, 1.0, 0.438, 1.0)
    """
    if not outcomes:
        raise ValueError("outcomes is empty: run seed_sweep with at least one seed")
    n = len(outcomes)
    summary = {}
    for name in OUTCOMES:
        count = sum(o.outcome == name for o in outcomes)
        low, high = wilson_interval(count, n, z)
        summary[name] = {"count": count, "share": count / n, "low": low, "high": high}
    return summary


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's score interval for a share successes / n: about 95 % sure to hold it for z = 1.96.

    With p = successes / n:
        center = (p + z**2 / (2 n)) / (1 + z**2 / n)
        half   = z / (1 + z**2 / n) * sqrt(p (1 - p) / n + z**2 / (4 n**2))
    Unlike p +- z sqrt(p (1 - p) / n), it stays inside [0, 1] and is not
    zero wide when nothing (or everything) succeeded.

    >>> [round(v, 4) for v in wilson_interval(0, 10)]
    [0.0, 0.2775]
    """
    n = positive_int(n, "n")
    if isinstance(successes, bool) or not isinstance(successes, numbers.Integral) or not 0 <= successes <= n:
        raise ValueError(f"successes must be an integer in [0, n] = [0, {n}], got {successes!r}")
    z = positive_float(z, "z")
    p = successes / n
    shrink = 1 + z * z / n
    center = (p + z * z / (2 * n)) / shrink
    half = z / shrink * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # at 0 or n successes one end is exact on paper; rounding would leave it a hair off
    low = 0.0 if successes == 0 else max(0.0, center - half)
    high = 1.0 if successes == n else min(1.0, center + half)
    return low, high


def _widths(hidden) -> list[int]:
    if isinstance(hidden, numbers.Integral) and not isinstance(hidden, bool):
        return [positive_int(hidden, "hidden")]
    return _int_list(hidden, 1, "hidden must be a width >= 1 or a non-empty list of widths >= 1, "
                                f"like 2 or [8, 8], got {hidden!r}")


def _seeds(seeds) -> list[int]:
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        return list(range(positive_int(seeds, "seeds")))
    error = f"seeds must be a count >= 1 or a non-empty list of distinct integers >= 0, got {seeds!r}"
    listed = _int_list(seeds, 0, error)
    if len(set(listed)) != len(listed):
        raise ValueError(error)
    return listed


def _int_list(values, least: int, error: str) -> list[int]:
    """``values`` (a list, tuple or range) as a non-empty list of ints >= least, or ValueError(error)."""
    if (isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) == 0
            or any(isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < least for v in values)):
        raise ValueError(error)
    return [int(v) for v in values]


def sweep_text(runs: list[SeedOutcome], data: str, samples: int, standardize: bool, bias_init: str,
               epochs: int) -> str:
    """The report ``tinynet seeds`` prints for ``runs``: what was trained, least squares' MSE, the table of
    outcomes with their intervals, what each outcome means, and one example of each."""
    scaled = "standardised" if standardize else "unscaled"
    biases = "zero" if bias_init == "zeros" else bias_init
    lines = [(f"{model_name(runs[0].model)} with {biases} biases on {data} ({samples} samples, {scaled}), "
              f"seeds 0-{runs[-1].seed}, at most {epochs} epochs each"),
             f"least squares MSE {runs[0].least_squares_mse:.4g}", ""]
    header = ("outcome", "count", "share", "95% interval")
    cells = [header] + [(name, str(row["count"]), f"{row['share']:.0%}", f"{row['low']:.0%} - {row['high']:.0%}")
                        for name, row in sweep_summary(runs).items()]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines += ["  ".join([line[0].ljust(widths[0])] + [cell.rjust(width) for cell, width
                                                      in zip(line[1:], widths[1:])]).rstrip() for line in cells]
    meanings = OUTCOME_MEANINGS | {"fit": f"training MSE below {runs[0].fit_below:.4g} "
                                          f"({FIT_SHARE:.0%} of least squares')"}
    width = max(map(len, OUTCOMES)) + 2  # the longest name, its colon and a space
    lines += [""] + [f"{name + ':':<{width}}{meanings[name]}" for name in OUTCOMES] + [""]
    examples = (next((run for run in runs if run.outcome == name), None) for name in OUTCOMES)
    return "\n".join(lines + [example.describe() for example in examples if example is not None])


def run_json(run: SeedOutcome) -> dict:
    """One seed's numbers, without the model; JSON has no nan, so a diverged run's MSE is null."""
    return {"seed": run.seed, "outcome": run.outcome, "mse": None if math.isnan(run.mse) else run.mse,
            "pieces": run.pieces, "dead_units": None if run.dead_units is None else list(run.dead_units),
            "epochs": run.epochs, "diverged": run.diverged, "reason": run.reason}


def sweep_json(runs: list[SeedOutcome], settings: dict) -> dict:
    """What ``tinynet seeds --json`` prints: the ``settings`` it ran with (data, hidden, seeds, ...), least
    squares' MSE and the fit threshold (if a seed finished), what each outcome means, the summary and each seed."""
    ran = {"least_squares_mse": runs[0].least_squares_mse, "fit_below": runs[0].fit_below} if runs else {}
    return settings | ran | {"outcome_meanings": OUTCOME_MEANINGS, "summary": sweep_summary(runs) if runs else None,
                             "outcomes": [run_json(run) for run in runs]}
