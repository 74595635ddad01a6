"""tinynet compare: the lesson on screen: identity, ReLU and sigmoid nets beside least squares; on class labels,
logistic (or, for k classes, softmax) regression beside the identity, ReLU and sigmoid classifiers."""

import click

import tinynet
from tinynet import draw
from tinynet.lesson import compare_nets, report
from tinynet.training import check_data

from .common import (
    data_options,
    echo_json,
    load_data,
    patience_option,
    progress,
    show_progress,
    split_rows,
    training_options,
    val_fraction_option,
    warn,
)
from .keep import check_outputs
from .pictures import html_option


@click.command(short_help="The lesson: identity, ReLU and sigmoid nets vs least squares.")
@data_options
@training_options
@val_fraction_option
@patience_option
@click.option("--animate", "animate_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.gif",
              help="Draw the three nets learning side by side as an animated GIF (a .png name: a strip of frames; "
                   "needs matplotlib).")
@html_option("the nets, side by side,")
def compare(data, target, features, drop, standardize, hidden, epochs, lr, optimizer, weight_decay, batch_size, seed,
            plot_path, as_json, quiet, val_fraction, patience, animate_path, html_path):
    """Identity, ReLU and sigmoid nets beside least squares: the lesson.

    Trains the three nets with the same sizes and budget, and fits least
    squares in closed form, on the same data.

    The table answers "isn't a ReLU net just linear regression?": the identity
    net can only tie least squares (it is one affine map however deep), while
    the ReLU net switches linear pieces on and off and fits the curve.

    A target of 0s and 1s (xor, circles, moons, spiral, or such a CSV column)
    is a classification: each net gets a sigmoid output and binary
    cross-entropy, logistic regression stands in for least squares, and the
    table gives accuracy and linear regions (two inputs); --plot draws each
    net's regions and decision boundary. Labels 0 ... k-1, k >= 3 (spiral3,
    blobs4): k outputs, softmax cross-entropy, softmax regression.

    On a noisy built-in set (noisy_sin) a seeded quarter of the rows is held
    out unless --val-fraction says otherwise: the table shows the held-out
    MSE beside the training MSE, where fitting the noise shows. --val-fraction
    also keeps each net at its epoch of lowest held-out loss.

    \b
    Examples:
      tinynet compare                       # on sin(x)
      tinynet compare --data abs --hidden 4
      tinynet compare --data xor --hidden 16,16 --plot xor.png
      tinynet compare --data spiral3 --hidden 32,32
      tinynet compare --data noisy_sin       # training and held-out MSE
      tinynet compare --json
    """
    if not hidden:
        raise click.BadParameter("compare needs at least one hidden layer: without one the identity, ReLU and "
                                 "sigmoid nets are the same affine map (give sizes, e.g. --hidden 8)",
                                 param_hint="'--hidden'")
    X, y, feature_names, target_name = load_data(data, target, features, drop)
    task = tinynet.training_defaults(y)  # the rule train follows: 0/1 labels are a classification
    check_data(X, y, data, feature_names, target_name, standardize=standardize, scale_targets=task.scale_targets)
    check_outputs(None, plot_path, {"--data": data if target_name else None},
                  {"--animate": animate_path, "--html": html_path})
    classifiers = task.classification  # 0/1 labels (or 0 ... k-1): classifiers, by accuracy
    if classifiers and val_fraction is not None:  # it held rows out of a regression in their stead
        raise click.BadParameter("a target of class labels is compared as classifiers, by their accuracy on every "
                                 "row, and --val-fraction holds rows out of a comparison of MSEs: leave it out",
                                 param_hint="'--val-fraction'")
    if task.classes and (animate_path or html_path):  # refused now, not after training
        raise click.BadParameter(f"a film and a page draw nets of one output, and these give {task.classes}, one "
                                 "score a class: --plot draws the classes' regions",
                                 param_hint="'--animate'" if animate_path else "'--html'")
    given, X_val, y_val = val_fraction, None, None
    if not classifiers:  # a noisy set: held-out rows by default
        X, y, X_val, y_val = split_rows(X, y, compare_nets.held_out_fraction(data, given), seed)
    activations = ("identity", "relu", "sigmoid")
    # one bar across the nets (and logistic regression, trained too), its label naming the one in training
    with progress((len(activations) + (1 if classifiers else 0)) * epochs, show_progress(quiet, as_json)) as bar:
        recorders, watch = draw.compare_recorders(X, epochs) if animate_path or html_path else ({}, None)
        callback = None if bar is None else (lambda act, epoch, loss: bar(epoch, loss, f"training {act or 'line':<8}"))
        options = {"hidden": hidden, "activations": activations, "seed": seed, "standardize": standardize,
                   "callback": callback, "watch": watch, "epochs": epochs, "lr": lr, "optimizer": optimizer,
                   "weight_decay": weight_decay, "batch_size": batch_size, "patience": patience}
        if classifiers:
            rows = tinynet.compare_classifiers(X, y, **options)
        else:
            rows = tinynet.compare(X, y, validation=None if X_val is None else (X_val, y_val),
                                   restore_best=given is not None, **options)
    if classifiers:
        lesson = tinynet.classifier_line(rows)
    else:
        for row in rows[1:]:
            warn(report.dead_units_warning(row["dead_units"], f"{row['activation']} net: "))
        lesson = tinynet.lesson_line(rows) if X_val is None else compare_nets.held_out_lesson(
            rows, len(X_val), len(X) + len(X_val), seed, by_default=given is None)
    title = f"tinynet compare --data {data}: {lesson}"
    if as_json:
        echo_json(compare_nets.rows_json(rows))
    else:
        click.echo((compare_nets.classifier_text if classifiers else compare_nets.compare_text)(rows, lesson))
    if animate_path:
        draw.write_compare_film(animate_path, recorders, rows, X, y, f"compare --data {data}")
    if html_path:
        draw.write_compare_page(html_path, recorders, rows, X, y, title, (feature_names, target_name))
    if plot_path and classifiers:
        nets = [{"label": row["activation"] or row["model"], "net": row["net"], "accuracy": row["accuracy"],
                 "regions": row["linear_regions"] or row["count_error"], "regions_error": row["count_error"]}
                for row in rows]
        draw.plot_regions(plot_path, X, y, nets, title=title)
    elif plot_path:
        fits = [{"label": row["activation"] or row["model"], "net": row["net"], "history": row["history"],
                 "mse": row["mse"]} for row in rows]
        draw.plot_fits(plot_path, X, y, fits, title=title, names=(feature_names, target_name))
