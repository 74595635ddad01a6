"""tinynet predict: run a saved model on a CSV file of inputs."""

import csv
import sys

import click

import tinynet


@click.command(short_help="Run a saved model on a CSV file; write CSV to stdout.")
@click.argument("model_path", metavar="MODEL.npz", type=click.Path(dir_okay=False))
@click.option("--input", "input_path", required=True, metavar="FILE.csv",
              help="Inputs with a header row, found by name when the model knows its columns' names; "
                   "- reads stdin.")
def predict(model_path, input_path):
    """Write the model's predictions for each row of a CSV file, as CSV on stdout.

    The output repeats the input columns and adds a "prediction" column
    (prediction_0, prediction_1, ... for a model with several outputs).
    A model trained by `tinynet train` knows its features' names and finds
    them by name, so their order and other columns (the target, say) do not
    matter; otherwise the file holds exactly one column per feature.

    \b
    Example:
      tinynet train --data abs --hidden 16 --save abs.npz
      printf 'x\\n-0.5\\n0.25\\n' | tinynet predict abs.npz --input -
    """
    model = tinynet.load(model_path)
    # a missing or malformed file is a bad file (exit 1), like --data's, not a usage error
    source = sys.stdin if input_path == "-" else input_path
    names, table = tinynet.read_csv_table(source)
    X = _model_inputs(model, names, table, input_path if input_path != "-" else "stdin", model_path)
    predictions = tinynet.predict(model, X)
    outputs = ["prediction"] if predictions.shape[1] == 1 else [f"prediction_{k}" for k in range(predictions.shape[1])]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(names + outputs)
    for inputs, outs in zip(table, predictions):
        # str of a numpy float: the shortest text that reads back to the same float32 or float64
        writer.writerow([str(v) for v in inputs] + [str(v) for v in outs])


def _model_inputs(model, names: list[str], table, source: str, model_path: str):
    """The columns the model takes: by name when the model knows its features' names, else all of them."""
    if model.feature_names is not None:
        missing = [name for name in model.feature_names if name not in names]
        if missing:
            raise click.ClickException(
                f"{source} has no column {', '.join(map(repr, missing))}: the model in {model_path} was trained "
                f"on columns {', '.join(model.feature_names)} (their order and any other columns do not matter)"
            )
        return table[:, [names.index(name) for name in model.feature_names]]
    features = tinynet.sequential.input_features(model)
    if features is not None and table.shape[1] != features:
        raise click.ClickException(
            f"{source} has {table.shape[1]} column(s) ({', '.join(names)}), but the model in {model_path} "
            f"expects {features} feature(s): give one column per input feature, without the target"
        )
    return table
