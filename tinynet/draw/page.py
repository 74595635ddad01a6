"""The lesson as one page in the browser: the fit, its pieces and kinks, the film of training, in one HTML file.

``write_page`` writes one self-contained HTML file: inline SVG and a little
plain JavaScript, no plotting library, nothing fetched, so it opens from the
disk, offline, in any browser (``tinynet train --html``, ``tinynet compare
--html`` and ``tinynet page``). One panel per net:

- one input: the data, the fit as its linear pieces (``pieces``), each kink
  of the fit as a dot, each dead first-layer unit's kink as a grey cross on
  the x axis (it is no kink of the fit: the unit is off on all the data);
  hovering or focusing a piece shows "on [a, b]: y = m * x + c"; a checkbox
  shows each unit's hinge (one hidden layer) or each last hidden unit's
  share of the output (deeper: ``unit_shares``), and their sum; a smooth
  net is drawn as its curve;
- two inputs: the linear regions (``linear_regions``) as polygons shaded by
  class (a Sigmoid output: red for class 1, blue for class 0, darker where
  the net is surer) or by output, the decision boundary as its segments; a
  smooth net is shaded from a grid;
- one slider, a real <input type="range">, over the epochs a KinkRecorder
  kept: it moves every panel (a panel shows its last frame at or before the
  slider's epoch). "#frame=K" or "#epoch=E" in the address sets it, and
  "#hinges" (or "#epoch=100&hinges") ticks the checkbox: a link to a moment.

The numbers are tinynet's, not recomputed in JavaScript: each kink carries
``data-x``, the float's shortest round-trip repr (Python's ``repr``), a dead
unit's marker ``data-dead-x``, each piece ``data-start``, ``data-end``,
``data-slope`` and ``data-intercept``, each boundary segment ``data-x0``,
``data-y0``, ``data-x1`` and ``data-y1``; the script only copies those
strings and places them on the screen. Without JavaScript the page is a
static picture of the trained net: the last frame is written into the HTML
itself, hovering works by CSS and the checkbox too.

The frames' data are kept under BUDGET bytes (a page of the defaults is
under 1 MB): as many frames as fit, at most FRAMES, chosen evenly in
log(epoch) as the film chooses them (``film_frames``).
"""

import html
import json
import math

import numpy as np

from ..engine import Linear, Sequential, Sigmoid
from ..io.atomic import atomic_write
from ..lesson.pieces import counting_box, is_piecewise_linear, pieces, unit_pieces
from ..lesson.recorder import KinkRecorder
from ..lesson.regions import linear_regions
from ..model import input_features, layers_of, output_features
from ..standardize import Unstandardize
from ..training import predict
from .film import film_frames
from .fits import to_data_units
from .regions import CLASS_0, CLASS_1, _class_parts

FRAMES = 100  # at most this many slider positions per net, as the film has frames
BUDGET = 850_000  # bytes of frame data for the whole page; the page around them takes about 20 KB
WIDTH, HEIGHT = 640, 420  # one panel, in SVG units (it scales with the window)
LEFT, TOP, RIGHT, BOTTOM = 62, 28, 14, 44  # margins: the formula above, tick labels below
PLOT = (LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM)  # the plot area: x, y, width, height
LEVELS = 8  # shades per class: a palette of 16 colours, one index per polygon
GRID = 30  # a smooth two-input net is shaded from GRID x GRID cells
CURVE = 240  # a smooth one-input net is drawn through this many points
MAX_SHARES = 64  # more last hidden units than this get no checkbox: a thicket of lines, and slow to compute
FAR = 10 * WIDTH  # a position farther off the panel than this is drawn there: clipped either way


def write_page(path: str, X: np.ndarray | None, y: np.ndarray | None, nets: list[dict], title: str,
               names=None) -> int:
    """Write the page of ``nets`` trained on (X, y) to ``path``, atomically; return its size in bytes.

    X: (N, 1) or (N, 2) inputs and y: (N, 1) targets in the data's units, or
    both None (a saved model's page without data: the range its stored
    scaling implies, ``counting_box``). Each net is a dict with "label",
    "net" (the model, with its scaling layers) and optionally "recorder",
    the ``KinkRecorder`` (``film_recorder``) that watched it train, finished.
    ``names``: (input column names, target name), for the axes.
    Raises ValueError for what a page cannot show (``check_page_model``).
    """
    text = page_html(X, y, nets, title, names)
    data = text.encode("utf-8")
    with atomic_write(path) as file:
        file.write(data)
    return len(data)


def write_compare_page(path: str, recorders: dict, rows: list[dict], X, y, title: str, names=None) -> int:
    """The page of ``tinynet.compare``'s (or ``compare_classifiers``') ``rows``, one panel per row, to ``path``.

    ``recorders`` are those ``compare_recorders`` made, by activation (None
    for logistic regression; least squares, fitted in closed form, has none
    and holds still).
    """
    nets = []
    for row in rows:
        recorder = recorders.get(row["activation"])  # logistic regression's is under None; least squares has none
        if recorder is not None:
            recorder.finish(row["history"])
        nets.append({"label": f"{row['activation']} net" if row["activation"] else row["model"],
                     "net": row["net"], "recorder": recorder,
                     "note": "fitted in closed form" if row["history"] is None else "the trained model"})
    return write_page(path, X, y, nets, title, names)


