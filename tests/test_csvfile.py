"""load_csv and read_csv_table: good files give the right arrays, bad files one clear ValueError."""

import doctest
import importlib
import io
import time

import numpy as np
import pytest

import tinynet

try:
    from tinynet import load_csv
except ImportError:  # until tinynet/__init__ re-exports it
    from tinynet.io.csvfile import load_csv
from tinynet.io.csvfile import (
    NotANumberError,
    numeric_columns,
    read_csv_table,
    read_csv_text,
    select_columns,
)


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- good files ----

def test_default_target_is_the_last_column(tmp_path):
    path = write(tmp_path, "x1,x2,y\n1,2,3\n4,5,6\n")
    X, y = load_csv(path)
    np.testing.assert_array_equal(X, [[1, 2], [4, 5]])
    np.testing.assert_array_equal(y, [[3], [6]])
    assert X.dtype == y.dtype == np.float64
    assert X.shape == (2, 2) and y.shape == (2, 1)


def test_named_target_can_be_any_column(tmp_path):
    path = write(tmp_path, "a,price,b\n1,10,2\n3,30,4\n5,50,6\n")
    X, y = load_csv(path, target="price")
    np.testing.assert_array_equal(X, [[1, 2], [3, 4], [5, 6]])  # the other columns, in file order
    np.testing.assert_array_equal(y, [[10], [30], [50]])


def test_header_and_cell_spaces_are_trimmed(tmp_path):
    path = write(tmp_path, " x , target \n 1.5 , -2e3 \n")
    X, y = load_csv(path, target="target")
    np.testing.assert_array_equal(X, [[1.5]])
    np.testing.assert_array_equal(y, [[-2000.0]])


def test_blank_lines_byte_order_mark_and_windows_line_ends(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"\xef\xbb\xbfx,y\r\n1,2\r\n\r\n3,4\r\n\r\n\n  \n")
    X, y = load_csv(path)
    np.testing.assert_array_equal(X, [[1], [3]])
    np.testing.assert_array_equal(y, [[2], [4]])


def test_read_csv_table_reads_a_features_only_file(tmp_path):
    path = write(tmp_path, "x\n0.25\n-1\n")
    names, table = read_csv_table(str(path))
    assert names == ["x"]
    np.testing.assert_array_equal(table, [[0.25], [-1.0]])


def test_an_open_text_file_is_read_and_named_in_messages():
    names, table = read_csv_table(io.StringIO("a,b\n1,2\n"))
    assert names == ["a", "b"]
    np.testing.assert_array_equal(table, [[1, 2]])
    X, y = load_csv(io.StringIO("a,b\n1,2\n"), target="a")
    np.testing.assert_array_equal(X, [[2]])
    np.testing.assert_array_equal(y, [[1]])
    with pytest.raises(ValueError, match="<stdin>, line 3: column 'b' holds 'x'"):
        read_csv_table(io.StringIO("a,b\n1,2\n3,x\n"))
    with pytest.raises(ValueError, match="<stdin> has no column 'c'"):
        load_csv(io.StringIO("a,b\n1,2\n"), target="c")
    with pytest.raises(ValueError, match="<stdin> has one column"):
        load_csv(io.StringIO("a\n1\n"))


def test_values_round_trip_exactly(tmp_path):
    values = np.random.default_rng(0).normal(size=(50, 3))
    path = tmp_path / "data.csv"
    lines = ["a,b,c"] + [",".join(repr(float(v)) for v in row) for row in values]
    path.write_text("\n".join(lines) + "\n")
    X, y = load_csv(path)
    np.testing.assert_array_equal(np.hstack([X, y]), values)  # repr -> float is exact


# ---- bad files: each row is (name, file text or None for no file, target, message fragments) ----

BAD_FILES = [
    ("missing file", None, None, ["no such file"]),
    ("empty file", "", None, ["is empty"]),
    ("only blank lines", "\n\n  \n", None, ["is empty"]),
    ("header without rows", "x,y\n", None, ["no rows of data"]),
    ("no header", "1,2\n3,4\n", None, ["line 1", "must name the columns"]),
    ("non-numeric cell", "x,y\n1,2\n3,abc\n", None, ["line 3", "column 'y'", "'abc'", "not a number"]),
    ("empty cell", "x,y\n1,2\n,4\n", None, ["line 3", "column 'x'", "not a number"]),
    ("NaN", "x,y\n1,2\nnan,4\n", None, ["line 3", "column 'x'", "NaN and infinite"]),
    ("infinity", "x,y\n1,2\n3,4\n5,-inf\n", None, ["line 4", "column 'y'", "NaN and infinite"]),
    ("short row", "x1,x2,y\n1,2,3\n4,5\n", None, ["line 3", "2 values", "3 columns"]),
    ("long row", "x,y\n1,2,3\n", None, ["line 2", "3 values", "2 columns"]),
    ("unknown target", "x,y\n1,2\n", "price", ["no column 'price'", "'x', 'y'"]),
    ("one column", "y\n1\n2\n", None, ["one column", "at least two"]),
    # the header is looked at before any value: a semicolon-separated file is one column named 'x;y'
    ("semicolons", "x;y\n1;2\n", None, ["one column", "'x;y'", "comma-separated"]),
    ("a semicolon in a cell", "x,y\n1;5,2\n", None, ["line 2", "'1;5'", "comma-separated"]),
    ("line number after a blank line", "x,y\n\n1,2\n\nfoo,4\n", None, ["line 5", "'foo'"]),
    ("duplicate target name", "y,y\n1,2\n", "y", ["header", "'y' appears more than once"]),
    ("duplicate feature names", "x,x,y\n1,2,3\n", None, ["header", "'x' appears more than once"]),
    ("underscore in a number", "x,y\n1_000,2\n", None, ["line 2", "'1_000'", "not a number"]),
]


