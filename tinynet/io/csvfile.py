"""Read a table of numbers from a CSV file: a header line naming the columns, then one row per sample.

    x1,x2,y
    0.5,1.0,2.25
    -1.0,3.0,0.5

``load_csv`` splits such a table into features X and a target y for ``fit``;
``read_csv_table`` returns the column names and every column, for the
command line to pick columns by name. ``read_csv_text`` and
``numeric_columns`` read only the columns asked for, so ``tinynet predict``
ignores the others whatever they hold (an id column of names, an empty
target). Parsing is the standard library's ``csv`` module; this file adds
the checks, so that a bad file gets one clear line naming the file, the line
number and the column, not a traceback.

Values must be numbers: comma-separated, with a dot for decimals. Blank
lines are skipped; NaN and infinite values are refused (fill or drop
missing values before training, where you can see what you chose).
"""

import csv
import math
import os
from collections import Counter

import numpy as np


def load_csv(path, target: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (X, y) from a CSV file with a header line.

    y is the column named ``target`` or, by default, the last column; X is
    every other column, in file order.

    Shape: X (N, columns - 1) and y (N, 1), both float64.

    Raises ValueError, naming the file and where it applies the line, for
    everything ``read_csv_table`` refuses, for fewer than two columns, and
    for a ``target`` that is not a column name.
    """
    names, table = read_csv_table(path)
    X, y, _ = split_target(names, table, target, _name_of(path))
    return X, y


def split_target(names: list[str], table: np.ndarray, target: str | None, path: str):
    """Split a table into (X, y, the names of X's columns), as ``load_csv`` does."""
    if len(names) < 2:
        raise ValueError(f"{path} has one column ({names[0]!r}), but needs at least two, "
                         "features then a target: is it comma-separated?")
    if target is None:
        column = len(names) - 1
    elif target not in names:
        raise ValueError(f"{path} has no column {target!r}: "
                         f"its columns are {', '.join(map(repr, names))}")
    else:
        column = names.index(target)
    X = np.delete(table, column, axis=1)  # (N, columns - 1)
    y = table[:, [column]]  # (N, 1): a list index keeps the column 2-D
    return X, y, names[:column] + names[column + 1:]


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
    value that is not a number (1_000 included), and NaN or infinite values.
    """
    columns = names if columns is None else columns
    counts = Counter(names)  # one pass over the header: a 40,000-column file is read in well under a second
    repeated = sorted({name for name in columns if counts[name] > 1})
    if repeated:
        raise ValueError(f"{path}, header: column names must differ, but {', '.join(map(repr, repeated))} "
                         f"{'appears' if len(repeated) == 1 else 'appear'} more than once: rename the columns")
    missing = [name for name in columns if name not in counts]
    if missing:
        raise ValueError(f"{path} has no column {', '.join(map(repr, missing))}: "
                         f"its columns are {', '.join(map(repr, names))}")
    position = {name: j for j, name in enumerate(names)}
    where = [position[name] for name in columns]
    table = np.empty((len(rows), len(columns)))  # (N, len(columns))
    for i, (line, row) in enumerate(rows):
        for k, j in enumerate(where):
            table[i, k] = _parse_number(row[j], f"{path}, line {line}: column {names[j]!r}")
    return table


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


def _parse_number(cell: str, where: str) -> float:
    """float(cell), or a ValueError that says where the cell is and what it holds."""
    try:
        if "_" in cell:  # Python reads 1_000 as 1000; a CSV cell like that is a typo more often than not
            raise ValueError
        value = float(cell)  # also trims spaces
    except ValueError:
        hint = ": is the file comma-separated?" if ";" in cell or "\t" in cell else ""
        raise ValueError(f"{where} holds {cell!r}, which is not a number{hint}") from None
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
