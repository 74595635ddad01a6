"""Where every picture is drawn and written: matplotlib without a display, and files replaced whole.

matplotlib is optional (the plot extra), so it is imported here, inside
``pyplot``, and never when tinynet is imported. Asking for it where it is
missing raises ``MatplotlibMissing``, whose message says how to install it;
``check_can_draw`` asks before any work is done, so a long training run is
not lost to a missing extra. ``save`` writes a figure through
``tinynet.io.atomic_write``: an old picture is never half-overwritten.

A command stops a drawing only between its steps (``stoppable``, ``step``):
an exception raised by a signal handler at any instant may land inside
matplotlib or Pillow, whose own clean-up then fails in its own words (a
half-imported matplotlib taken for a missing one, "Invalid bounding box",
a Fatal Python error), or swallows it and draws on.
"""

import contextlib
import functools
import importlib.util
import os

from ..errors import TinynetError
from ..io.atomic import atomic_write

MISSING = ("plotting needs matplotlib, which is not installed: "
           "install the plot extra with  python -m pip install 'tinynet[plot]'  (or: python -m pip install matplotlib)")


class MatplotlibMissing(TinynetError):
    """Drawing was asked for, and matplotlib (or Pillow, which it brings) is not installed."""

    def __init__(self, message: str = MISSING):
        super().__init__(message)


_STOPPERS: list = []  # the stoppers ``stoppable`` has installed, innermost last; none outside a command


@contextlib.contextmanager
def stoppable(stopper):
    """Within, every drawing runs holding ``stopper`` and may be stopped only between its steps.

    ``stopper`` has ``held()``, a context manager during which a request to
    stop (a signal) waits instead of raising, and ``stop_if_pending()``,
    which raises the request that waits, if any. The commands pass theirs
    (cli/keep.py's StopSignals). Outside ``stoppable`` (a notebook, a
    script), drawing is as plain as any function.
    """
    _STOPPERS.append(stopper)
    try:
        yield stopper
    finally:
        _STOPPERS.remove(stopper)


def step() -> None:
    """A point between two steps of a drawing (matplotlib imported, a frame drawn, a file about to be
    written): a request to stop that waited stops the drawing here, where nothing is half done."""
    if _STOPPERS:
        _STOPPERS[-1].stop_if_pending()


def stops_between_steps(draw):
    """Decorate a function that draws: while it runs, the innermost stopper is held (see ``stoppable``)."""

    @functools.wraps(draw)
    def drawing(*args, **kwargs):
        if not _STOPPERS:
            return draw(*args, **kwargs)
        with _STOPPERS[-1].held():
            return draw(*args, **kwargs)

    return drawing


def texts_as_written(make_figure):
    """Decorate a function that makes a figure: the texts it puts there (column names, file names in titles)
    are shown as written, never read as matplotlib's math ("$\\frac{$" in a CSV header stopped the picture
    with a parse error of several lines)."""

    @functools.wraps(make_figure)
    def making(*args, **kwargs):
        pyplot()  # MatplotlibMissing where it is not installed, as every picture says it
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):  # read as each text is made
            return make_figure(*args, **kwargs)

    return making


def check_can_draw() -> None:
    """Raise MatplotlibMissing now if matplotlib is not installed, without importing it (that takes a while)."""
    if importlib.util.find_spec("matplotlib") is None:
        raise MatplotlibMissing()


def pyplot():
    """matplotlib.pyplot, drawing to files (the Agg backend: no window, no display needed).

    Raises MatplotlibMissing where matplotlib is not installed.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MatplotlibMissing() from None
    step()  # importing it takes up to a second: a stop asked meanwhile stops here
    return plt


def save(fig, path: str, dpi: int) -> None:
    """Write ``fig`` to ``path``, its kind (png, pdf, svg) from the file name, PNG without a suffix.

    The picture goes to a temporary file beside ``path`` first, then is
    renamed over it (``atomic_write``): ``path`` holds the old picture or the
    new one, never half of either.
    """
    kind = os.path.splitext(path)[1].lower().lstrip(".") or "png"
    step()
    with atomic_write(path) as file:
        fig.savefig(file, format=kind, dpi=dpi)


def save_and_close(fig, path: str, dpi: int) -> None:
    """``save``, then free the figure (pyplot keeps every figure it made until it is closed), even on error."""
    plt = pyplot()
    try:
        save(fig, path, dpi)
    finally:
        plt.close(fig)
