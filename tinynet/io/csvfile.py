"""Read a table of numbers from a CSV file: a header line naming the columns, then one row per sample.

    x1,x2,y
    0.5,1.0,2.25
    -1.0,3.0,0.5

``load_csv`` splits such a table into features X and a target y for ``fit``;
``select_columns`` is its rule for which columns those are (the target, then
every other column as an input unless ``features`` lists the inputs or
``drop`` leaves some out), for the command line to use the same rule.
``read_csv_table`` returns the column names and every column.
``read_csv_text`` and ``numeric_columns`` read only the columns asked for, so
a column left out is never read as a number whatever it holds (an id column
of names, notes, an empty target for ``tinynet predict``).
``columns_for_model`` is the one rule by which a saved model finds its
columns in a file (``tinynet predict``, ``train --resume``, ``inspect
--data`` and ``inspect --plot`` all follow it), and ``check_fits_model``
refuses data of another shape than the model takes; ``predict_csv`` is the
table ``tinynet predict`` writes. Parsing is the
standard library's ``csv`` module; this file adds the checks, so that a bad
file gets one clear line naming the file, the line number and the column,
not a traceback.

Values must be numbers: comma-separated, with a dot for decimals. Blank
lines are skipped; NaN and infinite values are refused (fill or drop
missing values before training, where you can see what you chose).
"""

import csv
import math
import os
import shlex
from collections import Counter

import numpy as np

from ..checks import check_columns, not_labels, shown
from ..engine import Sigmoid
from ..model import (
    feature_names,
    input_features,
    layers_of,
    model_dtype,
    output_features,
)
from ..standardize import Unstandardize
from ..training import predict

SHOWN_LINES = 10  # predict_csv's error lists the first few lines whose prediction overflowed, then counts the rest


