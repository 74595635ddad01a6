"""tinynet train: fit one network to a dataset or a CSV file, save it, then report it.

The order keeps trained work safe (see keep.py): outputs are checked before
training, Ctrl-C, SIGTERM and SIGHUP stop training at the last completed step,
and the model is saved before the report is computed.
"""

import signal
import time

import click

import tinynet
from tinynet import draw
from tinynet.io import check_fits_model
from tinynet.lesson import report
from tinynet.lesson.classify import class_count
from tinynet.training import WORSE_THAN_MEAN

from . import common, keep
from .params import activation_option
from .pictures import draw_pictures, film_options, recorder_for


@click.command()
@common.data_options
@activation_option
@click.option("--output-activation", type=click.Choice(["identity", "sigmoid"]), default=None,
              show_default="sigmoid for a target of 0s and 1s (a classification), else identity",
              help="Activation after the last layer: sigmoid for probabilities (with --loss bce).")
@click.option("--loss", type=click.Choice(list(tinynet.LOSSES)), default=None,
              show_default="bce with a sigmoid output and targets in [0, 1], ce for labels 0 ... k-1, k >= 3, else mse",
              help="mse: mean squared error; bce: binary cross-entropy, for targets in [0, 1]; ce: softmax "
                   "cross-entropy, for labels 0 ... k-1.")
@common.training_options
@click.option("--dtype", type=click.Choice(["float64", "float32"]), default="float64",
              help="Float type of the weights and of every computation.")
@common.val_fraction_option
@common.patience_option
@click.option("--save", "save_path", type=click.Path(dir_okay=False), default=None, metavar="MODEL.npz",
              help="Save the trained model here (atomically: an existing file is replaced whole or not at all; "
                   "never by a run that diverged: its final loss not finite, or above its start and over "
                   f"{WORSE_THAN_MEAN}x that of always predicting the mean).")
@click.option("--resume", type=click.Path(dir_okay=False), default=None, metavar="MODEL.npz",
              help="Go on training a saved model: its architecture, scaling and dtype replace --hidden, "
                   "--activation, --output-activation, --standardize and --dtype; it reads the columns it was "
                   "trained on, by name, as predict does.")
