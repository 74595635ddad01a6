"""compare's text: the tables tinynet compare prints, built from rows in tinynet.lesson.compare_nets."""

from tinynet.lesson.compare_nets import classifier_text, compare_text


def _row(model, activation, mse, pieces, seconds, **more):
    return {"model": model, "activation": activation, "mse": mse, "linear_pieces": pieces,
            "pieces_range": (-3.0, 3.0), "seconds": seconds, "linear_regression": None, **more}


def test_compare_text_aligns_the_table_then_says_the_lesson():
    rows = [_row("least squares", None, 0.25, 1, 0.001),
            _row("mlp", "relu", 0.0001, 7, 1.5, linear_regression="linear on 90% of the data")]
    assert compare_text(rows, "the lesson").splitlines() == [
        "model          activation  train MSE  pieces on [-3, 3]  time",
        "least squares  -           0.25       1                  0.00 s",
        "mlp            relu        0.0001     7                  1.50 s",
        "",
        "the lesson",
        "relu net: linear on 90% of the data",
    ]


def test_compare_text_puts_the_held_out_mse_beside_and_says_why_a_count_is_missing():
    rows = [_row("least squares", None, 0.25, 1, 0.0, val_mse=0.5),
            _row("mlp", "relu", 0.125, None, 0.0, val_mse=0.75, count_error="over a million pieces")]
    lines = compare_text(rows, "lesson").splitlines()
    assert lines[0].split()[:6] == ["model", "activation", "train", "MSE", "val", "MSE"]
    assert lines[2].split() == ["mlp", "relu", "0.125", "0.75", "too", "many", "0.00", "s"]
    assert lines[3] == "not counted: over a million pieces"


def test_classifier_text_names_the_loss_and_the_box_of_the_regions():
    rows = [{"model": "logistic regression", "activation": None, "accuracy": 0.5, "bce": 0.693,
             "linear_regions": 2, "regions_box": [[-1.0, 1.0], [0.0, 2.5]], "seconds": 0.01},
            {"model": "mlp", "activation": "relu", "accuracy": 1.0, "bce": 0.0123, "linear_regions": 40,
             "regions_box": [[-1.0, 1.0], [0.0, 2.5]], "seconds": 2.0}]
    assert classifier_text(rows, "one line against a path").splitlines() == [
        "model                activation  accuracy  binary cross-entropy  linear regions  time",
        "logistic regression  -           50.0%     0.69                  2               0.01 s",
        "mlp                  relu        100.0%    0.012                 40              2.00 s",
        "linear regions: over [-1, 1] x [0, 2.5], the data's box",
        "",
        "one line against a path",
    ]


def test_rows_json_keeps_plain_values_and_the_held_out_columns_where_rows_were_held_out():
    from tinynet.lesson.compare_nets import rows_json

    row = _row("mlp", "relu", 0.1, 3, 1.0, dead_units=(0, 8), net=object(), history=object())
    assert list(rows_json([row])[0]) == ["model", "activation", "mse", "linear_pieces", "pieces_range", "seconds",
                                         "dead_units", "linear_regression"]
    held = rows_json([row | {"val_mse": 0.2, "best_epoch": 40}])[0]
    assert (held["val_mse"], held["best_epoch"]) == (0.2, 40) and "net" not in held
    k_classes = {"model": "mlp", "activation": "relu", "accuracy": 0.9, "ce": 0.3, "linear_regions": None,
                 "regions_box": None, "seconds": 1.0, "net": object()}
    assert list(rows_json([k_classes])[0]) == ["model", "activation", "accuracy", "ce", "linear_regions",
                                               "regions_box", "seconds"]


def test_held_out_lesson_says_the_held_out_rows_and_why_they_were_held_out():
    from tinynet.lesson.compare_nets import held_out_lesson

    rows = [_row("least squares", None, 0.25, 1, 0.0, val_mse=0.3), _row("mlp", "identity", 0.25, 1, 0.0, val_mse=0.3),
            _row("mlp", "relu", 0.01, 9, 0.0, val_mse=0.05), _row("mlp", "sigmoid", 0.02, None, 0.0, val_mse=0.04)]
    lines = held_out_lesson(rows, 25, 100, 7, by_default=True).splitlines()
    assert len(lines) == 3 and lines[1].startswith("on the 25 held-out rows: ")
    assert lines[2] == ("(a noisy set: 25 of 100 rows held out, seeded by --seed 7, to show the error there; "
                        "--val-fraction also keeps each net at its best epoch)")
    assert len(held_out_lesson(rows, 25, 100, 7, by_default=False).splitlines()) == 2
