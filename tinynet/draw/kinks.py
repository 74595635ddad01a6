"""Where every first-layer kink went while the net trained (``tinynet train --plot-kinks``).

One line per first-layer unit: its kink x = -b / w (in the data's units)
against the epoch, over the data's range shaded. A kink inside the band
bends the fit there; a kink that leaves the band bends it nowhere on the
data; a dead unit (off for every x of the data: it gets no gradient, so it
never comes back) has its line end where it died, with a cross. When every
kink has left or died, the net is one line on its data: linear regression.
What is drawn comes from a ``tinynet.KinkRecorder`` kept during training.
"""

import numpy as np

from .canvas import pyplot, save_and_close, stops_between_steps, texts_as_written

DPI = 100
REACH = 1.0  # draw kinks up to this many data ranges beyond the data; further ones leave the picture


def kink_paths(recorder) -> tuple[np.ndarray, np.ndarray]:
    """(epochs (S,), kinks (S, units)): each unit's kink at each snapshot, nan where the unit is dead."""
    snapshots = recorder.snapshots
    epochs = np.array([s.epoch for s in snapshots])
    kinks = np.array([np.where(s.dead, np.nan, s.kinks) for s in snapshots])
    return epochs, kinks


@stops_between_steps
def plot_kinks(path: str, recorder, X: np.ndarray, title: str) -> None:
    """Draw each first-layer unit's kink against the epoch to ``path`` (PNG, PDF or SVG, from its name)."""
    save_and_close(draw_kinks(recorder, X, title), path, DPI)


@texts_as_written
def draw_kinks(recorder, X: np.ndarray, title: str):
    """The figure of ``plot_kinks``, returned (not saved).

    ``recorder`` is a KinkRecorder of a one-input net with kinks in its first
    hidden layer, ``X`` (N, 1) the data it trained on, in the data's units.
    """
    plt = pyplot()
    epochs, kinks = kink_paths(recorder)
    raw = np.array([s.kinks for s in recorder.snapshots])  # where the dead units' kinks were
    lo, hi = float(X.min()), float(X.max())
    fig, ax = plt.subplots(figsize=(6.4, 4.0), constrained_layout=True)
    ax.axhspan(lo, hi, color="0.92", label="the data's range", zorder=0)
    span = hi - lo or 1.0
    shown = raw[np.isfinite(raw)]  # the dead units' too: their crosses must show
    bottom = max(shown.min(initial=lo), lo - REACH * span) - 0.05 * span
    top = min(shown.max(initial=hi), hi + REACH * span) + 0.05 * span
    dead_at = []
    for unit in range(kinks.shape[1]):
        track = kinks[:, unit]
        # w crossing 0 sends the kink through infinity, from beyond one edge to beyond the other: no line there
        through = np.flatnonzero(((track[:-1] > top) & (track[1:] < bottom)) | ((track[:-1] < bottom) & (track[1:] > top)))
        ax.plot(np.insert(epochs.astype(float), through + 1, np.nan), np.insert(track, through + 1, np.nan), lw=1.2,
                color=f"C{unit % 10}")
        alive = ~np.isnan(track)
        if not alive[-1]:  # dead at the end: mark where its line ends (at epoch 0 if it never lived)
            last = np.flatnonzero(alive)[-1] if alive.any() else 0
            dead_at.append((epochs[last], raw[last, unit]))
    for epoch, kink in dead_at:
        if not bottom <= kink <= top:  # beyond the picture: the cross at its edge, with where the kink is
            ax.annotate(f"x = {kink:.3g}", (epoch, np.clip(kink, bottom, top)), textcoords="offset points",
                        xytext=(8, -12 if kink > top else 4), fontsize=8)
    if dead_at:
        crosses = [(epoch, np.clip(kink, bottom, top)) for epoch, kink in dead_at]
        ax.plot(*zip(*crosses), "x", ms=7, mew=2, color="k", label="dead: off for every x of the data",
                clip_on=False, zorder=3)
    ax.set_ylim(bottom, top)
    ax.set_xscale("symlog", linthresh=10, linscale=0.5)  # the kinks move most in the first epochs
    # plain numbers: symlog's own labels are math ("$\\mathdefault{0}$"), shown as written here (texts_as_written)
    ax.xaxis.set_major_formatter(lambda epoch, _: f"{epoch:g}")
    ax.set_xlim(epochs[0], max(epochs[-1], 1))
    ax.set_xlabel("epoch (linear to 10, then logarithmic)")
    ax.set_ylabel("kink x = -b / w of each first-layer unit")
    dead_now = int(recorder.snapshots[-1].dead.sum())
    ax.set_title(f"{kinks.shape[1]} units; at the end {_on_data(kinks[-1], lo, hi)} kink(s) on the data, "
                 f"{dead_now} unit(s) dead", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    fig.suptitle(title, fontsize=9)
    return fig


def _on_data(kinks: np.ndarray, lo: float, hi: float) -> int:
    return int(((kinks > lo) & (kinks < hi)).sum())