@film_options
def train(data, target, features, drop, standardize, activation, output_activation, loss, hidden, epochs, lr,
          optimizer, weight_decay, batch_size, seed, plot_path, as_json, quiet, dtype, val_fraction, patience, save_path,
          resume, animate_path, kinks_path, html_path):
    """Train one network; print its MSE, time and linear pieces.

    \b
    Examples:
      tinynet train                                  # ReLU net on sin(x)
      tinynet train --activation identity            # only ever a straight line
      tinynet train --data abs --hidden 16 --save abs.npz
      tinynet train --data houses.csv --target price --val-fraction 0.2
      tinynet train --data people.csv --drop id,name --save people.npz
      tinynet train --data xor --hidden 16,16 --plot xor.png     # a classifier
      tinynet train --data spiral3 --hidden 32,32 --val-fraction 0.2   # 3 classes

    A target of 0s and 1s (xor, circles, moons, spiral, or such a CSV
    column) is a classification: a sigmoid output and binary cross-entropy,
    unless --output-activation or --loss say otherwise; one column of the
    labels 0 ... k-1, k >= 3 (spiral3, blobs4), is k classes: k outputs and
    softmax cross-entropy (--loss ce). The report adds the accuracy, and
    --plot draws a two-input net's linear regions and the class of each.
    """
    model = tinynet.load(resume) if resume else None  # resumed, it reads its own columns, as predict does
    X, y, feature_names, target_name = common.load_data(data, target, features, drop, model=model,
                                                        model_where=f"the model in {resume} (--resume)")
    # 0/1 labels: a classifier, as the help says; a resumed model has its own output, whatever the options say
    task = tinynet.training_defaults(y, output_activation, loss, model=model)
    tinynet.training.check_data(X, y, data, feature_names, target_name, dtype=dtype, standardize=standardize and not resume,
                      scale_targets=task.scale_targets)
    keep.check_outputs(save_path, plot_path, {"--data": data if target_name else None, "--resume": resume},
                       {"--animate": animate_path, "--plot-kinks": kinks_path, "--html": html_path})
    if resume:
        if tinynet.input_features(model) is None:
            raise click.ClickException(f"the model in {resume} has no Linear layer, so there is nothing to train")
        check_fits_model(model, X, y, data, f"the model in {resume} (--resume)")
    X_train, y_train, X_val, y_val = common.split_rows(X, y, val_fraction, seed)
    output_activation, loss = task.output_activation, task.loss
    if not resume:
        net = tinynet.mlp([X.shape[1], *hidden, task.outputs(y)], activation, output_activation=output_activation,
                          seed=seed, dtype=dtype)
        # probabilities must stay in [0, 1]: a sigmoid output has its inputs scaled only
        model = tinynet.standardized(net, X_train, y_train, targets=task.scale_targets) if standardize else net
        model.feature_names = feature_names  # kept in the model file, for predict to find the columns by name
    net, X_fit, y_fit = tinynet.split_scaling(model, X_train, y_train)
    _check_loss(loss, output_activation, y, resume, task.classes, tinynet.output_features(model) if resume else 1)
    for warning in report.warnings_before(net, y_train, hidden if not resume else None, activation):
        common.warn(warning)
    validation = tinynet.split_scaling(model, X_val, y_val)[1:] if X_val is not None else None
    recorder = recorder_for(model, X_train, epochs, animate_path, kinks_path, html_path)  # snapshots for pictures

    before = tinynet.training.losses_before(net, X_fit, y_fit, loss)  # for a run a signal stops before fit can judge it

    with keep.StopSignals() as signals:
        try:
            show = common.show_progress(quiet, as_json)
            done, stopped = _fit(net, X_fit, y_fit, signals, show, recorder, loss=loss, optimizer=optimizer, lr=lr,
                                 weight_decay=weight_decay, epochs=epochs, batch_size=batch_size, seed=seed,
                                 validation=validation, patience=patience, restore_best=validation is not None)
        except tinynet.TrainingDiverged as error:  # fit's one rule: nothing is saved
            raise keep.diverged(error, save_path) from None
        # signals wait from here until the model is saved: they cannot cost it
        keep.check_trained(done.epochs, stopped, save_path)
        if stopped is not None:
            keep.check_not_diverged(net, X_fit, y_fit, loss, before, lr, save_path, stopped)
        if save_path:
            keep.save_model(model, save_path)
        if signals.pending:  # a signal came while saving: stop now, the model is safe
            stopped = stopped or keep.Stopped(signals.pending[0])
            click.echo(f"{keep.stopped_how(stopped)}{f': the model is saved to {save_path}' if save_path else ''}.",
                       err=True)
            raise SystemExit(stopped.exit_code)
        signals.raising = True  # the report may be cut short: the model is saved
        try:
            settings = {"data": data, "output_activation": output_activation, "loss": loss, "optimizer": optimizer,
                        "lr": lr, "weight_decay": weight_decay, "batch_size": batch_size, "seed": seed}
            _report(model, (X_train, y_train), (X_val, y_val), done, stopped, settings, save_path=save_path,
                   plot_path=plot_path, as_json=as_json, names=(feature_names, target_name))
            if recorder is not None and stopped is None:
                draw_pictures(recorder, X_train, y_train, animate_path, kinks_path, data, html_path,
                              (feature_names, target_name))
        except (Exception, KeyboardInterrupt) as error:
            keep.cut_short(error, save_path)  # says what became of the model; a stop exits here, with its code
            raise
    if stopped is not None:
        raise SystemExit(stopped.exit_code)


def _fit(net, X, y, signals: keep.StopSignals, show: bool, recorder, **options):
    """Train ``net`` with a progress bar; return (the History so far, the Stopped that ended it or None)."""
    done = tinynet.History()  # filled epoch by epoch, so a stopped run still knows how far it got
    stopped = None
    with common.progress(options["epochs"], show) as bar:
        def follow(epoch, epoch_loss):
            done.loss.append(epoch_loss)
            if recorder is not None:  # a snapshot every few epochs, drawn after training
                recorder(epoch, epoch_loss)
            if bar is not None:
                bar(epoch, epoch_loss)

        start = time.perf_counter()
        try:
            history = tinynet.fit(net, X, y, callback=follow, **options)
            signals.raising = False
            done.val_loss, done.best_epoch = history.val_loss, history.best_epoch
            if recorder is not None:
                recorder.finish(history)
        except KeyboardInterrupt as error:  # the model holds the parameters of the last completed step
            # a plain KeyboardInterrupt where no handler could be set (a thread other than the main one)
            stopped = error if isinstance(error, keep.Stopped) else keep.Stopped(signal.SIGINT)
        done.seconds = time.perf_counter() - start
    return done, stopped


