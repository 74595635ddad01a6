"""Pictures of what the lesson claims: fits, regions, hinges, kinks and the film of training.

Drawing needs matplotlib (the plot extra: pip install "tinynet[plot]"), so
it is imported inside the functions that draw, never with tinynet; these
names are importable from ``tinynet.draw`` only. Each ``plot_*`` function
writes its picture to a file (PNG, PDF or SVG from the name), atomically,
and each ``draw_*`` returns the matplotlib figure instead, to show or test.
``tinynet train``, ``compare`` and ``inspect`` draw with these.

Read in this order:

- canvas: matplotlib without a display, ``MatplotlibMissing`` with the
  install hint, ``check_can_draw`` to ask before training, ``save``
  (atomic, through tinynet.io.atomic_write), and ``stoppable``: a command's
  signal stops a drawing only between its steps (``step``);
- fits: one input, one output: each net in its panel, the zoom on a ReLU
  net's straight pieces, each fit's slope, the loss with its spikes
  (``loss_spikes``); with more inputs, prediction against target;
- regions: classifiers on two inputs: each net's linear regions shaded by
  class, the decision boundary and the data;
- hinges: a saved one-input ReLU model as its units' hinges and their sum
  (one hidden layer) or as its linear pieces with their slopes (deeper);
- kinks: each first-layer unit's kink x = -b / w against the epoch;
- film: the fit forming during training, frame by frame, as a GIF or a
  strip of frames; several nets side by side for compare;
- page: all of it as one self-contained HTML page with a slider through
  training (no matplotlib needed).
"""

from .canvas import MatplotlibMissing, check_can_draw, pyplot, step, stoppable
from .film import (
    Frame,
    check_film_model,
    compare_recorders,
    film_frames,
    film_recorder,
    save_film,
    write_compare_film,
    write_film,
)
from .fits import draw_fits, loss_spikes, plot_fits, to_data_units
from .hinges import draw_hinges, plot_hinges
from .kinks import draw_kinks, kink_paths, plot_kinks
from .page import check_page_model, write_compare_page, write_page
from .regions import draw_regions, plot_regions, shade

__all__ = [
    "Frame",
    "MatplotlibMissing",
    "check_can_draw",
    "check_film_model",
    "check_page_model",
    "compare_recorders",
    "draw_fits",
    "draw_hinges",
    "draw_kinks",
    "draw_regions",
    "film_frames",
    "film_recorder",
    "kink_paths",
    "loss_spikes",
    "plot_fits",
    "plot_hinges",
    "plot_kinks",
    "plot_regions",
    "pyplot",
    "save_film",
    "shade",
    "step",
    "stoppable",
    "to_data_units",
    "write_compare_film",
    "write_compare_page",
    "write_film",
    "write_page",
]