@pytest.mark.parametrize("text, target, fragments", [row[1:] for row in BAD_FILES],
                         ids=[row[0] for row in BAD_FILES])
def test_bad_csv_is_refused_with_file_and_line(tmp_path, text, target, fragments):
    path = tmp_path / "bad.csv"
    if text is not None:
        path.write_text(text)
    with pytest.raises(ValueError) as caught:
        load_csv(path, target=target)
    message = str(caught.value)
    assert str(path) in message  # every message names the file
    for fragment in fragments:
        assert fragment in message


def test_directory_and_binary_files_are_refused(tmp_path):
    with pytest.raises(ValueError, match="is a directory"):
        load_csv(tmp_path)
    path = tmp_path / "model.npz"
    path.write_bytes(b"PK\x03\x04\xff\xfe\x00\x81")
    with pytest.raises(ValueError, match="not a UTF-8 text file"):
        load_csv(path)


def test_nul_byte_is_a_value_error_with_a_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"x,y\n1,2\n3,\x004\n")
    with pytest.raises(ValueError, match="line 3"):
        load_csv(path)


def test_a_wide_header_is_read_in_linear_time():
    # the duplicate-name check once compared every name with every other: 20,000 columns took 8 s, 40,000 took 42 s
    names = [f"c{i}" for i in range(40_000)]
    text = ",".join(names) + "\n" + ",".join("1" for _ in names) + "\n"
    start = time.perf_counter()
    read, table = read_csv_table(io.StringIO(text))
    assert time.perf_counter() - start < 2.0
    assert read == names and table.shape == (1, 40_000)
    with pytest.raises(ValueError, match="'c7', 'c9' appear more than once"):
        read_csv_table(io.StringIO(",".join(names + ["c9", "c7"]) + "\n" + "1," * 40_001 + "1\n"))


