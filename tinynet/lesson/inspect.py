"""What a saved model is and what it computes, as ``tinynet inspect`` shows it.

``model_info`` gathers it in one dict: the layers, the parameter count, the
scaling; an all-identity model multiplied out to the one affine map it is
(``collapse``); a one-input ReLU model's breakpoints and linear pieces
(``pieces``); a two-input model's count of linear regions (``count_regions``);
and, given its data, what ``describe_fit`` says of it there. Every count comes
from the one rule of pieces.py, so it says over which interval it was taken.
``model_text`` writes the dict as text, ``model_json`` as JSON.
"""

import json
import math
import textwrap

import numpy as np

from ..checks import shown
from ..engine import Identity, Linear, Sigmoid
from ..model import (
    feature_names,
    input_features,
    layers_of,
    model_dtype,
    output_features,
)
from ..standardize import Standardize, Unstandardize
from .classify import training_defaults
from .collapse import collapse
from .pieces import (
    count_pieces,
    count_regions,
    distinct_bends,
    is_piecewise_linear,
    linear_pieces,
    pieces,
)
from .report import LOSS_NAMES, describe_fit, logit_of

BEND_RTOL = 0.01  # a bend counts when it changes the slope by more than 1% of the steepest piece's
PIECE_KEYS = ("start", "end", "slope", "intercept")  # a piece in JSON
SHOWN_PIECES = 12  # the text lists this many pieces; JSON lists them all


def model_info(model, name: str, activation: str, *, file: str, data: str | None = None, X=None, y=None,
               box=None) -> dict:
    """What ``model`` (saved in ``file``) is and computes, as a dict of plain values.

    ``name`` and ``activation`` are how the caller names the model and its
    hidden activation. With ``data`` (its name), X: (N, in_features) and y:
    (N, out_features), the pieces and regions are counted over the data's
    range and ``describe_fit`` says whether the net is linear regression
    there; without, over the range its stored scaling implies. ``box``,
    ((x0_min, x0_max), (x1_min, x1_max)), counts a two-input, one-output
    model's regions there instead.

    >>> X, y = make_dataset("abs", 64)
    >>> info = model_info(exact_abs(), "mlp 1-2-1 (relu)", "relu", file="abs.npz", data="abs", X=X, y=y)
    >>> info["linear_pieces"], info["breakpoints"], info["range_where"]
    (2, [0.0], "on [-1, 1], the data's range")
    """
    sizes = (input_features(model), output_features(model))
    if box is not None and sizes != (2, 1):
        raise ValueError(f"box: linear regions are counted for a model of two inputs and one output, this one "
                         f"takes {sizes[0]} and gives {sizes[1]}")
    layers = layers_of(model)
    info = {
        "file": file,
        "name": name,
        "layers": [repr(layer) for layer in model],
        "parameters": int(sum(p.data.size for p in model.parameters())),
        "activation": activation,
        "dtype": str(model_dtype(model)),
        "standardized": any(isinstance(layer, Standardize) for layer in layers),
        # a classifier scales its inputs only: its outputs are probabilities, not targets in the data's units
        "targets_standardized": any(isinstance(layer, Unstandardize) for layer in layers),
        "sigmoid_output": bool(layers) and isinstance(layers[-1], Sigmoid),
        "features": feature_names(model),
    }
    if all(isinstance(layer, (Linear, Identity, Standardize, Unstandardize)) for layer in model):
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # an overflowed coefficient is shown as inf
                line = collapse(model)
        except ValueError as error:  # no Linear at all, or a scaling whose 1 / std overflows the dtype
            info["collapsed_error"] = str(error)
        else:
            info["collapsed"] = {"W": line.weight.data.tolist(), "b": line.bias.data.tolist()}
    if data is not None:
        # what train and compare say of a net on its data; the pieces and regions are listed below, over any box
        # (a classifier of k logits has its regions counted here: the listing below is for one output)
        fit = describe_fit(model, X, y, training_defaults(y, model=model).loss, regions=sizes[1] not in (None, 1))
        info.update(data=data, linear_regression=fit.linear_regression)
        if fit.accuracy is not None:  # a classifier: how often it is right on the data, and its loss there
            info.update(accuracy=fit.accuracy, loss=fit.loss, loss_value=fit.loss_value)
        if fit.accuracy is not None and fit.regions is not None:
            info.update(class_regions=fit.regions.count, class_regions_where=fit.regions.where())
    if sizes == (1, 1) and is_piecewise_linear(model):  # pieces of lines in x
        info.update(_pieces_info(model, X))
    if sizes == (2, 1):
        info.update(_regions_info(model, X, box))
    return info


