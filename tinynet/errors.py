"""The exceptions tinynet raises on purpose.

Bad arguments raise the built-in ``ValueError`` (or ``TypeError``); these
classes are for the two things a user has to handle differently: training
that blew up, and a model file that cannot be trusted.
"""


class TinynetError(Exception):
    """Base class of every exception defined by tinynet."""


class TrainingDiverged(TinynetError):
    """The training loss became NaN or infinite, or ended worse than a constant (``tinynet.training.divergence``).

    ``fit`` raises it after putting back the parameters of the last epoch
    that ended finite (or, for a finite loss that ended worse, those the
    model came in with), so the model is still usable. The usual cure is a
    smaller learning rate.
    """


class ModelFileError(TinynetError):
    """A model file is missing, damaged, not a tinynet model, or one nothing should read.

    The last covers hostile files: arrays larger than the architecture says,
    a decompression bomb, JSON nested deep enough to exhaust the stack, more
    layers than a model file may hold. ``load`` raises nothing else for a bad
    file, and raises it before reading more than the file's size justifies.
    """
