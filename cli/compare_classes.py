"""tinynet compare on class labels: logistic (or, for k classes, softmax) regression beside the identity, ReLU and
sigmoid classifiers."""

import click

import tinynet
from tinynet import draw
from tinynet.lesson.compare_nets import classifier_text, rows_json

from .common import echo_json, progress


def compare_classes(X, y, *, data: str, hidden, standardize: bool, seed: int, plot_path, as_json: bool,
                    show: bool, html_path=None, animate_path=None, **fit_options) -> None:
    """Train, print and draw the four classifiers (see tinynet.compare_classifiers)."""
    activations = ("identity", "relu", "sigmoid")
    with progress((len(activations) + 1) * fit_options["epochs"], show) as bar:
        callback = None if bar is None else (lambda act, epoch, loss: bar(epoch, loss, f"training {act or 'line':<8}"))
        pictures = html_path or animate_path
        recorders, watch = draw.compare_recorders(X, fit_options["epochs"]) if pictures else ({}, None)
        rows = tinynet.compare_classifiers(X, y, hidden=hidden, activations=activations, seed=seed,
                                           standardize=standardize, callback=callback, watch=watch, **fit_options)
    lesson = tinynet.classifier_line(rows)
    if as_json:
        echo_json(rows_json(rows))
    else:
        click.echo(classifier_text(rows, lesson))
    if animate_path:
        draw.write_compare_film(animate_path, recorders, rows, X, y, f"compare --data {data}")
    if html_path:
        draw.write_compare_page(html_path, recorders, rows, X, y, f"tinynet compare --data {data}: {lesson}")
    if plot_path:
        nets = [{"label": row["activation"] or row["model"], "net": row["net"], "accuracy": row["accuracy"],
                 "regions": row["linear_regions"] or row["count_error"], "regions_error": row["count_error"]}
                for row in rows]
        draw.plot_regions(plot_path, X, y, nets, title=f"tinynet compare --data {data}: {lesson}")