def load_csv(path, target: str | None = None, *, features: list[str] | None = None,
             drop: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Return (X, y) from a CSV file with a header line.

    y is the column named ``target`` or, by default, the last column. X is the
    columns listed in ``features``, in that order, or by default every other
    column in file order less those listed in ``drop`` (``select_columns``
    says which, and what it refuses). Only X's and y's columns are read as
    numbers, the target's first: a column left out may hold text.

    Shape: X (N, inputs) and y (N, 1), both float64.

    Raises ValueError, naming the file and where it applies the line, for
    everything ``read_csv_text`` and ``select_columns`` refuse, and for a value
    in X's or y's columns that ``numeric_columns`` refuses.

    Example (an open file stands in for a path):
        >>> import io
        >>> people = "id,name,age,height\n1,ann,31,1.70\n2,bob,45,1.82\n"
        >>> X, y = load_csv(io.StringIO(people), drop=["id", "name"])
        >>> X.tolist(), y.tolist()
        ([[31.0], [45.0]], [[1.7], [1.82]])
        >>> X, y = load_csv(io.StringIO(people), target="age", features=["height"])
        >>> X.tolist(), y.tolist()
        ([[1.7], [1.82]], [[31.0], [45.0]])
    """
    names, rows = read_csv_text(path)
    where = _name_of(path)
    inputs, target_name = select_columns(names, target, features=features, drop=drop, path=where)
    y = numeric_columns(names, rows, where, [target_name])  # (N, 1)
    X = numeric_columns(names, rows, where, inputs)  # (N, inputs)
    return X, y


def load_columns(path: str, target: str | None = None, *, features: list[str] | None = None,
                 drop: list[str] | None = None, model=None, model_where: str = "the model",
                 suggest_drop: bool = True) -> tuple[np.ndarray, np.ndarray, list[str], str]:
    """Return (X, y, the names of X's columns, the target's name) from the CSV file ``path``.

    ``load_csv``'s rule, for the command line: given a saved ``model`` (named
    ``model_where`` in messages), X is the columns it reads, in its order, as
    ``columns_for_model`` says. A text cell in the target or an input column
    raises ValueError with the way out: name the target (when ``target`` was
    not given) or leave the column out (when ``suggest_drop``, unless the
    model reads its columns by name and so cannot do without it).

    Shape: X (N, inputs) and y (N, 1), both float64.
    """
    names, rows = read_csv_text(path)  # read once: path may be a pipe
    columns, target_name = select_columns(names, target, features=features, drop=drop, path=path)
    if model is not None:
        columns = columns_for_model(model, columns, path, model_where)
    try:
        # the target first: a bad target is said before anything about the inputs
        y = numeric_columns(names, rows, path, [target_name])  # (N, 1)
    except NotANumberError as error:
        if target is not None:
            raise
        raise ValueError(f"{error}, and with no --target it is the target (the last column): "
                         "name the column to predict with --target") from None
    try:
        X = numeric_columns(names, rows, path, columns)  # (N, inputs): only these are read
    except NotANumberError as error:
        if not suggest_drop or (model is not None and feature_names(model) is not None):
            raise  # a column the model reads by name cannot be left out
        how = ("take it out of --features" if features is not None else
               f"leave it out with --drop {shlex.quote(','.join([*(drop or []), error.column]))}")
        raise ValueError(f"{error}: if it is not an input, {how}") from None
    return X, y, columns, target_name


def select_columns(names: list[str], target: str | None = None, *, features: list[str] | None = None,
                   drop: list[str] | None = None, path: str = "the file") -> tuple[list[str], str]:
    """Return (the input columns' names, the target's name) among a header's ``names``.

    The target is the column named ``target`` or, by default, the last one.
    The inputs are the columns listed in ``features``, in that order, or by
    default every column but the target, in file order, less those listed
    in ``drop`` (an id, a name: columns that are not inputs). Only names are
    looked at here, no values; ``path`` names the file in messages.

    Raises ValueError for, in this order: fewer than two columns; a
    ``target`` that is not a column; a target whose name two columns share;
    ``features`` and ``drop`` given together (``features`` already says
    every input); a name in ``features`` or ``drop`` that is not a column
    (the message lists the columns); a name twice in ``features``; the
    target in ``features`` or in ``drop``; and no input column left. A
    string where a list of names belongs (``"a,b"``) is a TypeError.

    Example:
        >>> select_columns(["id", "name", "age", "height"], drop=["id", "name"])
        (['age'], 'height')
        >>> select_columns(["id", "name", "age", "height"], "age", features=["height"])
        (['height'], 'age')
    """
    if len(names) < 2:
        raise ValueError(f"{path} has one column ({names[0]!r}), but needs at least two, "
                         "features then a target: is it comma-separated?")
    if target is not None and target not in names:
        raise ValueError(f"{path} has no column {target!r}: its columns are {', '.join(map(repr, names))}")
    target_name = names[-1] if target is None else target
    _check_unique(names, [target_name], path)
    which = f"the target{' (the last column, as no target is named)' if target is None else ''}"
    if features is not None and drop is not None:
        raise ValueError(f"give features or drop, not both: features already lists every input "
                         f"(got features {list(features)} and drop {list(drop)})")
    for argument, given in (("features", features), ("drop", drop)):
        if isinstance(given, str):
            raise TypeError(f"{argument} must be a list of column names, got the string {given!r}: "
                             f"write {given.split(',')!r}")
        unknown = [name for name in given or () if name not in names]
        if unknown:
            raise ValueError(f"{path} has no column{'s' if len(unknown) > 1 else ''} "
                             f"{', '.join(map(repr, unknown))} (in {argument}): "
                             f"its columns are {', '.join(map(repr, names))}")
    if features is not None:
        counts = Counter(features)
        twice = sorted(name for name, count in counts.items() if count > 1)
        if twice:
            raise ValueError(f"features must name each input once, but lists {', '.join(map(repr, twice))} "
                             "more than once")
        if target_name in features:
            raise ValueError(f"{target_name!r} is {which} and is in features too: a column cannot be both "
                             "an input and what is predicted, so name another target or leave it out of features")
        chosen = list(features)
    else:
        dropped = set(drop or ())
        if target_name in dropped:
            raise ValueError(f"{target_name!r} is {which}, so drop cannot leave it out: name another target, "
                             f"or keep {target_name!r}")
        chosen = [name for name in names if name != target_name and name not in dropped]
    if not chosen and features is not None:
        raise ValueError(f"features is empty: name at least one input column of {path} "
                         f"(its columns are {', '.join(map(repr, names))})")
    if not chosen:
        raise ValueError(f"drop leaves out every column of {path} but the target {target_name!r}: "
                         "keep at least one input column")
    return chosen, target_name


def columns_for_model(model, names: list[str], where: str = "the file", model_where: str = "the model") -> list[str]:
    """The columns that ``model`` reads among a file's input columns ``names``, in the order it takes them.

    The one rule by which a saved model finds its columns, whichever command
    reads the file (``tinynet predict``, ``train --resume``, ``inspect --data``,
    ``inspect --plot``):

    - A model that knows its features' names (``feature_names``: ``tinynet
      train`` keeps them in the model file) reads those columns, by name.
      Their order in the file and any other column (an id, a name, notes)
      do not matter; the others are not read at all, so they may hold text.
    - A model that knows no names (built in Python, or trained on a built-in
      dataset) reads every column of ``names``, in order: there must be one
      per input it takes.

    ``names`` are the columns that may be inputs: a whole header for
    ``predict``, the header less its target (and less ``drop``) for data
    with a target, as ``select_columns`` returns them. ``where`` and
    ``model_where`` name the file and the model in messages.

    Raises ValueError for a column the model reads that is not among
    ``names``, and, for a model that knows no names, another number of
    columns than it takes; the message names the columns the model expects.

    Example:
        >>> model = mlp([2, 3, 1]); model.feature_names = ["a", "b"]
        >>> columns_for_model(model, ["id", "b", "notes", "a"])
        ['a', 'b']
        >>> columns_for_model(mlp([2, 3, 1]), ["x0", "x1"])
        ['x0', 'x1']
    """
    known = feature_names(model)
    if known is not None:
        present = set(names)
        missing = [name for name in known if name not in present]
        if missing:
            raise ValueError(f"{where} has no column {', '.join(map(repr, missing))} among its inputs: {model_where} "
                             f"was trained on columns {', '.join(map(shown, known))} and reads them by name (their "
                             "order and any other columns do not matter)")
        return list(known)
    inputs = input_features(model)
    if inputs is not None and len(names) != inputs:
        raise ValueError(f"{where} has {len(names)} column(s) to read as inputs ({', '.join(map(shown, names))}), but "
                         f"{model_where} expects {inputs} feature(s) and knows no column names, so it reads "
                         "every input column in order: give one column per feature")
    return list(names)


def check_fits_model(model, X: np.ndarray, y: np.ndarray, where: str = "the data", model_where: str = "the model") -> None:
    """Refuse data of another shape than ``model`` takes: X (N, inputs) must have a column per input it
    takes, y (N, outputs) one per output it gives, or, for a classifier of k > 1 logits (identity
    outputs, not scaled to targets' units), one column of the labels 0 ... k-1. A count the model does
    not say (it has no Linear layer) is not checked. Raises ValueError naming both counts, for the data
    ``where`` and ``model_where``.

    Example:
        >>> check_fits_model(mlp([2, 3, 1]), np.zeros((5, 2)), np.zeros((5, 1)))  # fits: nothing happens
        >>> check_fits_model(mlp([2, 3, 3]), np.zeros((3, 2)), np.array([[0], [2], [1]]))  # 3 classes: fits
    """
    sizes = (input_features(model), output_features(model))
    found = (X.shape[1], y.shape[1])
    logits = (sizes[1] or 1) > 1 and _logits(model)  # k outputs that may be a classifier's
    if logits and found[1] == 1 and sizes[0] in (None, found[0]):
        wrong = not_labels(y, sizes[1])  # k classes: a label column, for k logits
        if wrong.size:
            raise ValueError(f"{where}'s target holds {wrong[0]:g}, which is not one of the class labels 0 ... "
                             f"{sizes[1] - 1} of {model_where} (its {sizes[1]} outputs, one logit a class, if it "
                             f"is a classifier; else it takes {sizes[1]} target columns)")
        return
    if any(size is not None and size != count for size, count in zip(sizes, found)):
        labels = f" (or one column of the class labels 0 ... {sizes[1] - 1})" if logits else ""
        raise ValueError(f"{where} has {found[0]} input column(s) and {found[1]} target(s), but {model_where} "
                         f"takes {sizes[0]} input(s) and gives {sizes[1]} output(s){labels}")


def _logits(model) -> bool:
    """Whether a model's outputs can be class logits: no sigmoid after them, no scaling to targets' units."""
    return not any(isinstance(layer, (Sigmoid, Unstandardize)) for layer in layers_of(model)[-2:])


def split_target(names: list[str], table: np.ndarray, target: str | None, path: str):
    """Split a table of every column into (X, y, the names of X's columns), by ``select_columns``'s
    default rule: the target is the column named ``target`` or the last one, X the others in file order."""
    inputs, target_name = select_columns(names, target, path=path)
    column = names.index(target_name)
    X = np.delete(table, column, axis=1)  # (N, columns - 1)
    y = table[:, [column]]  # (N, 1): a list index keeps the column 2-D
    return X, y, inputs


def read_csv_table(path) -> tuple[list[str], np.ndarray]:
    """Return (names, table): the header's column names (spaces trimmed) and
    the rows below it as a float64 array of shape (N, len(names)).

    ``path`` is a file path or an open text file (stdin, say), for every
    function here; messages name the file by its ``name``.

    Raises ValueError, naming the file and where it applies the line and
    column, for everything ``read_csv_text`` refuses, two columns of one name,
    a value that is not a number (1_000 included), and NaN or infinite values.
    """
    names, rows = read_csv_text(path)
    return names, numeric_columns(names, rows, _name_of(path))


def read_csv_text(path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return (names, rows): the header's column names (spaces trimmed) and the
    rows below it as text, each as (the line it ends on, its cells).

    Only the shape of the table is checked here, not what the cells hold, so a
    caller can read some columns as numbers and keep the others as text
    (``tinynet predict`` ignores an id column of names). Raises ValueError for:
    a missing or unreadable file, an empty file, a first line of numbers
    instead of names, a header with no rows below it, and a row with more or
    fewer values than the header.
    """
    if hasattr(path, "read"):  # an open text file, such as stdin
        path, rows = _name_of(path), _rows_of(path, _name_of(path))
    else:
        path = os.fspath(path)
        rows = _read_rows(path)
    if not rows:
        raise ValueError(f"{path} is empty: expected a header line naming the columns, then rows of numbers")
    (header_line, header), data = rows[0], rows[1:]
    names = [name.strip() for name in header]
    names[0] = names[0].removeprefix("\ufeff")  # a byte-order mark that came through stdin
    if all(_is_number(name) for name in names):
        raise ValueError(f"{path}, line {header_line}: the first line must name the columns, "
                         f"got only numbers ({','.join(header)}): add a header line")
    if not data:
        raise ValueError(f"{path} has a header ({','.join(names)}) but no rows of data below it")
    for line, row in data:
        if len(row) != len(names):
            raise ValueError(f"{path}, line {line}: {len(row)} values, but the header names "
                             f"{len(names)} columns")
    return names, data


def numeric_columns(names: list[str], rows, path: str, columns: list[str] | None = None) -> np.ndarray:
    """The columns named ``columns`` (all of them by default), in that order, as
    a float64 array of shape (N, len(columns)); ``names`` and ``rows`` are
    ``read_csv_text``'s. Other columns are not read at all.

    Raises ValueError, naming the file, the line and the column, for a name
    that appears twice in the header (which of the two would be meant?), a
    value that is not a number (1_000 included: a NotANumberError, which
    carries the column's name), and NaN or infinite values.
    """
    columns = names if columns is None else columns
    _check_unique(names, columns, path)
    present = set(names)
    missing = [name for name in columns if name not in present]
    if missing:
        raise ValueError(f"{path} has no column {', '.join(map(repr, missing))}: "
                         f"its columns are {', '.join(map(repr, names))}")
    position = {name: j for j, name in enumerate(names)}
    where = [position[name] for name in columns]
    table = np.empty((len(rows), len(columns)))  # (N, len(columns))
    for i, (line, row) in enumerate(rows):
        for k, j in enumerate(where):
            table[i, k] = _parse_number(row[j], f"{path}, line {line}: column {names[j]!r}", names[j])
    return table


def predict_csv(model, names: list[str], rows, source: str, model_where: str = "the model") -> list[list[str]]:
    """The table ``tinynet predict`` writes for a CSV file read by ``read_csv_text`` (``names``, ``rows``):
    the header plus "prediction" (prediction_0, prediction_1, ... for several outputs; .1, .2, ... added
    if the file has those names), then each row as given, the columns the model reads (found by
    ``columns_for_model``) written as it read them, plus its predictions. ``source`` names the file.

    Raises ValueError, naming the lines, if the model's output is inf or nan for any row.

    >>> net = exact_abs(); net.feature_names = ["x"]  # it reads column x, by name
    >>> predict_csv(net, ["id", "x"], [(2, ["a", "-0.5"]), (3, ["b", "1e0"])], "f.csv")
    [['id', 'x', 'prediction'], ['a', '-0.5', '0.5'], ['b', '1.0', '1.0']]
    """
    columns = columns_for_model(model, names, source, model_where)
    X = numeric_columns(names, rows, source, columns)  # (N, features): only the columns the model reads
    dtype = model_dtype(model)
    check_columns(X, source, dtype, names=columns)  # 1e39 in float32: say so, not "infinite"
    with np.errstate(all="ignore"):  # an overflow is refused below, by line, not as numpy warnings
        predictions = predict(model, X)  # (N, outputs)
    bad = np.flatnonzero(~np.isfinite(predictions).all(axis=1))
    if bad.size:
        lines = ", ".join(str(rows[i][0]) for i in bad[:SHOWN_LINES])
        more = f" and {bad.size - SHOWN_LINES} more" if bad.size > SHOWN_LINES else ""
        raise ValueError(f"{model_where} gives inf or nan for {bad.size} of {len(rows)} rows of {source} "
                         f"(line{'s' if bad.size > 1 else ''} {lines}{more}): its weights or these inputs are "
                         f"too large for {dtype}, so nothing was written")
    outputs = ["prediction"] if predictions.shape[1] == 1 else [f"prediction_{k}" for k in range(predictions.shape[1])]
    taken, suffix = set(names), ""
    while any(name + suffix in taken for name in outputs):
        suffix = f".{int(suffix[1:] or 0) + 1}"
    read = {name: k for k, name in enumerate(columns)}
    # the model's columns as it read them (str of a float reads back to the same float), the others as given
    # the header as it is safe to print: a name with a newline or an escape sequence is written escaped (shown)
    return [[shown(name) for name in names] + [name + suffix for name in outputs]] + [
        [str(X[i, read[name]]) if name in read else cell for name, cell in zip(names, cells)]
        + [str(v) for v in predictions[i]] for i, (_, cells) in enumerate(rows)]


class NotANumberError(ValueError):
    """A cell that should be a number and is text; ``column`` names its column, so that a caller
    can suggest leaving that column out (``tinynet train --drop``)."""

    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column


def _check_unique(names: list[str], columns: list[str], path: str) -> None:
    """Refuse ``columns`` that name two columns of the header ``names``: which of the two would be meant?"""
    counts = Counter(names)  # one pass over the header: a 40,000-column file is read in well under a second
    repeated = sorted({name for name in columns if counts[name] > 1})
    if repeated:
        raise ValueError(f"{path}, header: column names must differ, but {', '.join(map(repr, repeated))} "
                         f"{'appears' if len(repeated) == 1 else 'appear'} more than once: rename the columns")


def _name_of(source) -> str:
    """The name to show in messages: the path, or the name of an open file ("<stdin>" if it has none)."""
    return getattr(source, "name", "<stdin>") if hasattr(source, "read") else os.fspath(source)


def _read_rows(path: str) -> list[tuple[int, list[str]]]:
    """The non-blank rows of the file, each with the line number it ends on."""
    try:
        # utf-8-sig: also read files that spreadsheet programs start with a byte-order mark
        with open(path, newline="", encoding="utf-8-sig") as file:
            return _rows_of(file, path)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path} is a directory, not a CSV file") from None
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None


def _rows_of(file, path: str) -> list[tuple[int, list[str]]]:
    """The non-blank rows of an open text file, each with the line number it ends on."""
    reader = csv.reader(file)
    try:
        return [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not a UTF-8 text file (byte {error.start}): is it a CSV file?") from None
    except csv.Error as error:
        raise ValueError(f"{path}, line {reader.line_num}: {error}") from None
    except OSError as error:  # stdin that is a folder, or was opened for writing only
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None


def _parse_number(cell: str, where: str, column: str) -> float:
    """float(cell), or a ValueError that says where the cell is and what it holds (a NotANumberError for text)."""
    try:
        if "_" in cell:  # Python reads 1_000 as 1000; a CSV cell like that is a typo more often than not
            raise ValueError
        value = float(cell)  # also trims spaces
    except ValueError:
        hint = ": is the file comma-separated?" if ";" in cell or "\t" in cell else ""
        raise NotANumberError(f"{where} holds {cell!r}, which is not a number{hint}", column) from None
    if not math.isfinite(value):
        raise ValueError(f"{where} is {cell.strip()}: NaN and infinite values are not allowed, "
                         "fill or drop them first")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
