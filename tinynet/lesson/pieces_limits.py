"""How far ``pieces`` and ``breakpoints`` may go with a model from anyone.

The exact search carries an (intervals, units) array of slopes and one of
intercepts through the layers, and depth can double the intervals at every
layer: a 30 KB model file can describe a net whose pieces would take
gigabytes, or whose million intervals, carried through a long tail of
layers, would take minutes. So the search checks, before each step that
could grow, the count of breakpoints (it lists them all), the size of the
next array (memory), and the numbers computed so far (time); and after each
layer, that the numbers are finite. Each limit refuses with a ValueError
that names the layer, never with a wrong answer.
"""

import numpy as np

MAX_BREAKPOINTS = 1_000_000  # sawtooth(19) has half as many; a file from anyone may claim far more
MAX_CELLS = 4_000_000  # numbers in one (intervals, units) array: 32 MB; the search holds a few at once
MAX_WORK = 10_000_000  # such numbers computed over all layers (sawtooth(19) takes 2 million): about a second


def check_breakpoints(count: int, layer: int, caller: str) -> None:
    """Refuse a model with more breakpoints than ``caller`` lists."""
    if count > MAX_BREAKPOINTS:
        raise ValueError(f"the model has more than {MAX_BREAKPOINTS:,} breakpoints by layer {layer}: "
                         f"too many for {caller} to list")


def check_cells(intervals: int, units: int, layer: int, caller: str) -> None:
    """Refuse, before allocating it, an (intervals, units) array too big to hold."""
    if intervals * units > MAX_CELLS:
        raise ValueError(f"the model has {intervals:,} intervals x {units:,} units by layer {layer}: more than "
                         f"{MAX_CELLS:,} numbers, too many for {caller} to hold in memory")


def check_layer(a: np.ndarray, c: np.ndarray, work: int, i: int, layer, caller: str) -> int:
    """The numbers computed so far, with layer i's slopes a and intercepts c; refuse too many, or any not finite."""
    work += a.size
    if work > MAX_WORK:  # a long tail of layers over many intervals: memory holds, time does not
        raise ValueError(f"the model has {a.shape[0]:,} intervals x {a.shape[1]:,} units by layer {i}, and "
                         f"more than {MAX_WORK:,} numbers to compute over its layers: too many for {caller}")
    if not (np.isfinite(a).all() and np.isfinite(c).all()):
        # inf and NaN would compare as "no change" and merge pieces: a wrong count, silently
        raise ValueError(f"the slopes and intercepts overflow float64 by layer {i} ({layer!r}): the model's "
                         f"numbers are too large for {caller} to compute exactly")
    return work
