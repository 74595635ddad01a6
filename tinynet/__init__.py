"""tinynet: a small neural-network engine in plain numpy, written to be read.

It answers one question with code you can step through: "if relu(z) = z for
z >= 0, isn't a ReLU net just linear regression?" No: a net of identity
activations collapses to one affine map, while ReLU nets switch linear pieces
on and off and fit curves.

Read in this order: parameter, module, linear, activations, sequential,
losses, flat, optim, train; then the lesson: collapse, pieces, lesson. Simple and readable first; fast where that costs no
clarity. References: Michael Nielsen, "Neural Networks and Deep Learning",
chapter 2 (backpropagation).
"""

from .activations import (
    ACTIVATIONS,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Tanh,
    get_activation,
    register_activation,
)
from .classify import classifier_line, compare_classifiers, data_box, is_classification
from .collapse import collapse, least_squares
from .csvfile import load_csv, read_csv_table
from .datasets import DATASETS, make_dataset
from .datasets2d import DATASETS_2D
from .errors import ModelFileError, TinynetError, TrainingDiverged
from .gradcheck import gradcheck, gradcheck_report, numeric_gradient, relative_error
from .handmade import exact_abs, sawtooth
from .hinges import Hinge, Hinges, hinges
from .lesson import compare, lesson_line
from .linear import Linear
from .linear_regime import dead_units, linear_on_data, linear_regression_note
from .losses import BCELoss, MSELoss, get_loss
from .metrics import accuracy
from .mlp import mlp
from .model_file import load, save
from .module import Module
from .optim import SGD, Adam, Optimizer
from .parameter import Parameter
from .pieces import (
    breakpoints,
    distinct_bends,
    is_piecewise_linear,
    linear_pieces,
    pieces,
)
from .recorder import KinkRecorder, Snapshot
from .regions import Region, decision_boundary, linear_regions
from .seeds import SeedOutcome, seed_sweep, sweep_summary, wilson_interval
from .sequential import Sequential
from .standardize import Standardize, Unstandardize, split_scaling, standardized
from .torch_bridge import from_torch, save_state_dict, to_torch
from .train import History, fit, predict
from .version import __version__ as __version__

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "DATASETS_2D",
    "SGD",
    "Adam",
    "BCELoss",
    "Hinge",
    "Hinges",
    "History",
    "Identity",
    "KinkRecorder",
    "LeakyReLU",
    "Linear",
    "MSELoss",
    "ModelFileError",
    "Module",
    "Optimizer",
    "Parameter",
    "ReLU",
    "Region",
    "SeedOutcome",
    "Sequential",
    "Sigmoid",
    "Snapshot",
    "Standardize",
    "Tanh",
    "TinynetError",
    "TrainingDiverged",
    "Unstandardize",
    "accuracy",
    "breakpoints",
    "classifier_line",
    "collapse",
    "compare",
    "compare_classifiers",
    "data_box",
    "dead_units",
    "decision_boundary",
    "distinct_bends",
    "exact_abs",
    "fit",
    "from_torch",
    "get_activation",
    "get_loss",
    "gradcheck",
    "gradcheck_report",
    "hinges",
    "is_classification",
    "is_piecewise_linear",
    "least_squares",
    "lesson_line",
    "linear_on_data",
    "linear_pieces",
    "linear_regions",
    "linear_regression_note",
    "load",
    "load_csv",
    "make_dataset",
    "mlp",
    "numeric_gradient",
    "pieces",
    "predict",
    "read_csv_table",
    "register_activation",
    "relative_error",
    "save",
    "save_state_dict",
    "sawtooth",
    "seed_sweep",
    "split_scaling",
    "standardized",
    "sweep_summary",
    "to_torch",
    "wilson_interval",
]
