"""tinynet train: fit one network to a dataset or a CSV file, report it, save it."""

import time

import click
import numpy as np

import tinynet

from .common import (
    check_output_path,
    data_options,
    describe,
    echo_json,
    hidden_activation,
    load_data,
    progress,
    show_progress,
    training_options,
    warn,
    warn_dead_units,
)


@click.command()
@data_options
@click.option("--activation", type=click.Choice(list(tinynet.ACTIVATIONS)), default="relu",
              help="Activation between the hidden layers.")
@click.option("--output-activation", type=click.Choice(["identity", "sigmoid"]), default="identity",
              help="Activation after the last layer: sigmoid for probabilities (with --loss bce).")
@click.option("--loss", type=click.Choice(list(tinynet.losses.LOSSES)), default="mse",
              help="mse: mean squared error; bce: binary cross-entropy, for targets in [0, 1].")
@training_options
@click.option("--dtype", type=click.Choice(["float64", "float32"]), default="float64",
              help="Float type of the weights and of every computation.")
@click.option("--val-fraction", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=None,
              help="Hold out this seeded random fraction of the data and report its MSE too.")
@click.option("--save", "save_path", type=click.Path(dir_okay=False), default=None, metavar="MODEL.npz",
              help="Save the trained model here (atomically: an existing file is replaced whole or not at all).")
@click.option("--resume", type=click.Path(dir_okay=False), default=None, metavar="MODEL.npz",
              help="Go on training a saved model: its architecture, scaling and dtype replace --hidden, "
                   "--activation, --output-activation, --standardize and --dtype.")
def train(data, target, standardize, activation, output_activation, loss, hidden, epochs, lr, optimizer,
          batch_size, seed, plot_path, as_json, quiet, dtype, val_fraction, save_path, resume):
    """Train one network; print its MSE, time and linear pieces.

    \b
    Examples:
      tinynet train                                  # ReLU net on sin(x)
      tinynet train --activation identity            # only ever a straight line
      tinynet train --data abs --hidden 16 --save abs.npz
      tinynet train --data houses.csv --target price --val-fraction 0.2
    """
    X, y, feature_names, _ = load_data(data, target)
    check_output_path(save_path, "--save")
    check_output_path(plot_path, "--plot")
    if resume:
        model = tinynet.load(resume)
        X = _columns_for(model, X, feature_names, resume)
        _check_fits(model, X, y, resume)
    X_train, y_train, X_val, y_val = _split(X, y, val_fraction, seed)
    if not resume:
        net = tinynet.mlp([X.shape[1], *hidden, y.shape[1]], activation, output_activation=output_activation,
                          seed=seed, dtype=dtype)
        # probabilities must stay in [0, 1]: scale only the inputs for a sigmoid output
        scale_targets = output_activation == "identity"
        model = tinynet.standardized(net, X_train, y_train, targets=scale_targets) if standardize else net
        model.feature_names = feature_names  # kept in the model file, for predict to find the columns by name
    net, X_fit, y_fit = tinynet.split_scaling(model, X_train, y_train)
    output_activation = "sigmoid" if net.layers and isinstance(net.layers[-1], tinynet.Sigmoid) else "identity"
    _check_loss(loss, output_activation, y, resume)
    _warn_before(net, y_train, hidden if not resume else None)

    validation = tinynet.split_scaling(model, X_val, y_val)[1:] if X_val is not None else None
    done = tinynet.History()  # filled epoch by epoch, so an interrupted run still knows how far it got

    with progress(epochs, show_progress(quiet, as_json)) as bar:
        def follow(epoch, epoch_loss):
            done.loss.append(epoch_loss)
            if bar is not None:
                bar(epoch, epoch_loss)

        start = time.perf_counter()
        interrupted = False
        try:
            tinynet.fit(net, X_fit, y_fit, loss=loss, optimizer=optimizer, lr=lr, epochs=epochs,
                        batch_size=batch_size, seed=seed, callback=follow, validation=validation)
        except KeyboardInterrupt:
            interrupted = True
        done.seconds = time.perf_counter() - start

    result = _report(model, X_train, y_train, X_val, y_val, done, loss)
    linears = [layer for layer in model if isinstance(layer, tinynet.Linear)]
    result.update(data=data, activation=hidden_activation(model), output_activation=output_activation,
                  hidden=[layer.out_features for layer in linears[:-1]], optimizer=optimizer, lr=lr,
                  batch_size=batch_size, seed=seed, dtype=str(tinynet.sequential.model_dtype(model)))
    if save_path:
        tinynet.save(model, save_path)
        result["saved"] = save_path
    warn_dead_units(model, X_train)
    _print(result, as_json, describe(model), interrupted)
    if plot_path and not interrupted:
        from .plot import plot_fits

        plot_fits(plot_path, X_train, y_train, [{"label": describe(model), "net": model, "history": done}],
                  title=f"tinynet train --data {data}: training MSE {result['final_mse']:.3g}")
    if interrupted:
        raise SystemExit(130)


def _split(X, y, fraction, seed):
    """Hold out a seeded random ``fraction`` of the rows for validation."""
    if fraction is None:
        return X, y, None, None
    n_val = round(fraction * len(X))
    if not 1 <= n_val < len(X):
        raise click.BadParameter(f"{fraction} of {len(X)} rows leaves no rows for training or validation",
                                 param_hint="'--val-fraction'")
    order = np.random.default_rng(seed).permutation(len(X))
    val, fit = np.sort(order[:n_val]), np.sort(order[n_val:])
    return X[fit], y[fit], X[val], y[val]


