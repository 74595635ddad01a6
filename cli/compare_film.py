"""tinynet compare --animate: the three nets learning side by side, one panel each, frame by frame."""

import numpy as np

import tinynet

from .film import FRAMES, SNAPSHOTS, STRIP, film_images
from .film_files import save_film


def recorders_for(X, epochs: int, animate_path) -> tuple[dict, object]:
    """({activation: KinkRecorder}, the watch hook for tinynet.compare), or ({}, None) without --animate."""
    if not animate_path:
        return {}, None
    recorders = {}
    lo, hi = float(X.min()), float(X.max())
    if lo == hi:
        lo, hi = -np.inf, np.inf

    def watch(activation, model):
        recorders[activation] = tinynet.KinkRecorder(model, every=max(1, epochs // SNAPSHOTS), lo=lo, hi=hi)
        return recorders[activation]

    return recorders, watch


def write_compare_film(path: str, recorders: dict, rows: list[dict], X, y, data: str) -> None:
    """One frame = each net's frame side by side, each from its own run (a net that settled early holds still)."""
    frames = STRIP if path.lower().endswith(".png") else FRAMES
    panels = []
    for row in rows[1:]:
        recorder = recorders[row["activation"]]
        recorder.finish(row["history"])
        _, images = film_images(recorder, X, y, f"compare --data {data}: the {row['activation']} net", frames)
        panels.append(images)
    count = max(len(images) for images in panels)
    # a net with fewer snapshots (it stopped early) shows its last frame from then on
    joined = [np.hstack([images[min(i, len(images) - 1)] for images in panels]) for i in range(count)]
    save_film(path, joined)
