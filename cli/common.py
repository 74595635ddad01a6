"""What several commands share: reading the data, the training options, the progress bar."""

import functools
import json
import os
import sys
from contextlib import contextmanager

import click
import numpy as np

import tinynet
from tinynet import training
from tinynet.io import load_columns

from .params import HiddenSizes, lr_option, not_nan


def _column_names(ctx, param, value: str | None) -> list[str] | None:
    """"age,height" -> ["age", "height"] (spaces around names trimmed, as in the header); None if not given."""
    if value is None:
        return None
    if not value.strip():
        return []  # the library says what an empty list means for this option
    names = [name.strip() for name in value.split(",")]
    if "" in names:
        raise click.BadParameter(f"{value!r} has an empty column name: separate the names by single commas, "
                                 "e.g. age,height")
    return names


def data_options(command):
    """--data, --target, --features, --drop and --standardize: where the training data comes from."""
    options = [
        click.option("--data", default="sin", metavar="NAME|FILE.csv",
                     help=f"A built-in dataset ({', '.join(tinynet.DATASETS)}; with two inputs and 0/1 "
                          f"labels: {', '.join(tinynet.DATASETS_2D)}; with k classes, labels 0 ... k-1: "
                          "spiral3, blobs4, ...) or a CSV file with a header row."),
        click.option("--target", metavar="COLUMN", default=None, show_default="the last column",
                     help="For a CSV file: the column to predict; every other column is an input, unless "
                          "--features or --drop say otherwise."),
        click.option("--features", metavar="A,B,...", default=None, callback=_column_names,
                     help="For a CSV file: the input columns, in this order; the other columns are not read."),
        click.option("--drop", metavar="A,B,...", default=None, callback=_column_names,
                     help="For a CSV file: columns that are not inputs (an id, a name): they are not read, "
                          "so they may hold text. Not with --features."),
        click.option("--standardize/--no-standardize", default=True,
                     help="Train on inputs and targets scaled to mean 0 and variance 1. A first-layer unit starts "
                          "with its kink near x = 0, so data far from 0 (sawtooth lies on [0, 1]) would leave most "
                          "kinks off the data. The scaling is kept in the model, so everything shown is in the "
                          "data's own units."),
    ]
    return functools.reduce(lambda f, option: option(f), reversed(options), command)


def training_options(command):
    """The options every training command shares."""
    options = [
        click.option("--hidden", type=HiddenSizes(), default="32,32", help="Hidden layer sizes, comma-separated."),
        click.option("--epochs", type=click.IntRange(min=1), default=tinynet.DEFAULT_EPOCHS,
                     help="At most this many passes over the data: training stops earlier once the loss has settled."),
        lr_option,
        click.option("--optimizer", type=click.Choice(sorted(tinynet.OPTIMIZERS)), default="adam",
                     help="How gradients become updates."),
        click.option("--weight-decay", type=click.FloatRange(min=0, max=1e6), default=0.0, callback=not_nan,
                     help="Pulls every weight towards 0 at each step, so fits bend less to chase noise: L2 for adam "
                          "and sgd, decoupled for adamw (try 0.01-0.1)."),
        click.option("--batch-size", type=click.IntRange(min=1), default=None, show_default="all samples",
                     help="Samples per step."),
        click.option("--seed", type=click.IntRange(min=0), default=0,
                     help="Seed for the weights and the order of mini-batches."),
        click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.png",
                     help="Draw the data, the fit(s) with their breakpoints, and the loss curve "
                          "(needs matplotlib: the plot extra)."),
        click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout, nothing else."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]
    return functools.reduce(lambda f, option: option(f), reversed(options), command)


