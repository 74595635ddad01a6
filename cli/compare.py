"""tinynet compare: the lesson on screen: identity, ReLU and sigmoid nets beside least squares."""

import click

import tinynet

from .common import (
    check_output_path,
    data_options,
    echo_json,
    load_data,
    progress,
    show_progress,
    training_options,
    warn_dead_units,
)

ROW_KEYS = ("model", "activation", "mse", "linear_pieces", "seconds", "dead_units", "linear_regression")


@click.command(short_help="The lesson: identity, ReLU and sigmoid nets vs least squares.")
@data_options
@training_options
def compare(data, target, standardize, hidden, epochs, lr, optimizer, batch_size, seed, plot_path, as_json, quiet):
    """Identity, ReLU and sigmoid nets beside least squares: the lesson.

    Trains the three nets with the same sizes and budget, and fits least
    squares in closed form, on the same data.

    The table answers "isn't a ReLU net just linear regression?": the identity
    net can only tie least squares (it is one affine map however deep), while
    the ReLU net switches linear pieces on and off and fits the curve.

    \b
    Examples:
      tinynet compare                       # on sin(x)
      tinynet compare --data abs --hidden 4
      tinynet compare --json
    """
    X, y, _, _ = load_data(data, target)
    check_output_path(plot_path, "--plot")
    activations = ("identity", "relu", "sigmoid")
    with progress(len(activations) * epochs, show_progress(quiet, as_json)) as bar:
        # one bar across the three nets, its label naming the one in training
        callback = None if bar is None else (lambda act, epoch, loss: bar(epoch, loss, f"training {act:<8}"))
        rows = tinynet.compare(X, y, hidden=hidden, activations=activations, seed=seed,
                               standardize=standardize, callback=callback,
                               epochs=epochs, lr=lr, optimizer=optimizer, batch_size=batch_size)
    for row in rows[1:]:
        warn_dead_units(row["net"], X, f"{row['activation']} net: ")
    if as_json:
        echo_json([{key: row[key] for key in ROW_KEYS} for row in rows])
    else:
        _print_table(rows)
        click.echo("")
        click.echo(tinynet.lesson_line(rows))
        for row in rows[1:]:
            if row["linear_regression"]:
                click.echo(f"{row['activation']} net: {row['linear_regression']}")
    if plot_path:
        from .plot import plot_fits

        # the nets' loss curves are in the units they trained in: put least squares' level in them too
        units = float(y.var()) if standardize and y.var() > 0 else 1.0
        fits = [{"label": row["activation"] or row["model"], "net": row["net"], "history": row["history"],
                 "mse": row["mse"] / units} for row in rows]
        plot_fits(plot_path, X, y, fits, title=f"tinynet compare --data {data}: {tinynet.lesson_line(rows)}")


def _print_table(rows) -> None:
    header = ("model", "activation", "train MSE", "linear pieces", "time")
    cells = [header] + [
        (row["model"], row["activation"] or "-", f"{row['mse']:.3g}",
         "-" if row["linear_pieces"] is None else str(row["linear_pieces"]), f"{row['seconds']:.2f} s")
        for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    for line in cells:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
