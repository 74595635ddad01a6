"""seed_sweep, sweep_summary, wilson_interval and ``tinynet seeds``: how often a ReLU net ends as linear regression.

The sweeps are small (abs on 64 points, a few seeds, 300 epochs) so the
file runs in seconds; the 100-seed measurements live in docs/seeds.md.
"""

import doctest
import importlib
import json
import math
import re

import click
import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
import tinynet.lesson.seeds
from cli.main import cli
from tinynet import seed_sweep, sweep_summary, wilson_interval

FAST = {"epochs": 300}
CLI_FAST = ("--data", "abs", "--seeds", "4", "--epochs", "300")


@pytest.fixture(scope="module")
def abs_data():
    return tinynet.make_dataset("abs", 64)


@pytest.fixture(scope="module")
def narrow(abs_data):
    """Two units from six seeds: some end with every kink off the data."""
    X, y = abs_data
    return seed_sweep(X, y, 2, 6, **FAST)


def least_squares_mse(X, y) -> float:
    return tinynet.MSELoss()(tinynet.least_squares(X, y)(X), y)


# --- wilson_interval: worked by hand ----------------------------------------------------------------------


def test_wilson_interval_hand_worked():
    # z = 1.96, n = 10: z**2 = 3.8416, shrink = 1 + z**2 / n = 1.38416
    # 0 of 10:  center = (0 + 3.8416 / 20) / 1.38416 = 0.138770, half the same: [0, 0.277540]
    # 5 of 10:  center = 0.5; half = 1.96 / 1.38416 * sqrt(0.25 / 10 + 3.8416 / 400)
    #                             = 1.416021 * sqrt(0.034604) = 0.263410: [0.236590, 0.763410]
    # 10 of 10: the mirror of 0 of 10: [1 - 0.277540, 1]
    assert wilson_interval(0, 10) == (0.0, pytest.approx(0.277540, abs=1e-6))
    assert wilson_interval(5, 10) == (pytest.approx(0.236590, abs=1e-6), pytest.approx(0.763410, abs=1e-6))
    assert wilson_interval(10, 10) == (pytest.approx(0.722460, abs=1e-6), 1.0)