def check_page_model(model) -> None:
    """Raise ValueError, saying why, unless a page can show ``model``: one or two inputs, one output."""
    inputs, outputs = input_features(model), output_features(model)
    if inputs not in (1, 2):
        takes = f"takes {inputs} inputs" if inputs is not None else "has no Linear layer to say what it takes"
        raise ValueError(f"a page draws a model of one input (the fit against x) or two (its regions in the "
                         f"plane), and this one {takes}: use --plot for prediction against target")
    if outputs != 1:
        raise ValueError(f"a page draws a model of one output, and this one gives {outputs}"
                         + (" (one score a class): --plot draws the classes' regions" if (outputs or 0) > 1 else ""))


def page_html(X, y, nets: list[dict], title: str, names=None) -> str:
    """The page of ``write_page``, as a string.

    >>> from tinynet.draw.page import page_html
    >>> X, y = make_dataset("abs", 32); net = mlp([1, 4, 1], seed=0)
    >>> page_html(X, y, [{"label": "abs", "net": net}], "a page").count('class="piece"') == linear_pieces(net, -1, 1)
    True
    """
    if not nets:
        raise ValueError("a page needs at least one net to show")
    for entry in nets:
        check_page_model(entry["net"])
    inputs = input_features(nets[0]["net"])
    if X is not None and X.shape[1] != inputs:
        raise ValueError(f"the data has {X.shape[1]} input columns, but the model takes {inputs}")
    box = _box(nets[0]["net"], X)
    if inputs == 1:
        panels = [_Line(entry, box) for entry in nets]
        view = _line_view(box, y, panels)
    else:
        panels = [_Plane(entry, box, y) for entry in nets]
        view = _plane_view(box)
    # the films share BUDGET in proportion to their last frames' sizes, all with as many frames as that allows
    sizes = {id(panel): len(json.dumps(panel.last_frame(view))) for panel in panels}
    recorded = [panel for panel in panels if panel.recorder is not None]
    total = sum(sizes[id(panel)] for panel in recorded)
    for panel in recorded:
        panel.film(view, X, y, max(2, min(FRAMES, BUDGET // total)), BUDGET * sizes[id(panel)] // total)
    epochs = sorted({frame["e"] for panel in panels for frame in panel.frames})
    x_name, y_name = _axis_names(names, inputs)
    page = {"view": view, "plot": PLOT, "far": FAR, "epochs": epochs, "palette": PALETTE,
            "panels": [{"kind": panel.kind, "frames": panel.frames} for panel in panels]}
    svgs = "\n".join(panel.svg(i, view, (x_name, y_name), X, y) for i, panel in enumerate(panels))
    return _document(title, page, svgs, panels)


def unit_shares(model, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Each last hidden unit's share of a one-input model's output on [lo, hi]: (knots, shares, bias), or None.

    The output is y = b + sum_j v_j * h_j(x), h_j the last hidden layer's
    units and v_j their outgoing weights (through an Unstandardize, times
    its scale, and b its bias times its scale plus its shift). With one
    hidden layer each share v_j * relu(w_j * x + b_j) is unit j's hinge
    (``hinges``); deeper, each is piecewise linear too. Every share is
    straight between neighbouring ``knots`` (lo, hi and every x where a
    unit of the net switches), so its values there draw it exactly.

    Shape: knots (K,), shares (K, units); sum over units + bias = the model
    at the knots. None when the model has no hidden layer, is not piecewise
    linear, or has anything but scaling after its last Linear layer.
    """
    layers = layers_of(model)
    last = max((i for i, layer in enumerate(layers) if isinstance(layer, Linear)), default=None)
    if last is None or not any(isinstance(layer, Linear) for layer in layers[:last]) \
            or not is_piecewise_linear(model) or not all(isinstance(layer, Unstandardize) for layer in layers[last + 1:]):
        return None
    sy, ty = 1.0, 0.0
    for layer in layers[last + 1:]:
        scale, shift = layer.scale_shift(np.float64)
        sy, ty = sy * float(scale[0]), ty * float(scale[0]) + float(shift[0])
    head = layers[last]
    v = head.weight.data[:, 0].astype(np.float64) * sy  # (units,)
    bias = sy * (float(head.bias.data[0]) if head.bias is not None else 0.0) + ty
    body = Sequential(*layers[:last])
    # every unit of every layer is straight between the points where any unit switches: one pass finds them
    # all; a knot where no share changes slope (a unit of weight 0 switching, say) is left out
    knots, slopes, _ = unit_pieces(body, lo, hi, "unit_shares")
    bends = np.any((slopes[1:] != slopes[:-1]) & (v != 0), axis=1)
    xs = np.unique(np.concatenate([[knots[0]], knots[1:-1][bends], [knots[-1]]]))  # together: one knot
    shares = predict(body, xs[:, None]).astype(np.float64) * v  # (K, units)
    return xs, shares, bias


# ----------------------------------------------------------------------------------------------------------
# One panel per net. Each holds its frames as the script reads them: exact numbers as repr strings joined by
# spaces (copied into data-* attributes as they are), positions on the screen as whole SVG units.


class _Panel:
    """What every panel does: its last frame is the trained model; a recorded one also has its film."""

    kind: str

    def __init__(self, entry: dict):
        self.label, self.model, self.recorder = entry["label"], entry["net"], entry.get("recorder")
        self.note = entry.get("note", "the trained model")  # said instead of the epoch when nothing was recorded
        self.frames: list[dict] = []

    def last_frame(self, view) -> dict:
        """The frame of the model as it is now, kept as the last: the trained net, whatever fit did last."""
        epoch, loss = None, math.nan
        if self.recorder is not None:
            snapshot = self.recorder.snapshots[-1]
            epoch, loss = snapshot.epoch, snapshot.loss * (to_data_units(self.recorder.model) or 1.0)
        self.frames = [self._frame(self.model, None, view, self._state(epoch, loss), epoch)]
        return self.frames[-1]

    def film(self, view, X, y, count: int, budget: int) -> None:
        """Up to ``count`` frames from the recorder before the last, all within ``budget`` bytes."""
        scale = to_data_units(self.recorder.model) or 1.0
        chosen = _snapshots(self.recorder, X, y, count)[:-1]
        frames = [self._frame(self.recorder.model_at(s), s, view, self._state(s.epoch, s.loss * scale), s.epoch)
                  for s in chosen]
        self.frames = _within(frames + self.frames[-1:], budget)

    def _state(self, epoch, loss: float) -> str:
        if epoch is None:
            return f"{self.note} · "
        return f"epoch {epoch:,} · training loss {'-' if math.isnan(loss) else f'{loss:.3g}'} · "

    def _frame(self, model, snapshot, view, state: str, epoch) -> dict:
        raise NotImplementedError


class _Line(_Panel):
    """A one-input net: its pieces and kinks (or its curve), frame by frame."""

    def __init__(self, entry: dict, box):
        super().__init__(entry)
        self.kind = "pieces" if is_piecewise_linear(self.model) else "curve"
        (self.lo, self.hi), = box
        linears = [layer for layer in layers_of(self.model) if isinstance(layer, Linear)]
        self.with_shares = self.kind == "pieces" and linears[-1].in_features <= MAX_SHARES
        self.final = self._numbers(self.model, None)
        self.shares_name = None  # what the checkbox shows: one hidden layer's hinges, or a deeper net's shares
        if self.final[3] is not None:
            self.shares_name = "hinges" if len(linears) == 2 else "shares"

    def _numbers(self, model, snapshot):
        """What a frame shows, in data units: (pieces or curve xs, curve ys, dead units' (unit, kink), shares)."""
        if self.kind == "curve":
            xs = np.linspace(self.lo, self.hi, CURVE)
            return xs, predict(model, xs[:, None])[:, 0].astype(np.float64), [], None
        found = pieces(model, self.lo, self.hi)
        if snapshot is None:  # the model as it is now: a snapshot of it says which units are dead
            snapshot = KinkRecorder(model, lo=self.lo, hi=self.hi).snapshots[0]
        dead = [(j, float(snapshot.kinks[j])) for j in np.flatnonzero(snapshot.dead)]
        return found, None, dead, unit_shares(model, self.lo, self.hi) if self.with_shares else None

    def y_values(self) -> list[float]:
        """The trained fit's values at its ends and kinks (or along its curve), for the y axis."""
        found, ys, _, _ = self.final
        if ys is not None:
            return ys.tolist()
        return [m * x + c for start, end, m, c in found for x in (start, end)]

    def _frame(self, model, snapshot, view, state: str, epoch) -> dict:
        found, ys, dead, shares = self.final if model is self.model else self._numbers(model, snapshot)
        if ys is not None:
            points = " ".join(f"{_px(x, view)},{_py(v, view)}" for x, v in zip(found, ys))
            return {"e": epoch or 0, "t": state + "smooth: no linear pieces", "v": points}
        knots = [found[0][0]] + [piece[1] for piece in found]
        count = len(found)
        state += f"{count} linear piece{'s' * (count != 1)} on [{self.lo:.4g}, {self.hi:.4g}]"
        if dead:
            state += f" · {len(dead)} dead unit{'s' * (len(dead) != 1)}"
        frame = {"e": epoch or 0, "t": state, "k": _reprs(knots), "m": _reprs(p[2] for p in found),
                 "c": _reprs(p[3] for p in found),
                 "d": _reprs(kink for _, kink in dead if math.isfinite(kink)),  # a flat dead unit has no kink
                 "u": " ".join(str(j) for j, kink in dead if math.isfinite(kink))}
        if shares is not None:
            xs, values, bias = shares
            frame["hx"] = " ".join(str(_px(x, view)) for x in xs)
            frame["hy"] = ";".join(" ".join(str(_py(v, view)) for v in column) for column in values.T)
            frame["hs"] = " ".join(str(_py(v, view)) for v in values.sum(axis=1))
            frame["hb"] = f"{bias:.4g}"
        return frame

    def svg(self, index: int, view, names, X, y) -> str:
        frame = self.frames[-1]
        dots = "" if X is None else _dots(X[:, 0], y[:, 0], view, "data")
        body = [dots]
        if self.kind == "curve":
            body.append(f'<g class="fit"><polyline class="curve" points="{frame["v"]}"/></g>')
        else:
            body.append(f'<g class="parts">{_shares_markup(frame)}</g>')
            body.append(f'<g class="fit">{_pieces_markup(frame, view)}</g>')
            body.append(f'<g class="kinks">{_kinks_markup(frame, view)}</g>')
            body.append(f'<g class="dead">{_dead_markup(frame, view)}</g>')
        return _panel(index, self.label, frame["t"], view, names, "".join(body))


class _Plane(_Panel):
    """A two-input net: its linear regions and decision boundary (or a grid, if smooth), frame by frame."""

    def __init__(self, entry: dict, box, y):
        super().__init__(entry)
        self.box = box
        layers = layers_of(self.model)
        self.classifier = isinstance(layers[-1], Sigmoid)
        logit = Sequential(*layers[:-1]) if self.classifier else self.model  # regions are the logit's
        self.kind = "regions" if is_piecewise_linear(logit) else "grid"
        # a regression's outputs are shaded around the middle of its targets, darkest at their ends
        values = y[:, 0] if y is not None else None
        if values is None and not self.classifier:
            values = predict(self.model, np.array(box).T)[:, 0]
        self.middle = 0.0 if self.classifier else float((values.min() + values.max()) / 2)
        self.half = 1.0 if self.classifier else float((values.max() - values.min()) / 2) or 1.0

    def _index(self, values: np.ndarray) -> np.ndarray:
        """Palette indices: the side of the boundary (or of the middle), and how far past it, in LEVELS shades."""
        if self.classifier:
            strength = np.tanh(np.abs(np.nan_to_num(values, posinf=50, neginf=-50)) / 4)  # as draw.shade
            side = values >= 0
        else:
            scaled = (values - self.middle) / self.half
            strength, side = np.minimum(np.abs(scaled), 1.0), scaled >= 0
        return side * LEVELS + np.round(strength * (LEVELS - 1)).astype(int)

    def _frame(self, model, snapshot, view, state: str, epoch) -> dict:
        if self.kind == "grid":
            (x0, x1), (y0, y1) = self.box
            xs = np.linspace(x0, x1, 2 * GRID + 1)[1::2]
            ys = np.linspace(y1, y0, 2 * GRID + 1)[1::2]  # top row first, as the screen
            cells = np.array([[x, v] for v in ys for x in xs])
            out = predict(model, cells)[:, 0].astype(np.float64)
            if self.classifier:
                with np.errstate(divide="ignore"):
                    out = np.log(out) - np.log1p(-out)  # the logit, which the shades follow
            grid = " ".join(map(str, self._index(out)))
            return {"e": epoch or 0, "t": state + f"smooth: no linear regions (shaded from a {GRID} x {GRID} grid)",
                    "g": grid}
        regions = linear_regions(model, self.box)
        polygons, indices, owners, segments = [], [], [], []
        for r, region in enumerate(regions):
            if self.classifier:
                parts = _class_parts(region)  # each part on one side of the boundary
                segment = region.zero_segment()
                if segment is not None:
                    segments.append(segment)
            else:
                centre = region.vertices.mean(axis=0)
                parts = [(region.vertices, float(centre @ region.weight[:, 0] + region.bias[0]))]
            for vertices, value in parts:
                polygons.append(" ".join(f"{_px(a, view)},{_py(b, view)}" for a, b in vertices))
                indices.append(value)
                owners.append(r)
        count = len(regions)
        state += f"{count:,} linear region{'s' * (count != 1)}"
        if self.classifier:
            state += f" · {len(segments)} boundary segment{'s' * (len(segments) != 1)}"
        return {"e": epoch or 0, "t": state, "r": ";".join(polygons),
                "q": " ".join(map(str, self._index(np.array(indices)))), "i": " ".join(map(str, owners)),
                "b": _reprs(np.array(segments).reshape(-1).tolist())}

    def svg(self, index: int, view, names, X, y) -> str:
        frame = self.frames[-1]
        if self.kind == "grid":
            shading = f'<g class="grid">{_grid_markup(frame)}</g>'
        else:
            shading = f'<g class="regions">{_regions_markup(frame)}</g>'
        (x0, x1), (y0, y1) = self.box
        frame_box = (f'<rect class="box" x="{_px(x0, view)}" y="{_py(y1, view)}" '
                     f'width="{_px(x1, view) - _px(x0, view)}" height="{_py(y0, view) - _py(y1, view)}"/>')
        body = [shading, frame_box, f'<g class="boundary">{_boundary_markup(frame, view)}</g>']
        if X is not None:
            if self.classifier:
                for k in (0, 1):
                    rows = y[:, 0] == k
                    body.append(_dots(X[rows, 0], X[rows, 1], view, f"data class{k}"))
            else:
                body.append(_dots(X[:, 0], X[:, 1], view, "data"))
        return _panel(index, self.label, frame["t"], view, names, "".join(body))


# ----------------------------------------------------------------------------------------------------------
# The markup of one frame, as the script writes it too (PAGE_JS below): the static page is the last frame.


def _pieces_markup(frame: dict, view) -> str:
    k, m, c = frame["k"].split(" "), frame["m"].split(" "), frame["c"].split(" ")
    out = []
    for i, (slope, intercept) in enumerate(zip(m, c)):
        a, b, s, t = float(k[i]), float(k[i + 1]), float(slope), float(intercept)
        text = html.escape(formula(a, b, s, t))
        ends = f'x1="{_px(a, view)}" y1="{_py(s * a + t, view)}" x2="{_px(b, view)}" y2="{_py(s * b + t, view)}"'
        out.append(f'<g class="piece" tabindex="0" data-start="{k[i]}" data-end="{k[i + 1]}" data-slope="{slope}" '
                   f'data-intercept="{intercept}"><title>{text}</title><line class="hit" {ends}/>'
                   f'<line class="seg" {ends}/><text class="tip" x="{LEFT}" y="{TOP - 8}" aria-hidden="true">'
                   f'{text}</text></g>')
    return "".join(out)


def _kinks_markup(frame: dict, view) -> str:
    k, m, c = frame["k"].split(" "), frame["m"].split(" "), frame["c"].split(" ")
    out = []
    for i in range(1, len(k) - 1):
        x = float(k[i])
        out.append(f'<circle class="kink" data-x="{k[i]}" cx="{_px(x, view)}" cy="{_py(float(m[i]) * x + float(c[i]), view)}" '
                   f'r="3.5"><title>kink of the fit at x = {_g4(x)}</title></circle>')
    return "".join(out)


STACKED = 20  # crosses one above another at an edge before the next starts at the bottom again (PAGE_JS: 20)


def _dead_markup(frame: dict, view) -> str:
    out, beyond = [], {-1: 0, 1: 0}  # kinks off the picture: crosses at its edge, one above another
    base = TOP + PLOT[3] - 10  # just above the x axis, and inside the plot even for a kink far off the data
    for unit, kink in zip(frame["u"].split(), frame["d"].split()):
        at = _px(float(kink), view)
        x = min(max(at, LEFT + 8), LEFT + PLOT[2] - 8)
        side = (at > x) - (at < x)
        y = base - 14 * (beyond[side] % STACKED) if side else base
        if side:
            beyond[side] += 1
        out.append(f'<path class="dead-unit" data-dead-x="{kink}" d="M{x - 6} {y - 6}l12 12m0 -12l-12 12">'
                   f'<title>unit {unit} is dead: off for all the data, so it gets no gradient (its kink, at '
                   f'x = {_g4(float(kink))}, bends the fit nowhere)</title></path>')
    return "".join(out)


def _shares_markup(frame: dict) -> str:
    if "hx" not in frame:
        return ""
    xs = frame["hx"].split(" ")
    out = ['<polyline class="share" points="' + " ".join(f"{x},{v}" for x, v in zip(xs, row.split(" "))) + '"/>'
           for row in frame["hy"].split(";")]
    out.append('<polyline class="sum" points="' + " ".join(f"{x},{v}" for x, v in zip(xs, frame["hs"].split(" ")))
               + f'"><title>their sum; the fit is this plus the output bias {frame["hb"]}</title></polyline>')
    return "".join(out)


def _regions_markup(frame: dict) -> str:
    if not frame["r"]:
        return ""
    return "".join(f'<polygon points="{points}" fill="{PALETTE[int(q)]}" data-region="{r}"/>' for points, q, r in
                   zip(frame["r"].split(";"), frame["q"].split(" "), frame["i"].split(" ")))


def _boundary_markup(frame: dict, view) -> str:
    ends = frame.get("b", "").split()
    out = []
    for s in range(0, len(ends), 4):
        x0, y0, x1, y1 = ends[s:s + 4]
        out.append(f'<line data-x0="{x0}" data-y0="{y0}" data-x1="{x1}" data-y1="{y1}" x1="{_px(float(x0), view)}" '
                   f'y1="{_py(float(y0), view)}" x2="{_px(float(x1), view)}" y2="{_py(float(y1), view)}"/>')
    return "".join(out)


def _grid_markup(frame: dict) -> str:
    x, y, width, height = PLOT
    out = []
    for n, q in enumerate(frame["g"].split(" ")):
        row, col = divmod(n, GRID)
        out.append(f'<rect x="{x + col * width / GRID:.1f}" y="{y + row * height / GRID:.1f}" '
                   f'width="{width / GRID + 1:.1f}" height="{height / GRID + 1:.1f}" fill="{PALETTE[int(q)]}"/>')
    return "".join(out)


def formula(start: float, end: float, slope: float, intercept: float) -> str:
    """A piece as the page writes it: "on [-1, 0.5]: y = 2 * x - 0.25" (4 significant digits).

    >>> formula(-1.0, 0.5, 2.0, -0.25)
    'on [-1, 0.5]: y = 2 * x - 0.25'
    """
    sign = "-" if intercept < 0 else "+"
    return f"on [{_g4(start)}, {_g4(end)}]: y = {_g4(slope)} * x {sign} {_g4(abs(intercept))}"


def _g4(value: float) -> str:
    return f"{value:.4g}"


# ----------------------------------------------------------------------------------------------------------
# Where things go on the screen, and the page around the panels.


def _box(model, X):
    box, over = counting_box(model, X)
    if over == "everywhere" or any(lo == hi for lo, hi in box):
        what = "the data hold a single value" if over == "data" else "no data were given and the model stores no scaling"
        raise ValueError(f"a page draws over an interval of each input, and {what}: give data spread over a range "
                         "(--data)")
    return box


def _line_view(box, y, panels) -> list[float]:
    (lo, hi), = box
    values = [v for panel in panels for v in panel.y_values()] + ([] if y is None else y[:, 0].tolist())
    values = [v for v in values if math.isfinite(v)]
    bottom, top = min(values), max(values)
    span = top - bottom or max(abs(top), 1.0)
    return [lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo), bottom - 0.08 * span, top + 0.08 * span]


def _plane_view(box) -> list[float]:
    (x0, x1), (y0, y1) = box
    return [x0 - 0.03 * (x1 - x0), x1 + 0.03 * (x1 - x0), y0 - 0.03 * (y1 - y0), y1 + 0.03 * (y1 - y0)]


def _px(x: float, view) -> int:
    """x in the data's units -> SVG units, to the nearest unit (a screen pixel or so: exact enough to draw)."""
    return _whole(LEFT + (x - view[0]) / (view[1] - view[0]) * PLOT[2])


def _py(y: float, view) -> int:
    return _whole(TOP + (view[3] - y) / (view[3] - view[2]) * PLOT[3])


def _whole(value: float) -> int:
    # far off the plot (a fit that shoots away early in training) is clipped anyway; keep the numbers short
    value = FAR if math.isnan(value) else float(value)
    return round(min(max(value, -FAR), FAR))


def _reprs(values) -> str:
    """Floats as their shortest round-trip repr, joined by spaces: what data-* attributes carry."""
    return " ".join(repr(float(v)) for v in values)


def _snapshots(recorder, X, y, count: int) -> list:
    """Up to ``count`` of the recorder's snapshots, as the film chooses its frames (evenly in log(epoch))."""
    by_epoch = {snapshot.epoch: snapshot for snapshot in recorder.snapshots}
    return [by_epoch[frame.epoch] for frame in film_frames(recorder, X, y, count)]


def _within(frames: list[dict], budget: int) -> list[dict]:
    """Every other frame dropped (never the last) until their data take at most ``budget`` bytes."""
    while len(frames) > 2 and sum(len(json.dumps(frame)) for frame in frames) > budget:
        frames = frames[:-1][::2] + frames[-1:]
    return frames


def _dots(xs, ys, view, kind: str) -> str:
    path = "".join(f"M{_px(a, view)} {_py(b, view)}h0" for a, b in zip(xs, ys))
    return f'<path class="{kind}" d="{path}"/>'


def _axis_names(names, inputs: int) -> tuple[str, str]:
    columns, target = names if names else (None, None)
    if inputs == 1:
        return (columns[0] if columns else "x"), (target or "y")
    return tuple(columns) if columns else ("x0", "x1")


def _ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    """Round numbers between lo and hi, about ``count`` of them."""
    step = 10 ** math.floor(math.log10((hi - lo) / count))
    step *= next(m for m in (1, 2, 5, 10) if (hi - lo) / (step * m) <= count)
    first = math.ceil(lo / step)
    return [round(n * step, 12) + 0.0 for n in range(first, math.floor(hi / step) + 1)]


def _panel(index: int, label: str, state: str, view, names, body: str) -> str:
    x, y, width, height = PLOT
    axes = [f'<rect class="frame" x="{x}" y="{y}" width="{width}" height="{height}"/>']
    for t in _ticks(view[0], view[1]):
        axes.append(f'<text class="tick" x="{_px(t, view)}" y="{y + height + 16}" text-anchor="middle">{t:g}</text>')
    for t in _ticks(view[2], view[3], 5):
        axes.append(f'<text class="tick" x="{x - 6}" y="{_py(t, view) + 4}" text-anchor="end">{t:g}</text>')
    axes.append(f'<text class="axis" x="{x + width / 2}" y="{HEIGHT - 6}" text-anchor="middle">'
                f'{html.escape(names[0])}</text>')
    axes.append(f'<text class="axis" transform="translate(14 {y + height / 2}) rotate(-90)" text-anchor="middle">'
                f'{html.escape(names[1])}</text>')
    return (f'<figure class="panel" id="panel{index}"><figcaption id="label{index}"><b>{html.escape(label)}</b> '
            f'<span class="state">{html.escape(state)}</span></figcaption><svg viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="group" aria-labelledby="label{index}"><defs><clipPath id="clip{index}"><rect x="{x}" y="{y}" '
            f'width="{width}" height="{height}"/></clipPath></defs>{"".join(axes)}'
            f'<g clip-path="url(#clip{index})">{body}</g></svg></figure>')


def _palette() -> list[str]:
    """LEVELS shades of class 0's colour, then of class 1's: from 35% of the way from white to 70%, as draw.shade."""
    colours = []
    for base in (CLASS_0, CLASS_1):
        rgb = np.array([int(base[i:i + 2], 16) for i in (1, 3, 5)]) / 255
        for level in range(LEVELS):
            depth = 0.35 + 0.35 * level / (LEVELS - 1)
            shade = 1 - depth * (1 - rgb)
            colours.append("#" + "".join(f"{round(v * 255):02x}" for v in shade))
    return colours


PALETTE = _palette()


def _document(title: str, page: dict, svgs: str, panels: list) -> str:
    epochs = page["epochs"]
    last = len(epochs) - 1
    film = any(len(panel.frames) > 1 for panel in panels)
    slider = (f'<label for="epoch">Training, epoch by epoch</label> <input type="range" id="epoch" min="0" '
              f'max="{last}" step="1" value="{last}" aria-valuetext="epoch {epochs[-1]:,}"> '
              f'<output id="epoch-out" for="epoch">epoch {epochs[-1]:,}</output>' if film else
              "<span>No film: this model's training was not recorded (train it with --html to watch it "
              "learn).</span>")
    shares = [panel.shares_name for panel in panels if getattr(panel, "shares_name", None)]
    toggle = ""
    if shares:
        what = ("each unit's hinge (its outgoing weight v_j times the unit: straight either side of its kink)"
                if shares[0] == "hinges" else "each last hidden unit's share v_j * h_j(x) of the output")
        toggle = (f'<input type="checkbox" id="hinges"><label for="hinges"> show {what}, and their sum (dashed): '
                  "the fit is their sum plus the output bias</label>")
    kind = page["panels"][0]["kind"]
    classifier = getattr(panels[0], "classifier", False)
    how = (ONE_INPUT if kind in ("pieces", "curve") else CLASSES if classifier else OUTPUTS) + (" The slider moves every panel through training; "
                                                      "#epoch=E in the address sets it." if film else "")
    data = json.dumps(page, separators=(",", ":")).replace("</", "<\\/")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
            f"<style>{PAGE_CSS}</style>\n</head>\n<body>\n<h1>{html.escape(title)}</h1>\n"
            f'<p class="how">{how}</p>\n<div class="controls">{slider}</div>\n'
            "<noscript><p>Without JavaScript this is the trained net: the slider needs JavaScript.</p></noscript>\n"
            f'{toggle}\n<div class="panels">\n{svgs}\n</div>\n'
            f'<script type="application/json" id="tinynet-page">{data}</script>\n<script>{PAGE_JS}</script>\n'
            "</body>\n</html>\n")


ONE_INPUT = ("The fit is straight pieces meeting at kinks (red dots); hover over a piece, or reach it with Tab, "
             "to see its formula. A grey cross on the x axis is a dead unit's kink (at an edge, one beyond it: hover "
             "for its x): the unit is off for all the "
             "data, so it gets no gradient and bends the fit nowhere.")
CLASSES = ("Each polygon is a linear region, where the net is one affine map; the shade is the class the net "
           "gives it (red: 1, blue: 0), darker where it is surer. The black segments are the decision boundary, "
           "one straight segment per region it crosses.")
OUTPUTS = ("Each polygon is a linear region, where the net is one affine map; the shade is its output at the "
           "polygon's centre: red above the middle of the targets' range, blue below, darker farther from it.")

PAGE_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:1em auto;max-width:1320px;padding:0 1em;color:#222}
h1{font-size:1.15em}figcaption{font-size:14px;min-height:2.9em}.how{max-width:60em}.controls{margin:.6em 0}#epoch{width:min(36em,70vw);vertical-align:middle}
.panels{display:flex;flex-wrap:wrap;gap:.5em 1.5em}.panel{margin:0;flex:1 1 440px;max-width:660px}svg{width:100%;height:auto}
.frame,.box{fill:none;stroke:#999}.tick,.axis{font-size:12px;fill:#555}
.data{stroke:#9a9a9a;stroke-width:3.5;stroke-linecap:round}.class0,.class1{stroke-width:5.5}
.class0{stroke:#1a3c80}.class1{stroke:#8a1518}
.seg{stroke:#1f6fb4;stroke-width:2.2}.hit{stroke:transparent;stroke-width:14;pointer-events:stroke}
.piece:hover .seg,.piece:focus .seg{stroke:#e07b00;stroke-width:4}.piece:focus{outline:none}
.tip{visibility:hidden;font-size:13px;fill:#000;paint-order:stroke;stroke:#fff;stroke-width:4px}
.piece:hover .tip,.piece:focus .tip{visibility:visible}
.kink{fill:#c0282d;stroke:#fff;stroke-width:1}.dead-unit{stroke:#666;stroke-width:3;fill:none}
.curve{fill:none;stroke:#1f6fb4;stroke-width:2.2}
.parts{display:none}#hinges:checked~.panels .parts{display:inline}
.share{fill:none;stroke:#2a9d8f;stroke-width:1;opacity:.75}.sum{fill:none;stroke:#6a3d9a;stroke-width:2;stroke-dasharray:6 4}
.regions polygon{stroke:#000;stroke-opacity:.18;stroke-width:.5}.boundary line{stroke:#000;stroke-width:2}
"""

# The script only moves between frames: it copies each frame's strings into the same markup as above.
PAGE_JS = r"""
(() => {
  "use strict";
  const page = JSON.parse(document.getElementById("tinynet-page").textContent);
  const [x0, x1, y0, y1] = page.view, [L, T, W, H] = page.plot;
  const whole = (v) => Math.round(Math.min(Math.max(Number.isNaN(v) ? page.far : v, -page.far), page.far));
  const px = (x) => whole(L + (x - x0) / (x1 - x0) * W), py = (y) => whole(T + (y1 - y) / (y1 - y0) * H);
  const words = (s) => (s ? s.split(" ") : []);
  const NS = "http://www.w3.org/2000/svg";
  function add(parent, name, attrs, text) {
    const node = parent.appendChild(document.createElementNS(NS, name));
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function g4(v) {  // Python's format(v, ".4g")
    if (v === 0) return "0";
    const [mantissa, e] = v.toExponential(3).split("e"), exp = Number(e);
    if (exp < -4 || exp >= 4) {
      return mantissa.replace(/\.?0+$/, "") + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
    }
    const fixed = v.toFixed(3 - exp);
    return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  }
  const formula = (a, b, m, c) => `on [${g4(a)}, ${g4(b)}]: y = ${g4(m)} * x ${c < 0 ? "-" : "+"} ${g4(Math.abs(c))}`;
  const draw = {
    pieces(svg, f) {
      const k = words(f.k), m = words(f.m), c = words(f.c);
      const fit = svg.querySelector(".fit"), kinks = svg.querySelector(".kinks");
      const dead = svg.querySelector(".dead"), parts = svg.querySelector(".parts");
      fit.replaceChildren(); kinks.replaceChildren(); dead.replaceChildren(); parts.replaceChildren();
      m.forEach((slope, i) => {
        const a = Number(k[i]), b = Number(k[i + 1]), s = Number(slope), t = Number(c[i]);
        const text = formula(a, b, s, t), ends = {x1: px(a), y1: py(s * a + t), x2: px(b), y2: py(s * b + t)};
        const g = add(fit, "g", {class: "piece", tabindex: "0", "data-start": k[i], "data-end": k[i + 1],
                                 "data-slope": slope, "data-intercept": c[i]});
        add(g, "title", {}, text);
        add(g, "line", {class: "hit", ...ends});
        add(g, "line", {class: "seg", ...ends});
        add(g, "text", {class: "tip", x: L, y: T - 8, "aria-hidden": "true"}, text);
      });
      for (let i = 1; i < k.length - 1; i++) {
        const x = Number(k[i]);
        add(add(kinks, "circle", {class: "kink", "data-x": k[i], cx: px(x), cy: py(Number(m[i]) * x + Number(c[i])),
                                  r: 3.5}), "title", {}, `kink of the fit at x = ${g4(x)}`);
      }
      const units = words(f.u), base = T + H - 10, beyond = {"-1": 0, "1": 0};
      words(f.d).forEach((kink, n) => {
        const at = px(Number(kink)), x = Math.min(Math.max(at, L + 8), L + W - 8), side = Math.sign(at - x);
        const y = side ? base - 14 * (beyond[side]++ % 20) : base;  // off the picture: at its edge, one above another
        add(add(dead, "path", {class: "dead-unit", "data-dead-x": kink, d: `M${x - 6} ${y - 6}l12 12m0 -12l-12 12`}),
            "title", {}, `unit ${units[n]} is dead: off for all the data, so it gets no gradient (its kink, at ` +
            `x = ${g4(Number(kink))}, bends the fit nowhere)`);
      });
      if (f.hx) {
        const xs = words(f.hx), line = (row) => words(row).map((v, n) => `${xs[n]},${v}`).join(" ");
        for (const row of f.hy.split(";")) add(parts, "polyline", {class: "share", points: line(row)});
        add(add(parts, "polyline", {class: "sum", points: line(f.hs)}), "title", {},
            `their sum; the fit is this plus the output bias ${f.hb}`);
      }
    },
    curve(svg, f) {
      const fit = svg.querySelector(".fit");
      fit.replaceChildren();
      add(fit, "polyline", {class: "curve", points: f.v});
    },
    regions(svg, f) {
      const regions = svg.querySelector(".regions"), boundary = svg.querySelector(".boundary");
      regions.replaceChildren(); boundary.replaceChildren();
      const q = words(f.q), owner = words(f.i);
      (f.r ? f.r.split(";") : []).forEach((points, n) =>
        add(regions, "polygon", {points, fill: page.palette[Number(q[n])], "data-region": owner[n]}));
      const b = words(f.b);
      for (let s = 0; s + 3 < b.length; s += 4) {
        add(boundary, "line", {"data-x0": b[s], "data-y0": b[s + 1], "data-x1": b[s + 2], "data-y1": b[s + 3],
                               x1: px(Number(b[s])), y1: py(Number(b[s + 1])), x2: px(Number(b[s + 2])),
                               y2: py(Number(b[s + 3]))});
      }
    },
    grid(svg, f) {
      const grid = svg.querySelector(".grid"), n = Math.round(Math.sqrt(words(f.g).length));
      grid.replaceChildren();
      words(f.g).forEach((q, i) => add(grid, "rect", {
        x: (L + (i % n) * W / n).toFixed(1), y: (T + Math.floor(i / n) * H / n).toFixed(1),
        width: (W / n + 1).toFixed(1), height: (H / n + 1).toFixed(1), fill: page.palette[Number(q)]}));
    },
  };
  const shown = page.panels.map((panel) => panel.frames.length - 1);
  const slider = document.getElementById("epoch"), out = document.getElementById("epoch-out");
  function show(position) {
    const epoch = page.epochs[position];
    page.panels.forEach((panel, p) => {
      let i = 0;  // the panel's last frame at or before this epoch
      while (i + 1 < panel.frames.length && panel.frames[i + 1].e <= epoch) i++;
      if (i === shown[p]) return;
      shown[p] = i;
      const svg = document.getElementById(`panel${p}`), frame = panel.frames[i];
      draw[panel.kind](svg, frame);
      svg.querySelector(".state").textContent = frame.t;
    });
    if (!slider) return;
    slider.value = position;
    slider.setAttribute("value", position);
    slider.setAttribute("aria-valuetext", `epoch ${epoch.toLocaleString("en")}`);
    out.textContent = `epoch ${epoch.toLocaleString("en")}`;
  }
  function fromAddress() {
    const hinges = document.getElementById("hinges");
    if (hinges && /hinges/.test(location.hash)) hinges.checked = true;
    const asked = /(frame|epoch)=(\d+)/.exec(location.hash);
    if (!asked || !slider) return;
    const n = Number(asked[2]), last = page.epochs.length - 1;
    let position = Math.min(n, last);
    if (asked[1] === "epoch") position = Math.max(0, page.epochs.filter((e) => e <= n).length - 1);
    show(position);
  }
  if (slider) slider.addEventListener("input", () => show(Number(slider.value)));
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
})();
"""
