"""Input and output: model files, CSV files, atomic writes, and the bridge to PyTorch.

model_file (save and load: .npz files that never unpickle, checked before
they are read), csvfile (numbers from CSV files, the inputs and the target
chosen by name, with errors that name the file, line and column; the one
rule by which a saved model finds its columns in a file), atomic
(replace a file whole or not at all), and torch_bridge (to_torch,
from_torch, save_state_dict; torch imported only inside them). The names below are this package's public ones; the most used
are also importable from ``tinynet``.
"""

from .atomic import atomic_write, check_writable
from .csvfile import (
    NotANumberError,
    check_fits_model,
    columns_for_model,
    load_columns,
    load_csv,
    numeric_columns,
    predict_csv,
    read_csv_table,
    read_csv_text,
    select_columns,
    split_target,
)
from .model_file import load, save
from .torch_bridge import from_torch, save_state_dict, to_torch

__all__ = [
    "NotANumberError",
    "atomic_write",
    "check_fits_model",
    "check_writable",
    "columns_for_model",
    "from_torch",
    "load",
    "load_columns",
    "load_csv",
    "numeric_columns",
    "predict_csv",
    "read_csv_table",
    "read_csv_text",
    "save",
    "save_state_dict",
    "select_columns",
    "split_target",
    "to_torch",
]