def _check_loss(loss: str, output_activation: str, y, resume: str | None) -> None:
    """BCE compares probabilities: it needs a sigmoid output and targets in [0, 1]."""
    if loss != "bce":
        return
    if output_activation != "sigmoid":
        if resume:
            raise click.ClickException(f"--loss bce needs a sigmoid output, and the model in {resume} has none: "
                                       "use --loss mse")
        raise click.UsageError("--loss bce needs --output-activation sigmoid: binary cross-entropy takes "
                               "probabilities, which only a sigmoid output gives")
    if y.min() < 0 or y.max() > 1:
        raise click.ClickException(f"--loss bce needs targets in [0, 1] (probabilities or 0/1 labels), but these "
                                   f"range over [{y.min():.3g}, {y.max():.3g}]: use --loss mse")


def _columns_for(model, X, names, path):
    """X's columns in the order the resumed model was trained on, found by name when both have names."""
    if model.feature_names is None or names is None:
        return X
    if sorted(names) != sorted(model.feature_names):
        raise click.ClickException(f"the model in {path} was trained on columns {', '.join(model.feature_names)}, "
                                   f"but this data has {', '.join(names)}")
    return X[:, [names.index(name) for name in model.feature_names]]


def _check_fits(model, X, y, path) -> None:
    """A resumed model must take as many inputs, and give as many outputs, as the data has."""
    features = tinynet.sequential.input_features(model)
    outputs = tinynet.sequential.output_features(model)
    if features is None or outputs is None:
        raise click.ClickException(f"the model in {path} has no Linear layer, so there is nothing to train")
    if (features, outputs) != (X.shape[1], y.shape[1]):
        raise click.ClickException(
            f"the model in {path} takes {features} input(s) and gives {outputs} output(s), but the data has "
            f"{X.shape[1]} input column(s) and {y.shape[1]} target(s): resume with the data it was trained on"
        )


def _report(model, X, y, X_val, y_val, history, loss) -> dict:
    mse = tinynet.MSELoss()
    prediction = tinynet.predict(model, X)
    result = {
        "final_loss": tinynet.get_loss(loss)(prediction, y.astype(prediction.dtype)),
        "final_mse": mse(prediction, y.astype(prediction.dtype)),
        "epochs": history.epochs,
        "seconds": history.seconds,
        "loss": loss,
        "linear_pieces": None,
        "samples": int(X.shape[0]),
        "features": int(X.shape[1]),
    }
    if X_val is not None:
        val_prediction = tinynet.predict(model, X_val)
        result["val_mse"] = mse(val_prediction, y_val.astype(val_prediction.dtype))
    # pieces need an interval: a constant input column has none
    if X.shape[1] == 1 and y.shape[1] == 1 and tinynet.is_piecewise_linear(model) and X.min() < X.max():
        result["linear_pieces"] = tinynet.linear_pieces(model, float(X.min()), float(X.max()))
        result["range"] = [float(X.min()), float(X.max())]
    result["linear_regression"] = tinynet.linear_regression_note(model, X, y)
    return result


def _warn_before(net, y, hidden) -> None:
    layers = list(net)
    if hidden and all(isinstance(layer, (tinynet.Linear, tinynet.Identity)) for layer in layers):
        warn("every hidden activation is identity: this network is one affine map, "
             "so it cannot beat least squares (try --activation relu)")
    if layers and isinstance(layers[-1], tinynet.Sigmoid) and (y.min() < 0 or y.max() > 1):
        warn(f"the sigmoid output lies in (0, 1), but the targets range over [{y.min():.3g}, {y.max():.3g}]: "
             "use --output-activation identity, or targets in [0, 1]")


def _print(result: dict, as_json: bool, name: str, interrupted: bool) -> None:
    if as_json:
        echo_json(result | {"interrupted": interrupted})
        return
    if interrupted:
        click.echo(f"Interrupted at epoch {result['epochs']}: stopped training early.", err=True)
    click.echo(f"trained {name} on {result['data']}: {_count(result['samples'], 'sample')}, "
               f"{_count(result['features'], 'feature')}")
    # three digits: the fourth of a trained net's loss can depend on the CPU's BLAS kernel
    rows = [("final training MSE", f"{result['final_mse']:.3g}")]
    if result["loss"] != "mse":
        rows.append((f"final training {result['loss']}", f"{result['final_loss']:.3g}"))
    if "val_mse" in result:
        rows.append(("validation MSE", f"{result['val_mse']:.3g}"))
    if result["linear_pieces"] is not None:
        lo, hi = result["range"]
        rows.append(("linear pieces", f"{result['linear_pieces']} on [{lo:.3g}, {hi:.3g}]"))
    rows.append(("time", f"{result['seconds']:.2f} s ({_count(result['epochs'], 'epoch')})"))
    for label, value in rows:
        click.echo(f"{label + ':':<20}{value}")
    if result["linear_regression"]:
        click.echo(result["linear_regression"])
    if "saved" in result:
        note = " (the model trained so far)" if interrupted else ""
        click.echo(f"saved to {result['saved']}{note}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
