"""tinynet inspect: the linear pieces of a saved model, in text and JSON, and over the data with --data."""

import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
import tinynet.lesson.inspect
from cli.main import cli


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="tinynet")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def ok(*args) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def strict_json(text: str):
    """json.loads that refuses Infinity and NaN, which Python writes but JSON does not have."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def saved(model, tmp_path) -> str:
    tinynet.save(model, tmp_path / "model.npz")
    return str(tmp_path / "model.npz")


def write_csv(path, header, rows) -> str:
    path.write_text(",".join(header) + "\n" + "".join(",".join(map(str, row)) + "\n" for row in rows))
    return str(path)


def one_kink_net(kink: float, bias: float):
    """y = relu(x - kink) + bias: flat at bias, then slope 1."""
    model = tinynet.mlp([1, 1, 1], "relu")
    model[0].weight.data[...] = [[1.0]]
    model[0].bias.data[...] = [-kink]
    model[2].weight.data[...] = [[1.0]]
    model[2].bias.data[...] = [bias]
    return model


def dead_net():
    """A 1-8-1 ReLU net whose units are all off for every x in sin's [-pi, pi]: one straight line there."""
    model = tinynet.mlp([1, 8, 1], "relu", seed=0)
    model[0].weight.data[...] = np.abs(model[0].weight.data)
    model[0].bias.data[...] = -10.0  # w * x - 10 < 0 for |x| <= pi while |w| < 3
    assert np.abs(model[0].weight.data).max() < 3
    return model


# --- the pieces, in text and JSON ------------------------------------------------------------------------


def test_exact_abs_is_shown_as_two_lines(tmp_path):
    out = ok("inspect", saved(tinynet.exact_abs(), tmp_path))
    assert "on [-inf, 0]: y = -1 * x + 0" in out
    assert "on [0, inf]: y = 1 * x + 0" in out
    assert "1 of 1 breakpoint changes the slope by more than 1% of the steepest piece" in out
    assert re.search(r"\b1 breakpoint, 2 linear pieces over all x\n", out)  # no data, no scaling: all x
    assert "more piece" not in out


def test_a_negative_intercept_is_written_with_a_minus_and_4_significant_digits(tmp_path):
    out = ok("inspect", saved(one_kink_net(kink=1.23456, bias=-0.5), tmp_path))
    assert "on [-inf, 1.235]: y = 0 * x - 0.5" in out
    assert "on [1.235, inf]: y = 1 * x - 1.735" in out  # x - 1.23456 - 0.5


def test_json_lists_every_piece_with_null_for_infinite_ends(tmp_path):
    path = saved(tinynet.mlp([1, 16, 16, 1], "relu", seed=3), tmp_path)
    text = ok("inspect", path, "--json")
    assert "Infinity" not in text and "NaN" not in text
    info = strict_json(text)
    expected = tinynet.pieces(tinynet.load(path))
    assert info["linear_pieces"] == len(info["pieces"]) == len(expected) == len(info["breakpoints"]) + 1
    assert info["pieces"][0]["start"] is None and info["pieces"][-1]["end"] is None
    for piece, (start, end, slope, intercept) in zip(info["pieces"], expected):
        assert set(piece) == {"start", "end", "slope", "intercept"}
        assert piece["start"] == (None if np.isinf(start) else start)
        assert piece["end"] == (None if np.isinf(end) else end)
        assert (piece["slope"], piece["intercept"]) == (slope, intercept)
    assert info["distinct_bends"] == tinynet.distinct_bends(expected, info["bend_rtol"])


def test_many_pieces_are_cut_off_after_12(tmp_path):
    path = saved(tinynet.mlp([1, 40, 1], "relu", seed=0), tmp_path)
    total = len(tinynet.pieces(tinynet.load(path)))
    assert total > 13
    out = ok("inspect", path)
    assert len(re.findall(r"^\s+on \[", out, re.MULTILINE)) == 12
    assert re.search(rf"^\s+\.\.\. and {total - 12} more pieces$", out, re.MULTILINE)
    assert len(strict_json(ok("inspect", path, "--json"))["pieces"]) == total  # JSON keeps them all


def test_bends_under_1_percent_of_the_steepest_slope_are_not_counted(tmp_path):
    # y = 2x from x = -100 on, with 31 kinks that each add 1e-4 to the slope, and one real bend at x = 4
    model = tinynet.mlp([1, 33, 1], "relu")
    model[0].weight.data[...] = 1.0
    model[0].bias.data[...] = np.concatenate([[100.0], -np.linspace(-3, 3, 31), [-4.0]])
    model[2].weight.data[...] = np.concatenate([[2.0], np.full(31, 1e-4), [-3.0]]).reshape(-1, 1)
    model[2].bias.data[...] = -200.0
    out = ok("inspect", saved(model, tmp_path))
    assert "33 breakpoints, 34 linear pieces over all x" in out
    assert "2 of 33 breakpoints change the slope by more than 1% of the steepest piece" in out  # at -100 and 4


