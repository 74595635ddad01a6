"""Where every picture is drawn and written: matplotlib without a display, and files replaced whole.

matplotlib is optional (the plot extra), so it is imported here, inside
``pyplot``, and never when tinynet is imported. Asking for it where it is
missing raises ``MatplotlibMissing``, whose message says how to install it;
``check_can_draw`` asks before any work is done, so a long training run is
not lost to a missing extra. ``save`` writes a figure through
``tinynet.io.atomic_write``: an old picture is never half-overwritten.
"""

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
    return plt


def save(fig, path: str, dpi: int) -> None:
    """Write ``fig`` to ``path``, its kind (png, pdf, svg) from the file name, PNG without a suffix.

    The picture goes to a temporary file beside ``path`` first, then is
    renamed over it (``atomic_write``): ``path`` holds the old picture or the
    new one, never half of either.
    """
    kind = os.path.splitext(path)[1].lower().lstrip(".") or "png"
    with atomic_write(path) as file:
        fig.savefig(file, format=kind, dpi=dpi)


def save_and_close(fig, path: str, dpi: int) -> None:
    """``save``, then free the figure (pyplot keeps every figure it made until it is closed), even on error."""
    try:
        save(fig, path, dpi)
    finally:
        pyplot().close(fig)