def test_only_the_columns_asked_for_are_read_as_numbers():
    # an id column of names, an empty target column and a column of notes: none of them is read
    names, rows = read_csv_text(io.StringIO("id,b,y,a,notes\nalice,2,,1,n/a\nbob,4,,3,\n"))
    assert names == ["id", "b", "y", "a", "notes"]
    assert rows == [(2, ["alice", "2", "", "1", "n/a"]), (3, ["bob", "4", "", "3", ""])]
    np.testing.assert_array_equal(numeric_columns(names, rows, "in.csv", ["a", "b"]), [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="in.csv, line 2: column 'id' holds 'alice', which is not a number"):
        numeric_columns(names, rows, "in.csv")  # all columns
    with pytest.raises(ValueError, match="in.csv has no column 'c'"):
        numeric_columns(names, rows, "in.csv", ["a", "c"])


def test_a_repeated_name_matters_only_when_that_column_is_read():
    names, rows = read_csv_text(io.StringIO("x,note,note\n1,a,b\n"))
    np.testing.assert_array_equal(numeric_columns(names, rows, "in.csv", ["x"]), [[1]])
    with pytest.raises(ValueError, match="in.csv, header: .*'note' appears more than once"):
        numeric_columns(names, rows, "in.csv", ["x", "note"])


def test_a_stdin_that_cannot_be_read_is_one_clear_value_error(tmp_path):
    with open(tmp_path / "out.csv", "w") as written, pytest.raises(ValueError, match="cannot read .*out.csv"):
        read_csv_table(written)  # stdin opened for writing only (`<&1`, say)


# ---- choosing the columns: target, features, drop ----

PEOPLE = "id,name,age,height,weight\n1,ann,31,1.70,60\n2,bob,45,1.82,81\n3,cy,27,1.65,55\n"


def test_drop_leaves_text_columns_out_unread(tmp_path):
    # 'name' holds text: without drop it would be read as a number and refused
    X, y = load_csv(write(tmp_path, PEOPLE), drop=["id", "name"])
    np.testing.assert_array_equal(X, [[31, 1.70], [45, 1.82], [27, 1.65]])  # age, height in file order
    np.testing.assert_array_equal(y, [[60], [81], [55]])  # weight, the last column


def test_features_are_the_inputs_in_the_order_given(tmp_path):
    X, y = load_csv(write(tmp_path, PEOPLE), target="age", features=["weight", "height"])
    np.testing.assert_array_equal(X, [[60, 1.70], [81, 1.82], [55, 1.65]])  # weight first, as listed
    np.testing.assert_array_equal(y, [[31], [45], [27]])


def test_a_missing_target_is_said_before_a_text_column_is():
    # 'name' holds text on line 2, but the target names no column at all: that is the first thing wrong
    with pytest.raises(ValueError, match=r"^<stdin> has no column 'price': its columns are 'id', 'name'"):
        load_csv(io.StringIO(PEOPLE), target="price")


def test_the_target_is_read_before_the_inputs():
    # both are bad; the target's cell (line 3) is reported, not the input's (line 2)
    with pytest.raises(ValueError, match="line 3: column 'y' holds 'cd'"):
        load_csv(io.StringIO("x,y\nab,1\n2,cd\n"))


def test_a_text_cell_is_a_not_a_number_error_that_names_its_column():
    with pytest.raises(NotANumberError) as caught:
        load_csv(io.StringIO(PEOPLE))
    assert caught.value.column == "name" and isinstance(caught.value, ValueError)


# each row: (name, target, features, drop, message fragments); the columns are id, name, age, height, weight
BAD_CHOICES = [
    ("unknown feature", None, ["age", "hight"], None, ["no column 'hight' (in features)", "'id', 'name', 'age'"]),
    ("unknown dropped", None, None, ["nme", "ib"], ["no columns 'nme', 'ib' (in drop)", "'height', 'weight'"]),
    ("features with drop", None, ["age"], ["id"], ["features or drop, not both"]),
    ("target in features", None, ["age", "weight"], None,
     ["'weight' is the target (the last column, as no target is named) and is in features too"]),
    ("named target in features", "age", ["age"], None, ["'age' is the target and is in features too"]),
    ("target dropped", None, None, ["weight"], ["'weight' is the target", "drop cannot leave it out"]),
    ("a feature twice", None, ["age", "age"], None, ["lists 'age' more than once"]),
    ("no features", None, [], None, ["features is empty", "'id', 'name'"]),
    ("everything dropped", None, None, ["id", "name", "age", "height"],
     ["drop leaves out every column", "but the target 'weight'"]),
    ("an unknown target first", "price", ["hight"], ["x"], ["no column 'price'"]),
]


@pytest.mark.parametrize("target, features, drop, fragments", [row[1:] for row in BAD_CHOICES],
                         ids=[row[0] for row in BAD_CHOICES])
def test_bad_column_choices_are_refused_by_name_before_any_value_is_read(tmp_path, target, features, drop,
                                                                         fragments):
    path = write(tmp_path, PEOPLE)  # 'name' holds text: a message about it would mean values were read first
    with pytest.raises(ValueError) as caught:
        load_csv(path, target=target, features=features, drop=drop)
    message = str(caught.value)
    assert "not a number" not in message
    for fragment in fragments:
        assert fragment in message


def test_a_string_of_names_is_a_type_error_showing_the_list():
    with pytest.raises(TypeError, match=r"drop must be a list of column names, .* write \['id', 'name'\]"):
        select_columns(["id", "name", "x", "y"], drop="id,name")


def test_select_columns_is_the_rule_load_csv_follows():
    names = ["id", "name", "age", "height", "weight"]
    assert select_columns(names) == (["id", "name", "age", "height"], "weight")
    assert select_columns(names, "age", drop=["id", "name"]) == (["height", "weight"], "age")
    assert select_columns(names, features=["height", "age"]) == (["height", "age"], "weight")


def test_docstring_examples_run():
    names = {name: getattr(tinynet, name) for name in tinynet.__all__}
    result = doctest.testmod(importlib.import_module("tinynet.io.csvfile"), extraglobs=names)
    assert result.attempted > 0 and result.failed == 0


def test_load_columns_names_the_way_out_of_a_text_cell(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,age,height\nann,31,1.70\nbob,45,1.82\n")
    X, y, columns, target = tinynet.io.load_columns(str(path), drop=["name"])
    assert (X.tolist(), y.tolist(), columns, target) == ([[31.0], [45.0]], [[1.7], [1.82]], ["age"], "height")
    with pytest.raises(ValueError, match=r"if it is not an input, leave it out with --drop name$"):
        tinynet.io.load_columns(str(path))
    with pytest.raises(ValueError, match=r"take it out of --features$"):
        tinynet.io.load_columns(str(path), features=["name", "age"])
    with pytest.raises(ValueError, match=r"column 'name'") as caught:
        tinynet.io.load_columns(str(path), suggest_drop=False)
    assert "--drop" not in str(caught.value)
    path.write_text("age,height,name\n31,1.70,ann\n")
    with pytest.raises(ValueError, match=r"with no --target it is the target \(the last column\)"):
        tinynet.io.load_columns(str(path))
