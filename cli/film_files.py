"""Writing a film: frames (RGB arrays) as a looping GIF, or as a strip of frames in one PNG, atomically."""

import numpy as np

from tinynet.io import atomic_write

FRAME_MS, LAST_FRAME_MS = 80, 2000  # 100 frames play in 8 s; the last one stays 2 s

def save_film(path: str, images: list) -> None:
    """Write frames (RGB arrays) to ``path``: a looping GIF, or a strip for a .png name."""
    from PIL import Image

    if path.lower().endswith(".png"):
        _save_strip(path, images)
    else:
        _save_gif(path, [Image.fromarray(image) for image in images])


def _save_gif(path: str, images: list) -> None:
    """One palette for all frames (taken from the first, middle and last), so colours hold still; then write."""
    from PIL import Image

    sample = Image.fromarray(np.vstack([np.asarray(images[i]) for i in (0, len(images) // 2, -1)]))
    palette = sample.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    frames = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    durations = [FRAME_MS] * (len(frames) - 1) + [LAST_FRAME_MS]
    with atomic_write(path) as file:
        frames[0].save(file, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                       optimize=False, disposal=1)


def _save_strip(path: str, images: list) -> None:
    """The frames in rows of 3, as one PNG: the film for a page that does not play GIFs."""
    from PIL import Image

    blank = np.full_like(images[0], 255)
    rows = [np.hstack((images + [blank] * 2)[i:i + 3]) for i in range(0, len(images), 3)]
    with atomic_write(path) as file:
        Image.fromarray(np.vstack(rows)).save(file, format="PNG", optimize=True)