def test_a_standardized_model_shows_its_pieces_in_the_datas_units(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(1000.0, 2000.0, size=(100, 1))
    y = 3 * X + 5000
    model = tinynet.standardized(tinynet.mlp([1, 4, 1], "relu", seed=1), X, y)
    info = strict_json(ok("inspect", saved(model, tmp_path), "--json"))
    first = info["pieces"][0]
    x = np.array([[first["end"] - 1.0]])
    assert first["slope"] * x[0, 0] + first["intercept"] == pytest.approx(model(x)[0, 0], rel=1e-9)


def test_a_model_with_too_many_pieces_says_so_and_shows_the_rest(tmp_path):
    path = saved(tinynet.sawtooth(21), tmp_path)  # 2**21 pieces on [0, 1]
    out = ok("inspect", path)
    assert "piecewise linear: the model has more than 1,000,000 breakpoints" in out
    assert "parameters:" in out  # the rest of the model is still shown
    info = strict_json(ok("inspect", path, "--json"))
    assert "breakpoints_error" in info and "pieces" not in info


def test_a_smooth_model_has_no_pieces(tmp_path):
    info = strict_json(ok("inspect", saved(tinynet.mlp([1, 4, 1], "sigmoid"), tmp_path), "--json"))
    assert "pieces" not in info and "breakpoints" not in info


# --- --data: the pieces over the data, and when the net is only linear regression -----------------------


def test_data_where_every_unit_is_dead_gets_the_linear_regression_note(tmp_path):
    model = dead_net()
    path = saved(model, tmp_path)
    note = tinynet.linear_regression_note(model, *tinynet.make_dataset("sin"))
    assert note is not None
    out = ok("inspect", path, "--data", "sin")
    assert "piecewise linear: 0 breakpoints, 1 linear piece on [-3.142, 3.142], the data's range\n" in out
    assert note in out
    info = strict_json(ok("inspect", path, "--data", "sin", "--json"))
    assert info["linear_pieces"] == 1 and info["range_over"] == "data" and info["linear_regression"] == note
    assert info["all_x_pieces"] > 1  # the units do switch, outside the data
    assert f"over all x: {info['all_x_pieces']} linear pieces" in out


def test_data_where_the_net_bends_gets_no_note(tmp_path):
    path = saved(tinynet.exact_abs(), tmp_path)
    out = ok("inspect", path, "--data", "abs")
    assert "piecewise linear: 1 breakpoint, 2 linear pieces on [-1, 1], the data's range\n" in out
    assert "linear regression here" not in out
    info = strict_json(ok("inspect", path, "--data", "abs", "--json"))
    assert info["linear_pieces"] == 2 and info["range"] == [-1.0, 1.0] and info["linear_regression"] is None
    assert [piece["start"] for piece in info["pieces"]] == [-1.0, 0.0]  # the pieces listed are those counted


def test_without_data_there_is_no_data_section(tmp_path):
    path = saved(dead_net(), tmp_path)
    assert "the data's range" not in ok("inspect", path)
    info = strict_json(ok("inspect", path, "--json"))
    assert "data" not in info and info["range_over"] == "everywhere"


def test_data_columns_are_found_by_name_as_predict_finds_them(tmp_path):
    model = one_kink_net(kink=5.0, bias=0.0)
    model.feature_names = ["x"]
    path = saved(model, tmp_path)
    # an extra column before x, the target last: x is picked by name, over [4, 6]
    data = write_csv(tmp_path / "zx.csv", ["z", "x", "y"], [(100, 4, 0), (200, 6, 1), (300, 5, 0)])
    info = strict_json(ok("inspect", path, "--data", data, "--json"))
    assert info["range"] == [4.0, 6.0] and info["linear_pieces"] == 2
    # the target named: y is an input column no more, t is predicted
    data = write_csv(tmp_path / "xyt.csv", ["t", "x", "y"], [(0, 4, 9), (1, 4.5, 9)])
    info = strict_json(ok("inspect", path, "--data", data, "--target", "t", "--json"))
    assert info["range"] == [4.0, 4.5] and info["linear_pieces"] == 1
    assert info["linear_regression"] is not None  # one piece over [4, 4.5]: linear regression there
    # no column x: the same error as predict's
    result = run("inspect", path, "--data", write_csv(tmp_path / "zy.csv", ["z", "y"], [(1, 2), (3, 4)]))
    assert result.exit_code == 1 and "no column 'x'" in result.stderr


def test_data_with_the_wrong_number_of_columns_is_refused(tmp_path):
    path = saved(tinynet.mlp([2, 4, 1], "relu"), tmp_path)
    result = run("inspect", path, "--data", "sin")
    assert result.exit_code == 1 and "takes 2" in result.stderr


def test_target_without_data_is_a_usage_error(tmp_path):
    result = run("inspect", saved(tinynet.exact_abs(), tmp_path), "--target", "y")
    assert result.exit_code == 2 and "--data" in result.stderr


# --- what a hostile or odd model file cannot do to inspect -------------------------------------------------


def test_a_column_name_with_a_lone_surrogate_is_printed_escaped_to_the_end(tmp_path):
    # a CSV header that was not valid UTF-8 reads as lone surrogates; strict UTF-8 output (CliRunner's,
    # or PYTHONIOENCODING=utf-8:strict) refused it after the first lines and inspect stopped there
    model = one_kink_net(kink=0.0, bias=0.0)
    model.feature_names = ["temp\udcff"]
    result = run("inspect", saved(model, tmp_path))
    assert result.exit_code == 0, result.output
    assert "input columns: 'temp\\udcff'" in result.stdout  # escaped, repr-style, as every unprintable name
    assert "piecewise linear: 1 breakpoint" in result.stdout  # the output went on to the end
    assert strict_json(ok("inspect", saved(model, tmp_path), "--json"))["features"] == ["temp\udcff"]


def test_json_stays_json_when_numbers_overflow(tmp_path):
    # W @ W overflows to inf in the collapsed map, and the pieces' slopes would too: null and a
    # message, never Infinity or NaN
    big = tinynet.Linear.from_weights([[1e300]], [0.0])
    info = strict_json(ok("inspect", saved(tinynet.Sequential(big, big), tmp_path), "--json"))
    assert info["collapsed"] == {"W": [[None]], "b": [0.0]}
    assert "overflow float64" in info["breakpoints_error"]


def test_a_float32_model_on_data_of_tiny_spread_shows_all_its_pieces(tmp_path):
    X = np.linspace(0.0, 1e-40, 200)[:, None]
    model = tinynet.standardized(tinynet.mlp([1, 32, 1], "relu", dtype=np.float32, seed=0), X, np.sin(X * 6e40))
    info = strict_json(ok("inspect", saved(model, tmp_path), "--json"))
    assert info["all_x_pieces"] == 33  # it said 1: the scaling's 1 / std overflowed float32
    assert info["linear_pieces"] == tinynet.count_pieces(tinynet.load(tmp_path / "model.npz")).count > 1


def test_an_identity_model_whose_scaling_cannot_be_multiplied_out_says_why_and_shows_the_rest(tmp_path):
    scaling = tinynet.Standardize(np.array([5e-41], dtype=np.float32), np.array([2.9e-41], dtype=np.float32))
    model = tinynet.Sequential(scaling, tinynet.Linear.from_weights(np.array([[1.0]], dtype=np.float32)))
    out = ok("inspect", saved(model, tmp_path))
    assert "cannot be multiplied out: Standardize: feature 0" in out and "overflows float32" in out
    assert "piecewise linear: 0 breakpoints, 1 linear piece on [" in out


def test_running_out_of_memory_gives_inspects_own_message(tmp_path, monkeypatch):
    def exhausted(*args, **kwargs):
        raise MemoryError
    monkeypatch.setattr(tinynet.lesson.inspect, "pieces", exhausted)  # what inspect lists the pieces with
    result = run("inspect", saved(tinynet.exact_abs(), tmp_path))
    assert result.exit_code == 1
    assert "Error: out of memory while inspecting" in result.stderr and "--batch-size" not in result.stderr


# --- one interval for every count (issue 18) ---------------------------------------------------------------

SIN_NET = ("--hidden", "16,16", "--epochs", "300", "--seed", "0")


def test_train_compare_and_inspect_count_one_nets_pieces_over_the_same_interval(tmp_path):
    # it showed 50 (train, the data's range) and 71 (inspect, over all x) for one net
    path = tmp_path / "relu.npz"
    trained = json.loads(ok("train", *SIN_NET, "--save", path, "--json"))
    relu = next(row for row in json.loads(ok("compare", *SIN_NET, "--json")) if row["activation"] == "relu")
    inspected = strict_json(ok("inspect", path, "--data", "sin", "--json"))
    X, _ = tinynet.make_dataset("sin")
    expected = tinynet.linear_pieces(tinynet.load(path), X.min(), X.max())
    assert relu["mse"] == trained["final_mse"]  # the same net, trained the same way
    assert trained["linear_pieces"] == relu["linear_pieces"] == inspected["linear_pieces"] == expected
    assert trained["range"] == relu["pieces_range"] == inspected["range"] == [X.min(), X.max()]
    assert len(inspected["pieces"]) == expected and inspected["pieces"][0]["start"] == X.min()
    assert inspected["all_x_pieces"] > expected  # over all x a few more units switch: another count, labelled


def test_every_printed_count_of_pieces_says_over_which_interval(tmp_path):
    path = tmp_path / "relu.npz"
    count = json.loads(ok("train", *SIN_NET, "--save", path, "--json"))["linear_pieces"]
    assert f"linear pieces:      {count} on [-3.142, 3.142], the data's range\n" in ok("train", *SIN_NET)
    header = ok("compare", *SIN_NET).splitlines()[0]
    assert re.match(r"model\s+activation\s+train MSE\s+pieces on \[-3\.142, 3\.142\]\s+time$", header)
    out = ok("inspect", path, "--data", "sin")
    assert f"{count - 1} breakpoints, {count} linear pieces on [-3.142, 3.142], the data's range\n" in out
    assert re.search(r"^  over all x: \d+ linear pieces \(\d+ more breakpoints? outside this range\)$", out, re.MULTILINE)


def test_without_data_inspect_counts_over_the_range_the_stored_scaling_implies_and_says_so(tmp_path):
    path = tmp_path / "relu.npz"
    ok("train", *SIN_NET, "--save", path)
    model = tinynet.load(path)
    mean, std = float(model[0].mean[0]), float(model[0].std[0])
    info = strict_json(ok("inspect", path, "--json"))
    assert info["range_over"] == "scaling"
    assert info["range"] == pytest.approx([mean - 3 ** 0.5 * std, mean + 3 ** 0.5 * std], rel=1e-12)
    assert info["range"] == pytest.approx([-np.pi, np.pi], rel=0.01)  # evenly spread data: about its range
    assert info["linear_pieces"] == tinynet.linear_pieces(model, *info["range"]) == len(info["pieces"])
    out = ok("inspect", path).replace("\n  ", " ")  # a long line is wrapped, its rest indented
    assert "linear pieces on [-3.148, 3.148], the range its stored scaling implies (mean +- sqrt(3) std)" in out
    assert "--data counts them over the data's own range" in out


# --- inspect on classifiers and two-input models (issue 18) -------------------------------------------------


def test_inspect_says_a_classifier_standardises_its_inputs_only(tmp_path):
    path = tmp_path / "xor.npz"
    ok("train", "--data", "xor", "--hidden", "4", "--epochs", "50", "--save", path)
    out = ok("inspect", path)
    assert "inputs are standardised inside the model" in out and "targets" not in out
    assert "its output is a probability of class 1" in out
    info = strict_json(ok("inspect", path, "--json"))
    assert (info["standardized"], info["targets_standardized"], info["sigmoid_output"]) == (True, False, True)
    ok("train", "--hidden", "4", "--epochs", "50", "--save", tmp_path / "sin.npz")
    assert "inputs and targets are standardised inside the model" in ok("inspect", tmp_path / "sin.npz")


def test_a_two_input_model_alone_has_its_regions_counted_over_the_box_its_scaling_implies(tmp_path):
    # without --box or --data it printed nothing about regions
    path = tmp_path / "xor.npz"
    ok("train", "--data", "xor", "--hidden", "4", "--epochs", "50", "--save", path)
    model = tinynet.load(path)
    mean, std = model[0].mean, model[0].std
    box = [[m - 3 ** 0.5 * s, m + 3 ** 0.5 * s] for m, s in zip(mean, std)]
    info = strict_json(ok("inspect", path, "--json"))
    assert info["box_over"] == "scaling"
    np.testing.assert_allclose(info["box"], box, rtol=1e-12)
    assert info["linear_regions"] == len(tinynet.linear_regions(model, box)) > 1
    out = ok("inspect", path)
    assert re.search(rf"^linear regions over \[.*\], the box its stored scaling implies \(mean \+- sqrt\(3\) std\): "
                     rf"{info['linear_regions']}\b", out.replace("\n  ", " "), re.MULTILINE)
    # with no scaling stored and no box, there is nothing finite to count over: it says so
    tinynet.save(tinynet.mlp([2, 3, 1], "relu", seed=0), tmp_path / "raw.npz")
    assert "linear regions: not counted: linear regions are counted over a finite box" in ok("inspect",
                                                                                                tmp_path / "raw.npz")


def test_inspect_accepts_quiet_as_every_command_does(tmp_path):
    path = saved(tinynet.exact_abs(), tmp_path)
    plain = ok("inspect", path)
    assert ok("inspect", path, "--quiet") == plain and ok("inspect", path, "-q") == plain