def test_wilson_interval_narrows_with_more_trials_and_holds_the_share():
    for n in (1, 7, 100, 10_000):
        for k in {0, n // 3, n}:
            low, high = wilson_interval(k, n)
            assert 0.0 <= low <= k / n <= high <= 1.0
    assert np.diff(wilson_interval(50, 100)) > np.diff(wilson_interval(500, 1000))


@pytest.mark.parametrize("args, message", [
    ((11, 10), "successes must be an integer in [0, n] = [0, 10], got 11"),
    ((-1, 10), "successes must be an integer in [0, n]"),
    ((0.5, 10), "got 0.5"),
    ((0, 0), "n must be an integer >= 1, got 0"),
    ((1, 10, 0.0), "z must be a number > 0, got 0.0"),
])
def test_wilson_interval_refuses_what_is_not_a_count(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        wilson_interval(*args)


# --- seed_sweep: the outcomes -----------------------------------------------------------------------------


def test_a_two_unit_net_ends_as_linear_regression_for_some_seeds(narrow, abs_data):
    X, y = abs_data
    ls = least_squares_mse(X, y)
    linear = [run for run in narrow if run.outcome == "linear"]
    assert linear, [run.outcome for run in narrow]
    for run in linear:
        # one affine map over the data, so least squares is the best it can do
        assert tinynet.linear_on_data(run.model, X)
        assert run.pieces == 1
        assert ls * (1 - 1e-9) <= run.mse <= ls * 1.01  # within 1 %: it is the least-squares line
        assert run.mse == pytest.approx(tinynet.MSELoss()(run.model(X), y))
        assert "ends as linear regression: 1 piece over the data" in run.describe()


def test_every_outcome_follows_the_rule(narrow, abs_data):
    X, y = abs_data
    ls = least_squares_mse(X, y)
    assert [run.seed for run in narrow] == list(range(6))
    for run in narrow:
        assert run.least_squares_mse == pytest.approx(ls)
        assert run.fit_below == pytest.approx(0.01 * ls)  # the default: 1 % of least squares' MSE
        one_map = tinynet.linear_on_data(run.model, X)
        expected = ("fit" if run.mse < run.fit_below
                    else "linear" if one_map and run.mse <= 1.01 * ls
                    else "stuck" if one_map else "other")
        assert run.outcome == expected
        dead, total = run.dead_units
        assert total == 2 and 0 <= dead <= 2


def test_a_wide_net_fits_more_seeds_than_a_two_unit_one(narrow, abs_data):
    X, y = abs_data
    wide = sweep_summary(seed_sweep(X, y, 8, 6, **FAST))
    assert wide["fit"]["count"] > sweep_summary(narrow)["fit"]["count"]


def test_fit_below_is_the_threshold_used(abs_data):
    X, y = abs_data
    runs = seed_sweep(X, y, [2], [4, 9], fit_below=1.0, **FAST)  # every net beats an MSE of 1 on |x|
    assert [(run.seed, run.outcome, run.fit_below) for run in runs] == [(4, "fit", 1.0), (9, "fit", 1.0)]


def test_bias_init_zeros_starts_every_bias_at_zero(abs_data, monkeypatch):
    started = []
    real_fit = tinynet.lesson.seeds.fit

    def recording_fit(net, *args, **kwargs):
        started.append([layer.bias.data.copy() for layer in net if isinstance(layer, tinynet.Linear)])
        return real_fit(net, *args, **kwargs)

    monkeypatch.setattr(tinynet.lesson.seeds, "fit", recording_fit)
    X, y = abs_data
    seed_sweep(X, y, [3, 3], 2, bias_init="zeros", epochs=5)
    assert len(started) == 2 and all(not b.any() for biases in started for b in biases)
    started.clear()
    seed_sweep(X, y, [3, 3], 2, epochs=5)
    assert all(biases[0].any() for biases in started)  # the default draws them


def test_a_diverged_net_is_its_own_outcome_with_mse_nan(abs_data):
    X, y = abs_data
    runs = seed_sweep(X, y, 2, 2, optimizer="sgd", lr=1e6, epochs=50)
    for run in runs:
        assert (run.outcome, run.diverged, run.pieces, run.dead_units) == ("diverged", True, None, None)
        assert math.isnan(run.mse)
        assert run.describe().startswith(f"seed {run.seed} diverged: the loss became ")


def test_a_finite_explosion_is_diverged_never_linear_regression(abs_data):
    """Issue 20: Adam at lr 1e6 ends at an MSE of 1e11 to 1e15, finite: the sweep sorted such runs by their
    shape (a constant: "stuck", or "linear regression" before the 1 % rule) instead of refusing them, as fit
    does now (tinynet.training.divergence)."""
    X, y = abs_data
    runs = seed_sweep(X, y, 8, 3, lr=1e6, epochs=300)
    assert [run.outcome for run in runs] == ["diverged"] * 3
    for run in runs:
        assert run.describe().startswith(f"seed {run.seed} diverged: the final training loss ")
        assert "over 2x that of always predicting the mean" in run.describe()
        assert "lower the learning rate" in run.describe()
    assert sweep_summary(runs)["diverged"]["count"] == 3


def test_the_command_reports_a_diverged_seed_as_diverged_with_mse_null(monkeypatch):
    def diverging_fit(*args, **kwargs):
        raise tinynet.TrainingDiverged("training diverged: the loss became nan at epoch 1: lower the learning rate")

    monkeypatch.setattr(tinynet.lesson.seeds, "fit", diverging_fit)
    report = json.loads(run("seeds", "--data", "abs", "--seeds", "2", "--json").stdout)
    assert [(r["outcome"], r["mse"], r["diverged"]) for r in report["outcomes"]] == [("diverged", None, True)] * 2
    assert report["summary"]["diverged"]["count"] == 2 and report["summary"]["other"]["count"] == 0
    text = run("seeds", "--data", "abs", "--seeds", "2").stdout
    assert "seed 0 diverged: the loss became nan at epoch 1: lower the learning rate" in text
    assert "\ndiverged      2   100%" in text


def test_two_inputs_have_no_pieces_but_still_an_outcome():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (64, 2))
    y = np.abs(X[:, :1]) + X[:, 1:]
    runs = seed_sweep(X, y, 4, 2, **FAST)
    assert all(run.pieces is None and run.outcome in tinynet.lesson.seeds.OUTCOMES for run in runs)


def test_sweep_summary_counts_shares_and_intervals(narrow):
    summary = sweep_summary(narrow)
    assert list(summary) == ["fit", "linear", "stuck", "other", "diverged"]
    assert sum(row["count"] for row in summary.values()) == len(narrow)
    for name, row in summary.items():
        assert row["count"] == sum(run.outcome == name for run in narrow)
        assert row["share"] == row["count"] / len(narrow)
        assert (row["low"], row["high"]) == wilson_interval(row["count"], len(narrow))


@pytest.mark.parametrize("kwargs, message", [
    ({"hidden": 0}, "hidden must be an integer >= 1, got 0"),
    ({"hidden": []}, "hidden must be a width >= 1 or a non-empty list of widths >= 1, like 2 or [8, 8], got []"),
    ({"hidden": [8, 0]}, "got [8, 0]"),
    ({"hidden": "8"}, "hidden must be a width >= 1"),
    ({"seeds": 0}, "seeds must be an integer >= 1, got 0"),
    ({"seeds": [1, 1]}, "seeds must be a count >= 1 or a non-empty list of distinct integers >= 0, got [1, 1]"),
    ({"seeds": [-1]}, "got [-1]"),
    ({"fit_below": -1.0}, "fit_below must be a number > 0, got -1.0"),
    ({"seed": 3}, "seed is set per net by seeds"),
    ({"activation": "softplus"}, "softplus"),
    ({"bias_init": "ones"}, "bias_init must be one of uniform, zeros, got 'ones'"),
])
def test_seed_sweep_refuses_bad_arguments_naming_them(abs_data, kwargs, message):
    X, y = abs_data
    arguments = {"hidden": 2, "seeds": 1} | kwargs
    with pytest.raises(ValueError, match=re.escape(message)):
        seed_sweep(X, y, **arguments, epochs=1)


def test_docstring_examples_run():
    names = {name: getattr(tinynet, name) for name in tinynet.__all__}
    result = doctest.testmod(importlib.import_module("tinynet.lesson.seeds"), extraglobs=names)
    assert result.attempted > 0 and result.failed == 0


# --- tinynet seeds ----------------------------------------------------------------------------------------


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="tinynet")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def one_error_line(result, code: int) -> str:
    assert result.exit_code == code, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_seeds_prints_the_table_the_threshold_and_an_example_of_each_outcome():
    result = run("seeds", *CLI_FAST, "--hidden", "2")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # not a terminal: no progress bar
    out = result.stdout
    assert "mlp 1-2-1 (relu) with uniform biases on abs (512 samples, standardised), seeds 0-3" in out
    assert re.search(r"^least squares MSE 0\.0836\d$", out, re.MULTILINE)
    assert re.search(r"^fit: +training MSE below 0\.000836\d \(1% of least squares'\)$", out, re.MULTILINE)
    assert re.search(r"^outcome\s+count\s+share\s+95% interval$", out, re.MULTILINE)
    counts = {}
    for name in ("fit", "linear", "stuck", "other"):
        match = re.search(rf"^{name}\s+(\d+)\s+(\d+)%\s+(\d+)% - (\d+)%$", out, re.MULTILINE)
        assert match, out
        counts[name] = int(match[1])
    assert sum(counts.values()) == 4
    assert counts["linear"] >= 1
    assert re.search(r"^seed \d ends as linear regression: 1 piece over the data, MSE 0\.08\d+ >= least squares",
                     out, re.MULTILINE)