def _pieces_info(model, X) -> dict:
    """The pieces over the range every command counts on (``count_pieces``), and their count over all x."""
    try:
        counted = count_pieces(model, X)
        single = None
        if counted.count is None:  # every x of the data is one value: no interval, so the stored scaling's
            single, counted = counted.box[0][0], count_pieces(model)
        found = pieces(model, *counted.box[0])
        everywhere = linear_pieces(model, -np.inf, np.inf)  # labelled "over all x" wherever shown
    except ValueError as error:  # a deep net can have more pieces than can be listed
        return {"breakpoints_error": str(error)}
    return {
        "linear_pieces": len(found),
        "range": list(counted.box[0]),
        "range_over": counted.over,
        "range_where": counted.where(),
        "one_x_value": single,
        "all_x_pieces": everywhere,
        "breakpoints": [start for start, _, _, _ in found[1:]],  # the inner ends of the pieces
        "pieces": found,
        "distinct_bends": distinct_bends(found, BEND_RTOL),
        "bend_rtol": BEND_RTOL,
    }


def _regions_info(model, X, box) -> dict:
    """A two-input model's linear regions (of its logit) over ``box``, X's box or the box its scaling
    implies (``count_regions``): a count, or why there is none; nothing for a smooth one unless ``box`` asks."""
    if box is None and not is_piecewise_linear(logit_of(model)):
        return {}  # smooth: no regions, and nobody asked
    try:
        counted = count_regions(model, X, box)
    except ValueError as error:  # smooth, no box to count over, or too many regions to list
        return {"box": None if box is None else [list(side) for side in box], "linear_regions_error": str(error)}
    return {"box": [list(side) for side in counted.box], "box_over": counted.over, "box_where": counted.where(),
            "linear_regions": counted.count}


def model_json(info: dict) -> str:
    """``info`` as JSON: each piece a dict of PIECE_KEYS, and every float JSON cannot write (the pieces'
    infinite outer ends, an overflowed coefficient) as null."""
    if "pieces" in info:
        info = info | {"pieces": [dict(zip(PIECE_KEYS, piece)) for piece in info["pieces"]]}
    return json.dumps(_json_ready(info), indent=2, allow_nan=False)


def _json_ready(value):
    """``value`` with every float that JSON cannot write (inf, -inf, NaN) replaced by None, anywhere in it."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def printable(text: str) -> str:
    """Text from a file or the command line as it can always be printed: a lone surrogate (from a
    name that was not valid UTF-8) is written as an escape like \\udcff, not left to stop the output.

    >>> printable("caf\\udce9.npz")
    'caf\\\\udce9.npz'
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def model_text(model, info: dict) -> str:
    """``info`` (``model_info`` of ``model``) as lines of text: the description, the collapsed map, the
    pieces or regions. Paths and column names go through ``printable``."""
    lines = [f"{printable(info['file'])}: {info['name']}, {info['dtype']}", repr(model),
             f"parameters: {info['parameters']:,}", f"hidden activation: {info['activation']}"]
    if info["features"]:
        lines.append(f"input columns: {', '.join(map(shown, info['features']))}")  # a name is never obeyed
    if info["standardized"] and info["targets_standardized"]:
        lines.append("inputs and targets are standardised inside the model: it works in the data's own units")
    elif info["standardized"]:  # a classifier: its output is a probability, which no scaling touches
        outputs = "a probability of class 1" if info["sigmoid_output"] else "not scaled"
        lines.append(f"inputs are standardised inside the model, so it takes the data's own units; its output "
                     f"is {outputs}")
    if "collapsed" in info:
        W, b = np.array(info["collapsed"]["W"], dtype=float), np.array(info["collapsed"]["b"], dtype=float)
        sizes = np.abs(np.concatenate([W.ravel(), b]))
        scale = sizes[np.isfinite(sizes)].max(initial=0)
        W, b = _noise_to_zero(W, scale), _noise_to_zero(b, scale)
        lines += ["", "every activation is identity, so the whole network is one affine map:",
                  f"  y = x @ W + b,  W = {np.array2string(W, precision=6, separator=', ')},  "
                  + f"b = {np.array2string(b, precision=6, separator=', ')}",
                  f"  its {len(model)} layers multiply out to one Linear({W.shape[0]}, {W.shape[1]}): more layers",
                  "  add parameters, not expressive power, so it can never fit better than",
                  "  least squares (linear regression)."]
    if "collapsed_error" in info:
        lines.append(f"\nevery activation is identity, but the model cannot be multiplied out: "
                     f"{info['collapsed_error']}")
    if "breakpoints_error" in info:
        lines.append(f"\npiecewise linear: {info['breakpoints_error']}")
    if "breakpoints" in info:
        lines += _pieces_text(info)
    if info.get("linear_regression") is not None:  # a smooth or many-input model may have nothing to say
        lines.append("\n" + info["linear_regression"])
    if info.get("accuracy") is not None:
        lines.append(f"\non {shown(info['data'])}: accuracy {info['accuracy']:.1%}, "
                     f"{LOSS_NAMES[info['loss']]} {info['loss_value']:.3g}")
    if info.get("class_regions") is not None:
        lines.append(f"linear regions {info['class_regions_where']}: {info['class_regions']}")
    if "linear_regions" in info:
        counted = info["linear_regions"]
        lines.append("\n" + textwrap.fill(f"linear regions {info['box_where']}: "
                                          + ("none to count, a box of no area" if counted is None else str(counted)),
                                          width=100, subsequent_indent="  "))
        if info["box_over"] == "scaling":
            lines.append("  (--data counts them over the data's own box, --box over any)")
    elif "linear_regions_error" in info:
        lines.append(f"\nlinear regions: not counted: {info['linear_regions_error']}")
    return "\n".join(lines)


