"""The engine: what to read to learn backpropagation, in this order.

module (Parameter, Module, Sequential: forward, backward, and backprop as a
loop in reverse), linear (y = x @ W + b, the only layer with parameters),
activations, losses (MSE, BCE, softmax cross-entropy), optim (SGD with momentum, Adam,
AdamW) and step (one training step in five lines). Numpy only, nothing but the math: checks
of outside values, the training recipe, files and speed live outside this folder.
"""

from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .linear import Linear
from .losses import BCELoss, CrossEntropyLoss, MSELoss
from .module import Module, Parameter, Sequential
from .optim import SGD, Adam, AdamW, Optimizer
from .step import train_step

__all__ = ["SGD", "Adam", "AdamW", "BCELoss", "CrossEntropyLoss", "Identity", "LeakyReLU", "Linear", "MSELoss",
           "Module", "Optimizer", "Parameter", "ReLU", "Sequential", "Sigmoid", "Tanh", "train_step"]