def test_seeds_json_agrees_with_the_python_function():
    result = run("seeds", *CLI_FAST, "--hidden", "2", "--bias-init", "zeros", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    X, y = tinynet.make_dataset("abs")
    runs = seed_sweep(X, y, 2, 4, bias_init="zeros", epochs=300)
    assert [r["outcome"] for r in report["outcomes"]] == [run.outcome for run in runs]
    assert report["summary"] == sweep_summary(runs)
    assert report["fit_below"] == pytest.approx(runs[0].fit_below)
    assert (report["bias_init"], report["standardize"], report["hidden"]) == ("zeros", True, [2])
    text = run("seeds", *CLI_FAST, "--hidden", "2", "--bias-init", "zeros").stdout
    assert "with zero biases on abs" in text
    for name, row in report["summary"].items():
        assert re.search(rf"^{name}\s+{row['count']}\s", text, re.MULTILINE)


@pytest.mark.parametrize("args, code, fragment", [
    (("--seeds", "0"), 2, "'--seeds': 0 is not in the range x>=1"),
    (("--data", "nowhere"), 2, "'nowhere' is neither a built-in dataset"),
    (("--data", "missing.csv"), 1, "missing.csv"),
    (("--hidden", ""), 2, "needs at least one hidden layer"),
    (("--hidden", "2,x"), 2, "is not a list of positive integers"),
    (("--lr", "nan"), 2, "nan is not a number"),
    (("--bias-init", "ones"), 2, "'ones' is not one of"),
])
def test_seeds_bad_arguments_are_one_error_line(args, code, fragment):
    assert fragment in one_error_line(run("seeds", *args), code)


def test_seeds_help_has_examples_and_documents_every_option_and_its_default():
    assert re.search(r"^\s+seeds\s+\S", run("--help").stdout, re.MULTILINE)
    result = run("seeds", "--help")
    assert "tinynet seeds --data abs --hidden 2 --seeds 100" in result.stdout
    command = cli.commands["seeds"]
    ctx = click.Context(command, info_name="seeds",
                        parent=click.Context(cli, info_name="tinynet", show_default=True))
    for option in command.params:
        if not isinstance(option, click.Option) or option.name == "help":
            continue
        assert option.opts[0] in result.stdout and option.help
        default = option.get_default(ctx, call=False)
        if default is not None and not (option.is_flag and not option.secondary_opts and not default):
            assert "[default:" in option.get_help_record(ctx)[1], option.opts[0]


# --- linear regression only at least squares' MSE; stuck runs apart (issue 18) --------------------------------


def test_a_run_stuck_at_a_constant_is_not_called_linear_regression():
    # sin, seed 0: both units die and the net is the flat line at the mean, MSE 0.49 against least
    # squares' 0.21; it was called "linear regression" for being one piece over the data
    X, y = tinynet.make_dataset("sin", 64)
    (run,) = seed_sweep(X, y, 2, [0], **FAST)
    ls = least_squares_mse(X, y)
    assert tinynet.linear_on_data(run.model, X) and run.mse > 2 * ls
    assert run.outcome == "stuck" and run.dead_units == (2, 2)
    assert run.reason == "every ReLU unit is dead (2 of 2), so it outputs a constant"
    text = run.describe()
    assert text.startswith("seed 0 is stuck off least squares' line: 1 piece over the data, MSE 0.49")
    assert "x least squares' 0.207" in text and "linear regression" not in text
    note = tinynet.linear_regression_note(run.model, X, y)  # train, compare and inspect say the same
    assert note.startswith("one linear piece over the data, but not linear regression: every ReLU unit is dead")


def test_the_seeds_command_defaults_to_abs_and_says_what_each_outcome_means():
    result = run("seeds", "--seeds", "2", "--epochs", "300")
    assert result.exit_code == 0, result.output
    assert "relu) with uniform biases on abs (512 samples" in result.stdout
    for name, meaning in tinynet.OUTCOME_MEANINGS.items():
        if name != "fit":  # fit's meaning is given with its threshold
            assert f"{name + ':':<10}{meaning}\n" in result.stdout
    assert "stuck" in run("seeds", "--help").stdout
    report = json.loads(run("seeds", "--data", "sin", "--seeds", "1", "--epochs", "300", "--json").stdout)
    assert list(report["outcome_meanings"]) == list(report["summary"]) == list(tinynet.OUTCOMES)
    (stuck,) = report["outcomes"]
    assert (stuck["outcome"], stuck["reason"]) == ("stuck", "every ReLU unit is dead (2 of 2), so it outputs a constant")


# --- seeds checks its data as train does; two inputs are described truly (issue 20 item 13) ----------------------


@pytest.mark.parametrize("scale, words", [
    (1e200, "column 'a' cannot be standardised: its values (up to"),  # overflow: it named neither file nor column
    (1e-310, "column 'a' cannot be standardised: its values span only"),  # subnormal: it was used silently
])
def test_seeds_refuses_a_column_as_train_does_naming_the_file_and_the_column(tmp_path, scale, words):
    x = np.linspace(-1, 1, 64)
    path = tmp_path / "data.csv"
    path.write_text("a,y\n" + "".join(f"{float(v)!r},{float(abs(u))!r}\n" for v, u in zip(x * scale, x)))
    said = {command: one_error_line(run(command, "--data", path, *extra), 1)
            for command, extra in (("seeds", ("--seeds", "1", "--epochs", "10")), ("train", ("--epochs", "10")))}
    assert said["seeds"] == said["train"]  # one set of checks, one message
    assert f"{path}: {words}" in said["seeds"]


def test_seed_sweep_refuses_what_train_refuses_naming_the_column():
    X = np.linspace(-1, 1, 64).reshape(-1, 1)
    with pytest.raises(ValueError, match=r"^X, column 0 cannot be standardised: its values span only"):
        seed_sweep(X * 1e-310, np.abs(X), 2, 1, epochs=10)
    with pytest.raises(ValueError, match=r"^y, column 0 cannot be standardised: its values \(up to 1e\+200\)"):
        seed_sweep(X, np.abs(X) * 1e200, 2, 1, epochs=10)
    assert seed_sweep(X * 1e-310, np.abs(X), 2, 1, standardize=False, epochs=10)[0].seed == 0  # unscaled: no std


@pytest.mark.parametrize("data", ["xor", "circles", "moons"])
def test_two_input_seeds_called_one_affine_map_never_beat_least_squares(data):
    # an affine map over the data cannot have a lower MSE than least squares: a seed said to be one must not
    X, y = tinynet.make_dataset(data)
    runs = seed_sweep(X, y, 2, 6, epochs=200)
    for run in runs:
        affine = "one affine map over the data" in run.describe()
        assert affine == (run.outcome in ("linear", "stuck")), run.describe()
        if affine:
            assert tinynet.linear_on_data(run.model, X)
            assert run.mse >= run.least_squares_mse * (1 - 1e-9), run.describe()
    assert {run.outcome for run in runs} & {"other", "fit"}  # some seeds bend: they are not called affine
