"""What the commands print, asked of the library itself: the commands only parse, call it and print.

tinynet.lesson.inspect (``inspect``), fit_summary and summary_text (``train``'s report), trace_text and
trace_json (``backprop``), check_random_mlp (``gradcheck``) and predict_csv (``predict``). The commands'
own tests (test_inspect.py, test_report.py, test_backprop.py, test_gradcheck.py, test_predict.py) run
the same code through the command line.
"""

import json

import numpy as np
import pytest

import tinynet
from tinynet.gradcheck import check_random_mlp, mlp_parameters
from tinynet.io import predict_csv
from tinynet.lesson.backprop import X, Y, trace, trace_json, trace_text, worked_example
from tinynet.lesson.inspect import model_info, model_json, model_text, printable
from tinynet.lesson.report import fit_summary, summary_text


def strict_json(text: str):
    """json.loads that refuses Infinity and NaN, which Python writes but JSON does not have."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


# --- inspect ---------------------------------------------------------------------------------------------

def test_abs_by_hand_is_two_pieces_meeting_at_zero_over_the_data():
    # |x| = relu(x) + relu(-x): slope -1 left of 0, slope 1 right of it, intercept 0 on both sides
    X_abs, y_abs = tinynet.make_dataset("abs", 64)
    model = tinynet.exact_abs()
    info = model_info(model, "mlp 1-2-1 (relu)", "relu", file="abs.npz", data="abs", X=X_abs, y=y_abs)
    assert info["breakpoints"] == [0.0] and info["linear_pieces"] == info["all_x_pieces"] == 2
    assert info["pieces"] == [(-1.0, 0.0, -1.0, 0.0), (0.0, 1.0, 1.0, 0.0)]
    assert info["range_over"] == "data" and info["linear_regression"] is None  # exact: not a line
    text = model_text(model, info).splitlines()
    assert text[0] == "abs.npz: mlp 1-2-1 (relu), float64"
    assert "piecewise linear: 1 breakpoint, 2 linear pieces on [-1, 1], the data's range" in text
    assert text[-2:] == ["    on [-1, 0]: y = -1 * x + 0", "    on [0, 1]: y = 1 * x + 0"]


def test_json_writes_the_infinite_ends_of_the_pieces_as_null():
    info = model_info(tinynet.exact_abs(), "abs", "relu", file="abs.npz")  # no data, no scaling: over all x
    assert info["pieces"][0][0] == -np.inf and info["pieces"][-1][1] == np.inf
    found = strict_json(model_json(info))
    assert found["range"] == [None, None] and found["range_where"] == "over all x"
    assert found["pieces"] == [{"start": None, "end": 0.0, "slope": -1.0, "intercept": 0.0},
                               {"start": 0.0, "end": None, "slope": 1.0, "intercept": 0.0}]
    assert info["pieces"][0][0] == -np.inf  # the dict itself keeps its floats


def test_an_identity_net_is_shown_as_the_one_map_its_layers_multiply_out_to():
    model = tinynet.mlp([2, 3, 1], "identity", seed=0)
    W = model[0].weight.data @ model[2].weight.data  # (2, 1)
    b = model[0].bias.data @ model[2].weight.data + model[2].bias.data  # (1,)
    info = model_info(model, "mlp 2-3-1 (identity)", "identity", file="m.npz")
    np.testing.assert_allclose(info["collapsed"]["W"], W, rtol=1e-12)
    np.testing.assert_allclose(info["collapsed"]["b"], b, rtol=1e-12)
    text = model_text(model, info)
    assert "every activation is identity, so the whole network is one affine map:" in text
    assert "its 3 layers multiply out to one Linear(2, 1)" in text


def test_rounding_noise_in_a_coefficient_is_shown_as_zero():
    model = tinynet.Sequential(tinynet.Linear.from_weights([[2.0]], [3e-13]))  # y = 2x + rounding
    text = model_text(model, model_info(model, "line", "identity", file="m.npz"))
    assert "b = [0.]" in text and "on [-inf, inf]: y = 2 * x + 0" in text


def test_a_two_input_relu_model_counts_its_regions_over_the_box_asked():
    model = tinynet.mlp([2, 4, 1], "relu", seed=0)
    box = ((-1.0, 1.0), (-2.0, 2.0))
    info = model_info(model, "mlp 2-4-1 (relu)", "relu", file="m.npz", box=box)
    assert info["linear_regions"] == tinynet.count_regions(model, box=box).count >= 1
    assert info["box"] == [[-1.0, 1.0], [-2.0, 2.0]] and info["box_over"] == "box"
    assert f"linear regions {info['box_where']}: {info['linear_regions']}" in model_text(model, info)


def test_a_box_is_refused_for_a_model_without_two_inputs():
    with pytest.raises(ValueError, match=r"box: .* two inputs and one output, this one takes 1 and gives 1"):
        model_info(tinynet.exact_abs(), "abs", "relu", file="m.npz", box=((0.0, 1.0), (0.0, 1.0)))


def test_a_smooth_two_input_model_has_no_regions_unless_a_box_asks():
    model = tinynet.mlp([2, 4, 1], "tanh", seed=0)
    assert "linear_regions" not in model_info(model, "tanh", "tanh", file="m.npz")
    asked = model_info(model, "tanh", "tanh", file="m.npz", box=((0.0, 1.0), (0.0, 1.0)))
    assert "linear_regions_error" in asked and "linear regions: not counted:" in model_text(model, asked)


def test_names_that_were_not_utf8_print_as_escapes():
    assert printable("caf\udce9.npz") == "caf\\udce9.npz"
    model = tinynet.exact_abs()
    model.feature_names = ["h\udcffght"]
    info = model_info(model, "abs", "relu", file="\udce9.npz")
    text = model_text(model, info)
    text.encode("utf-8")  # strict: no lone surrogate left to stop the output
    assert text.startswith("\\udce9.npz: abs") and "input columns: 'h\\udcffght'" in text  # a name: repr-style


# --- train's report ----------------------------------------------------------------------------------------

def test_the_report_of_an_exact_net_on_its_data():
    X_abs, y_abs = tinynet.make_dataset("abs", 64)
    history = tinynet.History(loss=[0.5, 0.1, 0.0], seconds=0.25)
    result, fit = fit_summary(tinynet.exact_abs(), X_abs, y_abs, "mse", history, (X_abs[:8], y_abs[:8]))
    assert (result["final_mse"], result["val_mse"], result["epochs"], result["samples"]) == (0.0, 0.0, 3, 64)
    assert result["linear_pieces"] == fit.pieces.count == 2 and result["range"] == [-1.0, 1.0]
    result["data"] = "abs"
    assert summary_text(result, "mlp 1-2-1 (relu)").splitlines() == [
        "trained mlp 1-2-1 (relu) on abs: 64 samples, 1 feature",
        "final training MSE: 0",
        "validation MSE:     0",  # labels aligned on the longest, its colon and a space
        "linear pieces:      2 on [-1, 1], the data's range",
        "time:               0.25 s (3 epochs)",
    ]


def test_a_classifier_is_reported_by_its_loss_and_accuracy():
    X_xor, y_xor = tinynet.make_dataset("xor")
    model = tinynet.mlp([2, 4, 1], "relu", output_activation="sigmoid", seed=0)
    result, fit = fit_summary(model, X_xor, y_xor, "bce", tinynet.History(loss=[0.7]))
    assert result["accuracy"] == fit.accuracy == tinynet.accuracy(model, X_xor, y_xor)
    assert "linear_regions" in result and "range" not in result  # two inputs: regions over the data's box
    lines = summary_text(result | {"data": "xor"}, "mlp 2-4-1 (relu)").splitlines()
    assert lines[1] == f"final training loss: {result['final_loss']:.3g} (binary cross-entropy)"
    assert lines[2] == f"training accuracy:   {result['accuracy']:.1%}"


# --- backprop ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", list(tinynet.ACTIVATIONS))
def test_the_trace_text_fits_80_columns_and_prints_the_traces_numbers(activation):
    text = trace_text(activation)
    steps = trace(worked_example(activation), X, Y)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert f"L = mean((y_hat - y)**2) = {steps['loss']:.6g}" in text
    for entry in steps["forward"] + steps["backward"]:
        assert entry["formula"] in text
    assert strict_json(trace_json(activation)) == json.loads(json.dumps({
        "activation": activation, "x": X.tolist(), "y": Y.tolist(),
        "weights": {"W1": [[1.0, -0.5]], "b1": [0.5, 0.0], "W2": [[0.8], [-1.2]], "b2": [0.1]}, **steps}))


def test_a_negative_zero_prints_as_zero():
    # sample 2 (x = -2) has unit 1 off: dL/dz1 there is a negative gradient times 0, -0.0
    assert "[0.24 0; 0 1.92]" in trace_text("relu") and "-0 " not in trace_text("relu")


# --- gradcheck ---------------------------------------------------------------------------------------------

def test_the_random_net_is_checked_whole_when_small_and_sampled_when_large():
    report, sample, passes = check_random_mlp([3, 5, 5, 2], "relu", seed=0)
    assert sample is None and passes == 2 * (mlp_parameters([3, 5, 5, 2]) + 8 * 3)
    assert list(report) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "input"]
    assert max(report.values()) < 1e-6
    _, sample, passes = check_random_mlp([3, 400, 400, 2], "tanh", seed=0)
    assert (sample, passes) == (108, 325_652)  # 8 * 162,802 multiply-adds a pass: about 2e9 in all


def test_mlp_parameters_counts_what_mlp_builds():
    for sizes in ([3, 2], [3, 5, 5, 2], [1, 32, 32, 1]):
        assert mlp_parameters(sizes) == sum(p.data.size for p in tinynet.mlp(sizes).parameters())


# --- predict -----------------------------------------------------------------------------------------------

def abs_by_name():
    model = tinynet.exact_abs()
    model.feature_names = ["x"]
    return model


def test_predictions_follow_the_rows_with_the_models_columns_as_read():
    rows = [(2, ["a", "-5e-1", "7"]), (3, ["b", "2", "8"])]
    assert predict_csv(abs_by_name(), ["id", "x", "prediction"], rows, "f.csv") == [
        ["id", "x", "prediction", "prediction.1"],  # the file has a "prediction" already
        ["a", "-0.5", "7", "0.5"],
        ["b", "2.0", "8", "2.0"],
    ]


def test_several_outputs_are_numbered():
    model = tinynet.Sequential(tinynet.Linear.from_weights([[1.0, -1.0]], [0.0, 1.0]))
    assert predict_csv(model, ["x"], [(2, ["3"])], "f.csv") == [["x", "prediction_0", "prediction_1"],
                                                                 ["3.0", "3.0", "-2.0"]]


def test_an_overflowing_prediction_refuses_the_whole_file_naming_its_lines():
    model = tinynet.Sequential(tinynet.Linear.from_weights([[1e300]]))
    rows = [(line, ["1e10" if line % 2 else "1"]) for line in range(2, 30)]  # odd lines overflow
    with pytest.raises(ValueError, match=r"gives inf or nan for 14 of 28 rows of f\.csv "
                                         r"\(lines 3, 5, 7, 9, 11, 13, 15, 17, 19, 21 and 4 more\)"):
        predict_csv(model, ["x"], rows, "f.csv", "the model in m.npz")