def load_data(data: str, target: str | None, features: list[str] | None = None, drop: list[str] | None = None,
              *, model=None, model_where: str = "the model"
              ) -> tuple[np.ndarray, np.ndarray, list[str] | None, str | None]:
    """Return (X, y, the names of X's columns, the target's name) for a dataset name or a CSV path.

    The names are None for a built-in dataset: its one column has no name to keep. For a CSV file,
    ``features`` and ``drop`` choose the input columns as ``tinynet.io.select_columns`` says; given a
    saved ``model`` (named ``model_where`` in messages), X is the columns it reads among them, in its
    order, as ``tinynet.io.columns_for_model`` says (the others are not read).
    """
    name, classes = _classes_in(data)
    if name in tinynet.DATASETS or name in tinynet.DATASETS_2D:
        for option, given in (("--target", target), ("--features", features), ("--drop", drop)):
            if given is not None:
                raise click.UsageError(f"{option} is for CSV files, but --data {data} is a built-in dataset")
        try:
            X, y = tinynet.make_dataset(name, classes=classes)
        except ValueError as error:  # spiral1, circles3: make_dataset says which sets take classes
            raise click.BadParameter(str(error), param_hint="'--data'") from None
        return X, y, None, None
    if features is not None and drop is not None:
        raise click.UsageError("--features and --drop do not go together: --features already lists every "
                               "input, so leave out --drop")
    if os.path.exists(data) or data.endswith(".csv") or os.sep in data:
        return load_columns(data, target, features=features, drop=drop, model=model, model_where=model_where,
                            suggest_drop=_offers_drop())
    raise click.BadParameter(
        f"{data!r} is neither a built-in dataset ({', '.join([*tinynet.DATASETS, *tinynet.DATASETS_2D])}) "
        "nor a CSV file",
        param_hint="'--data'",
    )


def _classes_in(data: str) -> tuple[str, int]:
    """"spiral3" -> ("spiral", 3): a built-in 2-D set's name and a number of classes; else (data, 2)."""
    name = data.rstrip("0123456789")
    if name != data and name in tinynet.DATASETS_2D and not os.path.exists(data):
        return name, int(data[len(name):])
    return data, 2


def _offers_drop() -> bool:
    """Whether the running command has --features and --drop to suggest (inspect --data has not)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and "drop" in ctx.params


val_fraction_option = click.option(
    "--val-fraction", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=None, callback=not_nan,
    help="Hold out this seeded random fraction of the data, report its loss too, and keep the epoch where it "
         "was lowest (the later epochs fit the training rows' noise): the report says which epoch.")


def _patience(ctx, param, value: str):
    """"200" -> 200, "off" -> None (fit trains every epoch)."""
    if value.strip().lower() == "off":
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise click.BadParameter(f"give a whole number of epochs >= 1, or off, got {value!r}")
    return number


patience_option = click.option(
    "--patience", default=str(tinynet.DEFAULT_PATIENCE), callback=_patience, metavar="N|off",
    help="Stop once the loss (with --val-fraction: the held-out loss) has not fallen for N epochs; off trains "
         "exactly --epochs epochs.")


def split_rows(X, y, fraction: float | None, seed: int):
    """``tinynet.training.split_rows``, its refusal as a bad --val-fraction."""
    try:
        return training.split_rows(X, y, fraction, seed)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--val-fraction'") from None


def show_progress(quiet: bool, as_json: bool) -> bool:
    """A progress bar only for a person watching: not with --quiet or --json, not into a file."""
    return not quiet and not as_json and sys.stderr.isatty()


@contextmanager
def progress(epochs: int, enabled: bool):
    """Yield a callback(epoch, loss, label="training") that moves a progress bar on stderr, or None.

    ``epochs`` is the length of the whole bar: compare runs three nets along one.
    """
    if not enabled:
        yield None
        return
    with click.progressbar(length=epochs, label="training", file=sys.stderr, show_pos=True,
                           item_show_func=lambda loss: None if loss is None else f"loss {loss:.3g}",
                           update_min_steps=max(1, epochs // 200)) as bar:
        def callback(epoch, loss, label="training"):
            bar.label = label
            bar.update(1, loss)

        yield callback


def warn(message: str | None) -> None:
    """Say ``message`` on stderr as a warning; None says nothing."""
    if message:
        click.echo(f"Warning: {message}", err=True)


def echo_json(value) -> None:
    click.echo(json.dumps(value, indent=2))