def _pieces_text(info: dict) -> list[str]:
    bp = info["breakpoints"]
    lines = [""]
    if info["one_x_value"] is not None:
        lines.append(f"every x of the data is {info['one_x_value']:.4g}: no interval to count pieces on, so")
    lines.append(textwrap.fill(f"piecewise linear: {_plural(len(bp), 'breakpoint')}, "
                               f"{_plural(info['linear_pieces'], 'linear piece')} {info['range_where']}",
                               width=100, subsequent_indent="  "))
    if info["range_over"] == "scaling":
        lines.append("  (--data counts them over the data's own range)")
    outside = info["all_x_pieces"] - info["linear_pieces"]
    if outside > 0:  # units that switch far from the data: another count, over another interval
        lines.append(f"  over all x: {_plural(info['all_x_pieces'], 'linear piece')} "
                     f"({_plural(outside, 'more breakpoint')} outside this range)")
    if bp:
        bends = info["distinct_bends"]
        listed = ", ".join(f"{x:.4g}" for x in bp[:40]) + (", ..." if len(bp) > 40 else "")
        changes = f"change{'s' if bends == 1 else ''} the slope by more than {info['bend_rtol']:.0%}"
        lines += [f"  {bends} of {_plural(len(bp), 'breakpoint')} {changes} of the steepest piece",
                  "  breakpoints (where a ReLU switches on or off):",
                  textwrap.fill(listed, width=80, initial_indent="    ", subsequent_indent="    ")]
    lines.append("  pieces:")
    coefficients = np.array([piece[2:] for piece in info["pieces"]], dtype=float)
    scale = np.abs(coefficients[np.isfinite(coefficients)]).max(initial=0)
    for start, end, *line in info["pieces"][:SHOWN_PIECES]:
        slope, intercept = _noise_to_zero(line, scale)
        sign = "-" if intercept < 0 else "+"
        lines.append(f"    on [{start:.4g}, {end:.4g}]: y = {slope:.4g} * x {sign} {abs(intercept):.4g}")
    if len(info["pieces"]) > SHOWN_PIECES:
        lines.append(f"    ... and {_plural(len(info['pieces']) - SHOWN_PIECES, 'more piece')}")
    return lines


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _noise_to_zero(values, scale: float) -> np.ndarray:
    """Values below 1e-9 of ``scale`` (the largest coefficient) are rounding, not signal: an
    intercept that is 0 in exact arithmetic comes out as 4e-13 on one CPU and -2e-13 on another."""
    values = np.asarray(values, dtype=float)
    return np.where(np.abs(values) < 1e-9 * scale, 0.0, values)
