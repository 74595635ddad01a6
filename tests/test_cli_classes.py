"""train and compare on k classes, held-out stopping and --patience (issue 22's command line)."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
from cli.main import cli
from tinynet.io import check_fits_model
from tinynet.lesson.classify import class_count


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="tinynet")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def ok(*args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


# --- the one rule: labels 0 ... k-1 ------------------------------------------------------------------------------

def test_labels_0_to_k_minus_1_are_k_classes():
    assert class_count(np.array([[0.0], [2.0], [1.0], [1.0]])) == 3
    assert class_count(np.array([[0], [1], [3]])) == 0  # 2 never occurs: counts, not classes
    assert class_count(np.array([[1], [2], [3]])) == 0  # no 0
    assert class_count(np.array([[0, 1], [2, 0]])) == 0  # one column only
    task = tinynet.training_defaults(np.array([[0.0], [1.0], [2.0]]))
    assert (task.classification, task.loss, task.output_activation, task.classes) == (True, "ce", "identity", 3)
    assert task.outputs(np.zeros((3, 1))) == 3
    binary = tinynet.training_defaults(np.array([[0.0], [1.0]]))  # two classes keep the sigmoid
    assert (binary.loss, binary.output_activation, binary.classes) == ("bce", "sigmoid", None)
    assert tinynet.training_defaults(np.array([[0.0], [1.0], [2.0]]), loss="mse").classification is False


# --- train -------------------------------------------------------------------------------------------------------

def test_train_on_three_classes_trains_softmax_cross_entropy_and_reports_accuracy():
    result = json.loads(ok("train", "--data", "spiral3", "--hidden", "16,16", "--epochs", "400", "--json").stdout)
    assert result["loss"] == "ce" and result["final_mse"] is None
    assert result["accuracy"] > 0.8  # three arms: a regression on the labels would round to far fewer
    assert result["linear_regions"] > 1
    text = ok("train", "--data", "blobs4", "--hidden", "8", "--epochs", "200", "-q").stdout
    assert "mlp 2-8-4 (relu)" in text and "(cross-entropy)" in text and "training accuracy" in text


def test_a_three_class_model_resumes_on_its_labels_and_refuses_a_fourth_class(tmp_path):
    first, second = tmp_path / "k.npz", tmp_path / "k2.npz"
    before = json.loads(ok("train", "--data", "spiral3", "--hidden", "16", "--epochs", "30", "--save", first,
                           "--json").stdout)
    after = json.loads(ok("train", "--data", "spiral3", "--resume", first, "--epochs", "200", "--save", second,
                          "--json").stdout)
    assert after["loss"] == "ce" and after["final_loss"] < before["final_loss"]  # it trained on, on its 3 logits
    assert tinynet.output_features(tinynet.load(second)) == 3
    ok("inspect", second, "--data", "spiral3")  # the labels column fits its 3 outputs there too
    refused = run("train", "--data", "blobs4", "--resume", first)  # label 3 has no logit
    assert refused.exit_code == 1 and "Error: blobs4's target holds 3, which is not one of the class labels 0 ... 2 " \
        f"of the model in {first} (--resume) (its 3 outputs, one logit a class" in refused.output
    # two outputs that are no classifier's logits (a sigmoid on each, or scaled to targets): no label column for them
    X = np.zeros((3, 1))
    for outputs in (tinynet.mlp([1, 4, 2], output_activation="sigmoid"),
                    tinynet.standardized(tinynet.mlp([1, 4, 2]), X, np.arange(6.0).reshape(3, 2))):
        with pytest.raises(ValueError, match=r"1 target\(s\), but the model takes 1 input\(s\) and gives 2 output\(s\)$"):
            check_fits_model(outputs, X, np.array([[0.0], [1.0], [0.0]]))


def test_train_refuses_a_set_that_takes_no_classes():
    result = run("train", "--data", "circles3")
    assert result.exit_code == 2 and "spiral and blobs" in result.output


def test_val_fraction_keeps_the_best_epoch_and_says_which():
    result = json.loads(ok("train", "--data", "noisy_sin", "--val-fraction", "0.25", "--json").stdout)
    assert 1 <= result["best_epoch"] < result["epochs"]
    text = ok("train", "--data", "noisy_sin", "--val-fraction", "0.25", "-q").stdout
    assert f"kept:               epoch {result['best_epoch']}, the lowest validation loss" in text


def test_patience_off_trains_every_epoch_and_a_number_stops_sooner():
    held_out = ("train", "--data", "noisy_sin", "--val-fraction", "0.25", "--epochs", "700", "--json")
    every = json.loads(ok(*held_out, "--patience", "off").stdout)
    assert every["epochs"] == 700  # without patience, --epochs is exactly the number trained
    early = json.loads(ok(*held_out, "--patience", "5").stdout)
    assert early["epochs"] < 700 and early["epochs"] - early["best_epoch"] <= 5
    assert run("train", "--patience", "0").exit_code == 2


# --- compare -----------------------------------------------------------------------------------------------------

def test_compare_on_three_classes_puts_softmax_regression_beside_the_nets():
    rows = json.loads(ok("compare", "--data", "spiral3", "--hidden", "16,16", "--epochs", "300", "--json").stdout)
    assert [row["model"] for row in rows] == ["softmax regression", *["mlp 2-16-16-3"] * 3]
    assert all("ce" in row and "bce" not in row for row in rows)
    linear, identity, relu = rows[0], rows[1], rows[2]
    assert linear["linear_regions"] == identity["linear_regions"] == 1  # one affine map of k logits
    assert relu["accuracy"] > linear["accuracy"] + 0.3  # three arms: straight borders cannot follow them
    text = ok("compare", "--data", "spiral3", "--hidden", "8", "--epochs", "100", "-q").stdout
    assert "cross-entropy" in text and "softmax regression draws straight borders" in text


def test_compare_on_a_noisy_set_holds_rows_out_by_default_and_says_so():
    text = ok("compare", "--data", "noisy_sin", "--hidden", "8", "--epochs", "200", "-q").stdout
    assert "val MSE" in text.splitlines()[0]
    assert "16 of 64 rows held out, seeded by --seed 0" in text
    assert "val MSE" not in ok("compare", "--data", "sin", "--hidden", "8", "--epochs", "100", "-q").stdout


def test_compare_val_fraction_keeps_each_nets_best_epoch_and_patience_off_trains_every_epoch():
    rows = json.loads(ok("compare", "--data", "noisy_sin", "--hidden", "8", "--epochs", "600", "--val-fraction",
                         "0.25", "--patience", "off", "--json").stdout)
    assert rows[0]["best_epoch"] is None  # least squares has no epochs
    assert all(1 <= row["best_epoch"] <= 600 for row in rows[1:])
    assert any(row["best_epoch"] < 600 for row in rows[1:])  # noise: some net's held-out loss turned up


# --- --plot: a colour per class ----------------------------------------------------------------------------------

def test_a_k_class_picture_shades_each_point_by_its_argmax_and_draws_the_region_edges(tmp_path):
    from matplotlib.colors import to_rgb

    from tinynet.draw.regions import MANY_COLOURS, draw_regions

    X, y = tinynet.make_dataset("blobs", classes=3)
    net = tinynet.mlp([2, 8, 3], seed=0)
    tinynet.fit(net, X, y, loss="ce", epochs=200)
    fig = draw_regions(X, y, [{"label": "net", "net": net, "accuracy": 1.0, "regions": True}], "three blobs")
    ax = fig.axes[0]
    image = next(im for im in ax.get_images() if im.get_gid() == "shading").get_array()  # (300, 300, 3)
    box = tinynet.data_box(X)
    for i, j in ((0, 0), (150, 150), (299, 40), (120, 299)):  # pixel (row i, column j): x1 from row, x0 from column
        point = [[np.linspace(*box[0], 300)[j], np.linspace(*box[1], 300)[i]]]
        k = int(net(np.array(point)).argmax())
        assert np.allclose(image[i, j], 1 - 0.45 * (1 - np.array(to_rgb(MANY_COLOURS[k]))))
    assert len({tuple(image[i, j]) for i in range(0, 300, 10) for j in range(0, 300, 10)}) == 3  # every class shows
    assert [c.get_label() for c in ax.collections if c.get_label().startswith("class")] == ["class 0", "class 1",
                                                                                            "class 2"]
    regions = next(c for c in ax.collections if c.get_gid() == "regions")
    assert len(regions.get_paths()) == tinynet.count_regions(tinynet.lesson.report.one_output_of(net), X).count
    assert ok("train", "--data", "spiral3", "--hidden", "8", "--epochs", "50", "-q", "--plot",
              tmp_path / "s.png").exit_code == 0 and (tmp_path / "s.png").stat().st_size > 0


def test_loss_ce_needs_k_class_labels_and_says_so_before_training():
    for data in ("sin", "xor"):  # a regression target, 0/1 labels: one output, no softmax over classes
        result = run("train", "--data", data, "--loss", "ce", "--epochs", "5")
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "--loss ce (softmax cross-entropy) needs an identity output, its logits, and one column of the class " \
            "labels 0 ... k-1" in " ".join(result.output.split())
        assert "for 0/1 labels use --loss bce" in result.output
    result = run("train", "--data", "spiral3", "--loss", "ce", "--output-activation", "sigmoid")
    assert result.exit_code == 2 and "leave out --output-activation sigmoid" in result.output


def test_k_classes_are_refused_by_the_film_and_the_page_before_training(tmp_path, monkeypatch):
    monkeypatch.setattr(tinynet, "fit", lambda *a, **k: pytest.fail("trained before refusing"))
    monkeypatch.setattr(tinynet, "compare_classifiers", lambda *a, **k: pytest.fail("trained before refusing"))
    for command, option in [("train", "--animate"), ("train", "--html"), ("compare", "--animate"), ("compare", "--html")]:
        path = tmp_path / ("k.html" if option == "--html" else "k.gif")
        result = run(command, "--data", "spiral3", option, path)
        assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.output
        assert "one score a class" in result.output and "--plot draws the classes' regions" in result.output
        assert not path.exists()


def test_loss_bce_on_a_resumed_k_class_model_suggests_ce(tmp_path):
    model = tmp_path / "k.npz"
    ok("train", "--data", "spiral3", "--hidden", "4", "--epochs", "5", "--save", model)
    result = run("train", "--data", "spiral3", "--resume", model, "--loss", "bce")
    assert "use --loss ce (its outputs are the logits of its classes)" in result.output


def test_inspect_with_data_gives_a_classifiers_accuracy_loss_and_regions(tmp_path):
    for data, classes in (("spiral3", 3), ("xor", 1)):
        model = tmp_path / f"{data}.npz"
        trained = json.loads(ok("train", "--data", data, "--hidden", "8", "--epochs", "100", "--save", model,
                                "--json").stdout)
        info = json.loads(ok("inspect", model, "--data", data, "--json").stdout)
        assert info["accuracy"] == trained["accuracy"]
        assert info["loss"] == trained["loss"] and info["loss_value"] == pytest.approx(trained["final_loss"])
        text = ok("inspect", model, "--data", data).stdout
        assert f"on {data}: accuracy {trained['accuracy']:.1%}" in text
        if classes > 1:  # k logits: their regions counted here, as train counts them
            assert info["class_regions"] == trained["linear_regions"]
            assert f"the data's box: {trained['linear_regions']}" in text
