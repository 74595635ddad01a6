"""tinynet seeds: train one net from many seeds and count how often it ends as linear regression."""


import click

import tinynet
from tinynet import BIAS_INITS
from tinynet.training import check_data

from .common import (
    HiddenSizes,
    data_options,
    echo_json,
    load_data,
    progress,
    show_progress,
)
from .keep import stop_of, stopped_how
from .params import activation_option, lr_option


# abs by default: two units can fit |x| exactly (relu(x) + relu(-x)), and yet some seeds end as linear
# regression; on sin no 1-2-1 net fits, so the demo would show only failures
@click.command(short_help="How often a trained ReLU net ends as linear regression, over many seeds.",
               context_settings={"default_map": {"data": "abs"}})
@data_options
@click.option("--hidden", type=HiddenSizes(), default="2", help="Hidden layer sizes, comma-separated (2, or 8,8).")
@click.option("--seeds", "n_seeds", type=click.IntRange(min=1), default=20, metavar="N",
              help="Train from seeds 0 ... N-1 (each seed draws the weights and orders the mini-batches).")
@activation_option
@click.option("--bias-init", type=click.Choice(BIAS_INITS), default="uniform",
              help="How the biases start: zeros puts every first-layer kink at x = 0 (the data's mean, when "
                   "standardised).")
@click.option("--epochs", type=click.IntRange(min=1), default=tinynet.DEFAULT_EPOCHS,
              help="At most this many passes over the data per seed: training stops earlier once the loss "
                   "has settled.")
@lr_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout, nothing else.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def seeds(data, target, features, drop, standardize, hidden, n_seeds, activation, bias_init, epochs, lr, as_json,
          quiet):
    """Train the same net from seeds 0 ... N-1 and count how each ends.

    A ReLU net is piecewise linear; one whose kinks all miss the data (or
    whose units are all dead) is one affine map there, no better than
    least squares. Each seed ends as the first of these that holds:

    \b
      fit     training MSE below 1 % of least squares' MSE
      linear  one linear piece over the data, MSE within 1 % of least
              squares': it is linear regression
      stuck   one linear piece over the data, MSE worse than least
              squares': stuck off its line (a constant with every
              unit dead, say)
      other   bends on the data without fitting

    unless training diverged (its loss not finite, or ended above its
    start and over twice always predicting the mean's: the rule train
    refuses a model by), its own outcome: diverged. Each share comes
    with its 95 % Wilson interval, and one example seed of each.
    --data is abs unless given: two units can fit |x| exactly, and yet
    some seeds end as linear regression.

    \b
    Examples:
      tinynet seeds --data abs --hidden 2 --seeds 100
      tinynet seeds --data abs --hidden 8 --seeds 100
      tinynet seeds --data abs --hidden 2 --bias-init zeros
      tinynet seeds --data sin --hidden 8,8 --json
    """
    X, y, feature_names, target_name = load_data(data, target, features, drop)
    check_data(X, y, data, feature_names, target_name, standardize=standardize)  # as train checks it
    if not hidden:
        raise click.BadParameter("needs at least one hidden layer: without one every net is linear regression",
                                 param_hint="'--hidden'")
    runs, stopped = [], None  # the seeds finished, kept as they end: a stop keeps them
    with progress(n_seeds, show_progress(quiet, as_json)) as bar:
        def follow(run):
            runs.append(run)
            if bar is not None:
                bar(run.seed + 1, run.mse, f"seed {run.seed:<4}")

        try:
            tinynet.seed_sweep(X, y, hidden, n_seeds, activation, bias_init=bias_init, standardize=standardize,
                               on_outcome=follow, epochs=epochs, lr=lr)
        except KeyboardInterrupt as error:  # Ctrl-C, SIGTERM, SIGHUP: further signals wait (see keep.py)
            stopped = stop_of(error)
    if stopped is not None:
        click.echo(f"{stopped_how(stopped)} after {len(runs)} of {n_seeds} seeds"
                   + (": the summary is of those." if runs else ": no seed finished, nothing to count."), err=True)
    if as_json:
        settings = {"data": data, "samples": int(X.shape[0]), "hidden": list(hidden), "activation": activation,
                    "bias_init": bias_init, "standardize": standardize, "epochs": epochs, "lr": lr, "seeds": n_seeds,
                    "seeds_done": len(runs), "interrupted": stopped is not None}
        echo_json(tinynet.lesson.seeds.sweep_json(runs, settings | ({"signal": stopped.args[0]} if stopped else {})))
    elif runs:
        click.echo(tinynet.lesson.seeds.sweep_text(runs, data, X.shape[0], standardize, bias_init, epochs))
    if stopped is not None:
        raise SystemExit(stopped.exit_code)
