"""tinynet: a small neural-network engine in plain numpy, written to be read.

It answers one question with code you can step through: "if relu(z) = z for
z >= 0, isn't a ReLU net just linear regression?" No: a net of identity
activations collapses to one affine map, while ReLU nets switch linear pieces
on and off and fit curves. Between two kinks, though, a ReLU net is one
affine map, and a net whose kinks all miss the data is linear regression there.

Read in this order:

- ``engine/``: what to read to learn backprop, in one sitting. module
  (Parameter, Module, Sequential), linear, activations, losses, optim (SGD,
  Adam) and step (one training step in five lines). Nothing but the math.
- beside it, what makes it usable: ``training`` (fit and predict: the
  schedule, the settle rule, the rollback on divergence), ``mlp`` (building a
  net), ``standardize`` (scaling kept inside a model), ``gradcheck``
  (backward against finite differences), ``checks`` (values coming in from
  outside), ``model`` (questions asked of a model), ``kinds`` (the table of
  activations by name) and ``fast/`` (the same engine, faster, proven equal).
- ``lesson/``: what the engine shows. collapse (identity nets are linear
  regression), pieces and handmade (ReLU nets are piecewise linear),
  linear_regime (when one is linear regression after all), compare_nets
  (the lesson in one call), seeds (how often), datasets; in two dimensions
  datasets2d, metrics, regions and polygons, classify; watching training:
  hinges and recorder.
- ``io/``: files: model_file (safe model files), csvfile, atomic (writes that
  replace a file whole or not at all), torch_bridge (to and from PyTorch).
- ``draw/``: the pictures (fits, two-input regions, hinges, kinks, the film
  of training), matplotlib imported only when drawing; importable from
  ``tinynet.draw`` only.
- ``exercises/``: exercises that check themselves (``tinynet exercise``): a
  piece of the engine to write, checked against the engine's own lines;
  importable from ``tinynet.exercises`` only.

``tinynet.sklearn`` (scikit-learn estimators) is imported on its own. Every
name below is importable from ``tinynet``; ``tinynet.io`` documents its own.
References: Michael Nielsen, "Neural Networks and Deep Learning", chapter 2
(backpropagation).
"""

from .checks import check_columns
from .engine import (
    SGD,
    Adam,
    BCELoss,
    Identity,
    LeakyReLU,
    Linear,
    Module,
    MSELoss,
    Optimizer,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    train_step,
)
from .errors import ModelFileError, TinynetError, TrainingDiverged
from .gradcheck import (
    gradcheck,
    gradcheck_report,
    numeric_gradient,
    passes_needed,
    relative_error,
    relative_error_text,
)
from .io.csvfile import load_csv, read_csv_table
from .io.model_file import load, save
from .io.torch_bridge import from_torch, save_state_dict, to_torch
from .kinds import ACTIVATIONS, get_activation, register_activation
from .lesson.classify import Defaults, data_box, is_classification, training_defaults
from .lesson.collapse import collapse, least_squares
from .lesson.compare_nets import (
    classifier_line,
    compare,
    compare_classifiers,
    lesson_line,
)
from .lesson.datasets import DATASETS, make_dataset
from .lesson.datasets2d import DATASETS_2D
from .lesson.handmade import exact_abs, sawtooth
from .lesson.hinges import Hinge, Hinges, hinges
from .lesson.linear_regime import dead_units, linear_on_data, linear_regression_note
from .lesson.metrics import accuracy
from .lesson.pieces import (
    PieceCount,
    breakpoints,
    count_pieces,
    count_regions,
    counting_box,
    distinct_bends,
    is_piecewise_linear,
    linear_pieces,
    pieces,
)
from .lesson.recorder import KinkRecorder, Snapshot
from .lesson.regions import Region, decision_boundary, linear_regions
from .lesson.report import FitReport, describe_fit, hidden_activation, model_name
from .lesson.seeds import (
    FIT_SHARE,
    OUTCOME_MEANINGS,
    OUTCOMES,
    SeedOutcome,
    seed_sweep,
    sweep_summary,
    wilson_interval,
)
from .mlp import BIAS_INITS, INITS, mlp
from .model import (
    feature_names,
    input_features,
    layers_of,
    model_dtype,
    named_parameters,
    output_features,
)
from .standardize import Standardize, Unstandardize, split_scaling, standardized
from .training import (
    DEFAULT_EPOCHS,
    DEFAULT_LR,
    DEFAULT_LR_DECAY,
    DEFAULT_PATIENCE,
    LOSSES,
    OPTIMIZERS,
    History,
    fit,
    get_loss,
    predict,
)
from .version import __version__ as __version__

__all__ = [
    "ACTIVATIONS",
    "BIAS_INITS",
    "DATASETS",
    "DATASETS_2D",
    "DEFAULT_EPOCHS",
    "DEFAULT_LR",
    "DEFAULT_LR_DECAY",
    "DEFAULT_PATIENCE",
    "FIT_SHARE",
    "INITS",
    "LOSSES",
    "OPTIMIZERS",
    "OUTCOMES",
    "OUTCOME_MEANINGS",
    "SGD",
    "Adam",
    "BCELoss",
    "Defaults",
    "FitReport",
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
    "PieceCount",
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
    "check_columns",
    "classifier_line",
    "collapse",
    "compare",
    "compare_classifiers",
    "count_pieces",
    "count_regions",
    "counting_box",
    "data_box",
    "dead_units",
    "decision_boundary",
    "describe_fit",
    "distinct_bends",
    "exact_abs",
    "feature_names",
    "fit",
    "from_torch",
    "get_activation",
    "get_loss",
    "gradcheck",
    "gradcheck_report",
    "hidden_activation",
    "hinges",
    "input_features",
    "is_classification",
    "is_piecewise_linear",
    "layers_of",
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
    "model_dtype",
    "model_name",
    "named_parameters",
    "numeric_gradient",
    "output_features",
    "passes_needed",
    "pieces",
    "predict",
    "read_csv_table",
    "register_activation",
    "relative_error",
    "relative_error_text",
    "save",
    "save_state_dict",
    "sawtooth",
    "seed_sweep",
    "split_scaling",
    "standardized",
    "sweep_summary",
    "to_torch",
    "train_step",
    "training_defaults",
    "wilson_interval",
]
