"""What tinynet train prints once the model is saved: its loss, linear pieces or regions, time, and the picture."""

import click

import tinynet
from tinynet import draw
from tinynet.lesson.report import fit_summary, logit_of, summary_text

from .common import describe, echo_json, hidden_activation, warn_dead_units
from .keep import Stopped, stopped_how


def report(model, training, validation, done, stopped: Stopped | None, settings: dict, *, save_path, plot_path,
           as_json, names) -> None:
    """Print the trained ``model``'s report on ``training`` = (X, y) and ``validation`` = (X_val, y_val)
    or (None, None) (as JSON with ``as_json``), and draw it to ``plot_path``.

    ``done`` is the History of the run, ``settings`` the options it ran with (data, loss, lr, ...).
    """
    (X, y), (X_val, y_val) = training, validation
    result, fit = fit_summary(model, X, y, settings["loss"], done, None if X_val is None else (X_val, y_val))
    linears = [layer for layer in model if isinstance(layer, tinynet.Linear)]
    result.update(settings, activation=hidden_activation(model), hidden=[layer.out_features for layer in linears[:-1]],
                  dtype=str(tinynet.model_dtype(model)))
    if save_path:
        result["saved"] = save_path
    warn_dead_units(fit.dead_units)
    if as_json:
        echo_json(result | {"interrupted": stopped is not None} | ({"signal": stopped.args[0]} if stopped else {}))
    else:
        if stopped is not None:
            click.echo(f"{stopped_how(stopped)} at epoch {result['epochs']}: stopped training early.", err=True)
        click.echo(summary_text(result, describe(model)))
        if save_path:
            click.echo(f"saved to {save_path}{' (the model trained so far)' if stopped is not None else ''}")
    if plot_path and stopped is None and "accuracy" in result and X.shape[1] == 2:
        regions = tinynet.is_piecewise_linear(logit_of(model)) or None
        net = {"label": describe(model), "net": model, "accuracy": result["accuracy"], "regions": regions,
               "history": done}
        draw.plot_regions(plot_path, X, y, [net],
                          title=f"tinynet train --data {settings['data']}: accuracy {result['accuracy']:.1%}")
    elif plot_path and stopped is None:
        draw.plot_fits(plot_path, X, y, [{"label": describe(model), "net": model, "history": done}],
                       title=f"tinynet train --data {settings['data']}: training MSE {result['final_mse']:.3g}",
                       names=names)
