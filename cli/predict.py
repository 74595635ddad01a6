"""tinynet predict: run a saved model on a CSV file of inputs."""

import csv
import sys

import click

import tinynet
from tinynet.io import predict_csv, read_csv_text


@click.command(short_help="Run a saved model on a CSV file; write CSV to stdout.")
@click.argument("model_path", metavar="MODEL.npz", type=click.Path(dir_okay=False))
@click.option("--input", "input_path", required=True, metavar="FILE.csv",
              help="Inputs with a header row, found by name when the model knows its columns' names; "
                   "- reads stdin.")
def predict(model_path, input_path):
    """Write the model's predictions for each row of a CSV file, as CSV on stdout.

    The output repeats the input columns and adds a "prediction" column
    (prediction_0, prediction_1, ... for a model with several outputs: for
    one trained on k classes, each class's logit, the predicted class the
    largest; prediction.1 if the input already has a "prediction" column). A model
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
    names, rows = read_csv_text(sys.stdin if input_path == "-" else input_path)
    table = predict_csv(model, names, rows, "<stdin>" if input_path == "-" else input_path,
                        f"the model in {model_path}")
    csv.writer(sys.stdout, lineterminator="\n").writerows(table)
