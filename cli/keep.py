"""Nothing lost: outputs checked before training, stop signals during it, and a save before the report.

What ``tinynet train --save`` promises, in the order it happens:

- before training: --save and the pictures (--plot, --animate, --plot-kinks)
  are refused if they could not be written whole (see
  ``tinynet.io.atomic.check_outputs``), if they name one of the command's own
  input files or each other, or if a picture has no matplotlib;
- during training: Ctrl-C, SIGTERM and SIGHUP (how ``timeout``, ``kill``,
  schedulers and CI stop a job) stop at the last completed step; a signal
  that was ignored when tinynet started (``nohup``, a shell's background
  job) stays ignored;
- after training, while further signals wait: a run that finished no epoch
  is not saved (an untrained model never replaces a file), nor is a run that
  diverged (``tinynet.training.divergence``, the rule ``fit`` raises
  ``TrainingDiverged`` by, applied here to a run a signal stopped before
  ``fit`` could judge it); otherwise the model is saved, and only then is the
  report computed, so a report that fails or is interrupted never costs it.
  A stopped run exits with 128 + the signal's number (130, 143, 129).
"""

import contextlib
import os
import signal
import threading

import click

import tinynet
from tinynet import training
from tinynet.draw import stoppable
from tinynet.io import atomic

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def check_outputs(save_path: str | None, plot_path: str | None, inputs: dict[str, str | None],
                  pictures: dict[str, str | None] | None = None) -> None:
    """``tinynet.io.atomic.check_outputs`` for --save, --plot and ``pictures`` (--animate, ...) against
    ``inputs`` (--data, --resume), then whether matplotlib is there to draw them."""
    pictures = {"--plot": plot_path, **(pictures or {})}
    _bad_option(atomic.check_outputs, {"--save": save_path, **pictures}, inputs)
    if any(path for option, path in pictures.items() if option not in atomic.PAGES):
        from tinynet.draw import check_can_draw

        check_can_draw()


def check_output_path(path: str | None, option: str) -> None:
    """``tinynet.io.atomic.check_output_path``, its refusal as a bad option."""
    _bad_option(atomic.check_output_path, path, option)


def _bad_option(check, *args) -> None:
    try:
        check(*args)
    except atomic.OutputPathError as error:
        raise click.BadParameter(str(error), param_hint=f"'{error.option}'") from None


class Stopped(KeyboardInterrupt):
    """A signal stopped the command. A KeyboardInterrupt, so what lets Ctrl-C through lets it through."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum  # what shells report for a job ended by that signal


class StopSignals:
    """While entered, SIGINT, SIGTERM and SIGHUP raise ``Stopped`` if ``raising``, else wait in ``pending``.

    The first signal turns ``raising`` off, so a second one cannot interrupt
    the handling of the first; set ``raising`` off yourself around work that
    must not be cut short (a save), and look at ``pending`` after it. While
    entered, pictures are drawn ``held`` (see ``tinynet.draw.stoppable``): a
    signal waits, and stops the drawing at its next step, never inside
    matplotlib or Pillow.
    """

    def __init__(self):
        self.raising = True
        self.pending: list[int] = []
        self._before = {}
        self._drawing = contextlib.ExitStack()

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():  # only the main thread may set handlers
            for signum in STOP_SIGNALS:
                if signal.getsignal(signum) is signal.SIG_IGN:
                    continue  # ignored on purpose (nohup, a shell's background job): it stays ignored
                self._before[signum] = signal.signal(signum, self._handle)
        self._drawing.enter_context(stoppable(self))
        return self

    def __exit__(self, *exc_info):
        self._drawing.close()
        for signum, handler in self._before.items():
            signal.signal(signum, handler)

    def _handle(self, signum, frame):
        if self.raising:
            self.raising = False
            raise Stopped(signum)
        self.pending.append(signum)

    @contextlib.contextmanager
    def held(self):
        """Within, signals wait in ``pending``; on leaving, one that waited raises ``Stopped`` (where
        signals raised before). An exception leaving leaves ``raising`` off: a stop is being handled."""
        before, self.raising = self.raising, False
        yield
        self.raising = before
        if before:
            self.stop_if_pending()

    def stop_if_pending(self) -> None:
        """Raise ``Stopped`` for the first signal that waited, if any."""
        if self.pending:
            self.raising = False
            raise Stopped(self.pending.pop(0))


def check_trained(epochs: int, stopped: Stopped | None, save_path: str | None) -> None:
    """A run stopped before its first epoch ended has not trained its model: say so, save nothing, exit."""
    if stopped is None or epochs > 0:
        return
    unsaved = f", so it is not saved{_untouched(save_path)}" if save_path else ""
    click.echo(f"{stopped_how(stopped)} before the first epoch ended: the model is not trained yet{unsaved}.",
               err=True)
    raise SystemExit(stopped.exit_code)


def diverged(error: tinynet.TrainingDiverged, save_path: str | None) -> click.ClickException:
    """``fit``'s divergence as the command's one line, saying what became of the --save file."""
    return click.ClickException(f"{error}{_untouched(save_path)}")


def check_not_diverged(net, X, y, loss: str, before: tuple[float, float], lr: float, save_path: str | None,
                       stopped: Stopped) -> None:
    """``tinynet.training.check_not_diverged`` for a run a signal stopped: the error exits as the signal would."""
    try:
        training.check_not_diverged(net, X, y, loss, before, lr)
    except tinynet.TrainingDiverged as error:
        refused = diverged(error, save_path)
        refused.exit_code = stopped.exit_code
        raise refused from None


def save_model(model, path: str) -> None:
    """``tinynet.save``, with a failure that says the trained model was not saved."""
    try:
        tinynet.save(model, path)
    except OSError as error:
        raise click.ClickException(f"{error}; the trained model was not saved") from None


def cut_short(error: BaseException, save_path: str | None) -> None:
    """Say what ``error``, which cut short the report of a trained model, left of it (saved to ``save_path``,
    if given). A stop (a signal, even while a picture was drawn) is said in one line and exits here, with
    its code; any other error goes on to be said as usual."""
    if isinstance(error, KeyboardInterrupt):
        stopped = stop_of(error)
        saved = f", but the trained model is saved to {save_path}" if save_path else ""
        click.echo(f"{stopped_how(stopped)} after training: the report was cut short{saved}.", err=True)
        raise SystemExit(stopped.exit_code) from None
    if save_path:
        click.echo(f"(the trained model is saved to {save_path}: only the report was cut short)", err=True)


def stop_of(error: BaseException) -> Stopped:
    """The ``Stopped`` behind ``error``: itself, or the one click turned into its Abort; a plain
    KeyboardInterrupt (Ctrl-C where no handler was set) is a SIGINT."""
    for cause in (error, error.__cause__, error.__context__):
        if isinstance(cause, Stopped):
            return cause
    return Stopped(signal.SIGINT)


def stopped_how(stopped: Stopped) -> str:
    """ "Interrupted" for Ctrl-C, "Stopped by SIGTERM" for the others."""
    return "Interrupted" if stopped.signum == signal.SIGINT else f"Stopped by {stopped.args[0]}"


def _untouched(save_path: str | None) -> str:
    if save_path is None:
        return ""
    return f"; {save_path} was left as it was" if os.path.lexists(save_path) else "; nothing was saved"