def _report(model, training, validation, done, stopped: keep.Stopped | None, settings: dict, *, save_path, plot_path,
           as_json, names) -> None:
    """Print the trained ``model``'s report on ``training`` = (X, y) and ``validation`` = (X_val, y_val)
    or (None, None) (as JSON with ``as_json``), and draw it to ``plot_path``.

    ``done`` is the History of the run, ``settings`` the options it ran with (data, loss, lr, ...).
    """
    X, y = training
    result, fit = report.train_summary(model, X, y, done, validation, settings, save_path)
    common.warn(report.dead_units_warning(fit.dead_units))
    if as_json:
        signal_number = {"signal": stopped.args[0]} if stopped else {}
        common.echo_json(result | {"interrupted": stopped is not None} | signal_number)
    else:
        if stopped is not None:
            click.echo(f"{keep.stopped_how(stopped)} at epoch {result['epochs']}: stopped training early.", err=True)
        click.echo(report.summary_text(result, tinynet.model_name(model)))
        if save_path:
            click.echo(f"saved to {save_path}{' (the model trained so far)' if stopped is not None else ''}")
    if plot_path and stopped is None and "accuracy" in result and X.shape[1] == 2:
        regions = tinynet.is_piecewise_linear(report.logit_of(model)) or None
        net = {"label": tinynet.model_name(model), "net": model, "accuracy": result["accuracy"], "regions": regions,
               "regions_error": result.get("linear_regions_error"), "history": done}
        draw.plot_regions(plot_path, X, y, [net],
                          title=f"tinynet train --data {settings['data']}: accuracy {result['accuracy']:.1%}")
        if net["regions_error"]:  # past the cap: the classes are drawn point by point, the regions not at all
            common.warn(f"{plot_path} does not draw the linear regions, too many to list (see above): it shades "
                        "each point of the plane by its class")
    elif plot_path and stopped is None and settings["loss"] == "ce":  # k classes on a line: no picture of them yet
        common.warn(f"{plot_path} is not drawn: --plot draws k classes for two inputs only")
    elif plot_path and stopped is None:
        draw.plot_fits(plot_path, X, y, [{"label": tinynet.model_name(model), "net": model, "history": done}],
                       title=f"tinynet train --data {settings['data']}: training MSE {result['final_mse']:.3g}",
                       names=names)


def _check_loss(loss: str, output_activation: str, y, resume: str | None, classes: int | None,
                outputs: int | None) -> None:
    """BCE compares probabilities: it needs a sigmoid output and targets in [0, 1]; softmax cross-entropy
    (ce) needs k >= 3 class labels, or a resumed model of k logits."""
    if loss == "ce" and not classes:
        fix = "leave out --output-activation sigmoid" if class_count(y) >= 3 else "for 0/1 labels use --loss bce"
        raise click.UsageError("--loss ce (softmax cross-entropy) needs an identity output, its logits, and one column "
                               f"of the class labels 0 ... k-1, k >= 3 (spiral3, blobs4): {fix}", ctx=None)
    if loss != "bce":
        return
    if output_activation != "sigmoid":
        if resume:
            other = "ce (its outputs are the logits of its classes)" if (outputs or 1) > 1 else "mse"
            raise click.ClickException(f"--loss bce needs a sigmoid output, and the model in {resume} has none: "
                                       f"use --loss {other}")
        raise click.UsageError("--loss bce needs --output-activation sigmoid: binary cross-entropy takes "
                               "probabilities, which only a sigmoid output gives")
    if y.min() < 0 or y.max() > 1:
        raise click.ClickException(f"--loss bce needs targets in [0, 1] (probabilities or 0/1 labels), but these "
                                   f"range over [{y.min():.3g}, {y.max():.3g}]: use --loss mse")

