"""The speed, beside the engine: each trick names the plain line it replaces and what it gains.

- layers: ``Linear`` with ``np.dot``, an in-place bias and the bias gradient
  as one product; ``backward_params`` and ``train_step``, which skip dL/dX
  for the data; ``ReLU`` keeping its zeros; ``Sigmoid`` and ``Tanh`` in one array;
  ``MSELoss`` summing squares with one ``vdot``.
- flat and optim: every parameter in one vector, so SGD and Adam update them
  all in a dozen numpy calls.

A learner reads ``tinynet.engine``; ``mlp``, ``load`` and ``fit`` use these.
tests/test_fast.py proves that training with them gives the plain engine's
parameters (float64 to 1e-12 after 200 steps; float32 to its precision).
"""

from .flat import FlatParameters, share_storage
from .layers import Linear, MSELoss, ReLU, Sigmoid, Tanh, backward_params, train_step
from .optim import OPTIMIZERS, SGD, Adam, AdamW, Optimizer

__all__ = ["OPTIMIZERS", "SGD", "Adam", "AdamW", "FlatParameters", "Linear", "MSELoss", "Optimizer", "ReLU", "Sigmoid", "Tanh",
           "backward_params", "share_storage", "train_step"]
