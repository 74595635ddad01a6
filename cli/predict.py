"""tinynet predict: run a saved model on a CSV file of inputs."""

import csv
import sys

import click
import numpy as np

import tinynet
from tinynet import check_columns
from tinynet.io import columns_for_model, numeric_columns, read_csv_text

SHOWN_LINES = 10  # an error lists the first few lines whose prediction overflowed, then counts the rest


@click.command(short_help="Run a saved model on a CSV file; write CSV to stdout.")
@click.argument("model_path", metavar="MODEL.npz", type=click.Path(dir_okay=False))
@click.option("--input", "input_path", required=True, metavar="FILE.csv",
              help="Inputs with a header row, found by name when the model knows its columns' names; "
                   "- reads stdin.")
def predict(model_path, input_path):
    """Write the model's predictions for each row of a CSV file, as CSV on stdout.

    The output repeats the input columns and adds a "prediction" column
    (prediction_0, prediction_1, ... for a model with several outputs;
    prediction.1 if the input already has a "prediction" column). A model
    trained by `tinynet train` knows its features' names and reads only
    those columns, by name: their order and any other columns (the target,
    an id column of names) do not matter, whatever they hold. Otherwise the
    file holds exactly one column per feature.

    If the model's output overflows to inf or nan for some rows, nothing is
    written: the error names those lines, and the exit code is 1.

    \b
    Example:
      tinynet train --data abs --hidden 16 --save abs.npz
      printf 'x\\n-0.5\\n0.25\\n' | tinynet predict abs.npz --input -
    """
    model = tinynet.load(model_path)
    if input_path == "-" and sys.stdin is None:  # started with stdin closed (`<&-`)
        raise click.ClickException("--input - reads stdin, but stdin is closed: pipe the CSV file in, "
                                   "or give its path to --input")
    # a missing or malformed file is a bad file (exit 1), like --data's, not a usage error
    source = "<stdin>" if input_path == "-" else input_path
    names, rows = read_csv_text(sys.stdin if input_path == "-" else input_path)
    columns = columns_for_model(model, names, source, f"the model in {model_path}")  # by name, as every command
    X = numeric_columns(names, rows, source, columns)  # (N, features): only the columns the model reads
    dtype = tinynet.model_dtype(model)
    check_columns(X, source, dtype, names=columns)  # 1e39 in float32: say so, not "infinite"
    with np.errstate(all="ignore"):  # an overflow is reported below, by line, not as numpy warnings
        predictions = tinynet.predict(model, X)  # (N, outputs)
    _refuse_overflow(predictions, [line for line, _ in rows], source, model_path, dtype)
    read = {name: k for k, name in enumerate(columns)}
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(names + _output_names(names, predictions.shape[1]))
    for i, (_, cells) in enumerate(rows):
        # the model's columns as it read them (str of a float reads back to the same float), the others as given
        shown = [str(X[i, read[name]]) if name in read else cell for name, cell in zip(names, cells)]
        writer.writerow(shown + [str(v) for v in predictions[i]])


def _refuse_overflow(predictions: np.ndarray, lines: list[int], source: str, model_path: str, dtype) -> None:
    """Refuse to write predictions that are inf or nan, naming the lines of the file they come from."""
    bad = np.flatnonzero(~np.isfinite(predictions).all(axis=1))
    if bad.size == 0:
        return
    shown = ", ".join(str(lines[i]) for i in bad[:SHOWN_LINES])
    more = f" and {bad.size - SHOWN_LINES} more" if bad.size > SHOWN_LINES else ""
    raise click.ClickException(
        f"the model in {model_path} gives inf or nan for {bad.size} of {len(lines)} rows of {source} "
        f"(line{'s' if bad.size > 1 else ''} {shown}{more}): its weights or these inputs are too large for "
        f"{dtype}, so nothing was written"
    )


def _output_names(names: list[str], outputs: int) -> list[str]:
    """"prediction" (or prediction_0, prediction_1, ...), with .1, .2, ... added if the input has those names."""
    base = ["prediction"] if outputs == 1 else [f"prediction_{k}" for k in range(outputs)]
    taken, suffix = set(names), ""
    while any(name + suffix in taken for name in base):
        suffix = f".{int(suffix[1:] or 0) + 1}"
    return [name + suffix for name in base]
