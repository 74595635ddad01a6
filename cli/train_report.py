"""What tinynet train prints once the model is saved: its loss, linear pieces or regions, time, and the picture."""

import click

import tinynet
from tinynet import draw

from .common import describe, echo_json, hidden_activation, warn_dead_units
from .keep import Stopped, stopped_how


def report(model, training, validation, done, stopped: Stopped | None, settings: dict, *, save_path, plot_path,
           as_json, names) -> None:
    """Print the trained ``model``'s report on ``training`` = (X, y) and ``validation`` = (X_val, y_val)
    or (None, None) (as JSON with ``as_json``), and draw it to ``plot_path``.

    ``done`` is the History of the run, ``settings`` the options it ran with (data, loss, lr, ...).
    """
    (X, y), (X_val, y_val) = training, validation
    result, fit = _measure(model, X, y, X_val, y_val, done, settings["loss"])
    linears = [layer for layer in model if isinstance(layer, tinynet.Linear)]
    result.update(settings, activation=hidden_activation(model), hidden=[layer.out_features for layer in linears[:-1]],
                  dtype=str(tinynet.model_dtype(model)))
    if save_path:
        result["saved"] = save_path
    warn_dead_units(fit.dead_units)
    _print(result, as_json, describe(model), stopped)
    if plot_path and stopped is None and "accuracy" in result and X.shape[1] == 2:
        regions = tinynet.is_piecewise_linear(_logit(model)) or None
        net = {"label": describe(model), "net": model, "accuracy": result["accuracy"], "regions": regions,
               "history": done}
        draw.plot_regions(plot_path, X, y, [net],
                          title=f"tinynet train --data {settings['data']}: accuracy {result['accuracy']:.1%}")
    elif plot_path and stopped is None:
        draw.plot_fits(plot_path, X, y, [{"label": describe(model), "net": model, "history": done}],
                       title=f"tinynet train --data {settings['data']}: training MSE {result['final_mse']:.3g}",
                       names=names)


LOSS_NAMES = {"mse": "MSE", "bce": "binary cross-entropy"}  # each loss as the report names it


def _measure(model, X, y, X_val, y_val, history, loss) -> tuple[dict, tinynet.FitReport]:
    """The report's numbers (``describe_fit`` on the training rows, its scores on the held-out ones), and
    the FitReport they come from."""
    fit = tinynet.describe_fit(model, X, y, loss)
    result = {
        "final_loss": fit.loss_value,
        "final_mse": fit.mse,
        "epochs": history.epochs,
        "seconds": history.seconds,
        "loss": loss,
        "linear_pieces": None,
        "samples": int(X.shape[0]),
        "features": int(X.shape[1]),
    }
    held_out = None if X_val is None else tinynet.describe_fit(model, X_val, y_val, loss, shape=False)
    if held_out is not None:
        result["val_mse"], result["val_loss"] = held_out.mse, held_out.loss_value
    if fit.accuracy is not None:  # class labels: how many rows are right
        result["accuracy"] = fit.accuracy
        if held_out is not None and held_out.accuracy is not None:
            result["val_accuracy"] = held_out.accuracy
    key = "linear_pieces" if X.shape[1] == 1 else "linear_regions"
    counted = fit.pieces if fit.pieces is not None else fit.regions
    if fit.count_error is not None:  # too many to count: say why, the rest still holds
        result[f"{key}_error"] = fit.count_error
    elif counted is not None and counted.count is not None:  # None: every x the same, no interval to count on
        result[key] = counted.count
        result[f"{key}_where"] = counted.where()
        if key == "linear_pieces":
            result["range"] = list(counted.box[0])
        else:
            result["box"] = [list(side) for side in counted.box]
    result["linear_regression"] = fit.linear_regression
    return result, fit


def _logit(model):
    """The model up to its logit: the regions of a classifier are those of the value before its sigmoid."""
    return model[:-1] if isinstance(model[-1], tinynet.Sigmoid) else model


def _print(result: dict, as_json: bool, name: str, stopped: Stopped | None) -> None:
    if as_json:
        echo_json(result | {"interrupted": stopped is not None} | ({"signal": stopped.args[0]} if stopped else {}))
        return
    if stopped is not None:
        click.echo(f"{stopped_how(stopped)} at epoch {result['epochs']}: stopped training early.", err=True)
    click.echo(f"trained {name} on {result['data']}: {_count(result['samples'], 'sample')}, "
               f"{_count(result['features'], 'feature')}")
    # three digits: the fourth of a trained net's loss can depend on the CPU's BLAS kernel
    if result["loss"] == "mse":
        rows = [("final training MSE", f"{result['final_mse']:.3g}")]
        if "val_mse" in result:
            rows.append(("validation MSE", f"{result['val_mse']:.3g}"))
    else:  # the loss it trained, named: an MSE beside it would be a second number for one question
        loss_name = LOSS_NAMES.get(result["loss"], result["loss"])
        rows = [("final training loss", f"{result['final_loss']:.3g} ({loss_name})")]
        if "val_loss" in result:
            rows.append(("validation loss", f"{result['val_loss']:.3g} ({loss_name})"))
    if "accuracy" in result:
        rows.append(("training accuracy", f"{result['accuracy']:.1%}"))
    if "val_accuracy" in result:
        rows.append(("validation accuracy", f"{result['val_accuracy']:.1%}"))
    for key, label in (("linear_pieces", "linear pieces"), ("linear_regions", "linear regions")):
        if key in result and result[key] is not None:
            rows.append((label, f"{result[key]} {result[f'{key}_where']}"))
        elif f"{key}_error" in result:
            rows.append((label, f"not counted: {result[f'{key}_error']}"))
    rows.append(("time", f"{result['seconds']:.2f} s ({_count(result['epochs'], 'epoch')})"))
    width = max(len(label) for label, _ in rows) + 2  # the longest label, its colon and a space
    for label, value in rows:
        click.echo(f"{label + ':':<{width}}{value}")
    if result["linear_regression"]:
        click.echo(result["linear_regression"])
    if "saved" in result:
        note = " (the model trained so far)" if stopped is not None else ""
        click.echo(f"saved to {result['saved']}{note}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
