"""tinynet inside scikit-learn: TinynetRegressor and TinynetClassifier.

Estimators in scikit-learn's sense, for ``Pipeline``, ``GridSearchCV`` and
``cross_val_score``: each builds its net with ``tinynet.mlp`` and trains it
with ``tinynet.fit``, whose hyperparameters and defaults are theirs
(``get_params``/``set_params``); the trained net is ``model_``. The
regressor fits one output per target column; the classifier one sigmoid
output per class with binary cross-entropy: binary, multi-label (a 0/1
indicator matrix) and multiclass (one-vs-rest). They pass scikit-learn's
estimator checks in float64 (tests/test_sklearn.py lists the two a float32
net cannot pass). The only file of tinynet that imports scikit-learn (>= 1.6,
pip install "tinynet[sklearn]"); ``import tinynet`` never imports it.
"""

import numbers

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    from sklearn.utils.multiclass import check_classification_targets, type_of_target
    from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data
except ImportError as error:  # not installed (ModuleNotFoundError), or older than 1.6 (ImportError)
    raise type(error)('tinynet.sklearn needs scikit-learn >= 1.6: pip install "tinynet[sklearn]"') from error

from .checks import float_dtype
from .mlp import mlp
from .standardize import scaled_for_training
from .training import (
    DEFAULT_EPOCHS,
    DEFAULT_LR,
    DEFAULT_LR_DECAY,
    DEFAULT_PATIENCE,
    fit,
)


class _TinynetEstimator(BaseEstimator):
    """What both estimators share: the hyperparameters, building the net, training it.

    Args (each a hyperparameter, read by ``fit``, never changed by it):
        hidden_sizes: units of each hidden layer; the net is
            mlp([n_features, *hidden_sizes, n_outputs], activation).
        activation: "relu", "tanh", "sigmoid", "leaky_relu" or "identity".
        optimizer, lr, epochs, batch_size, lr_decay, patience: as in
            ``tinynet.fit``, with its defaults (Adam; lr 0.01 along a cosine
            to lr * lr_decay; at most 2000 full-batch epochs, fewer once the
            loss has settled; batch_size None is the full batch): the
            lesson's, which overfit noisy tables (diabetes, 5-fold R^2: -0.47;
            0.47 with lr=1e-3, batch_size=200, epochs=200).
        init: weight initialisation, as in ``mlp``.
        standardize: put the scaling in the net (Standardize first, and for
            the regressor Unstandardize last): inputs, and the regressor's
            targets, are standardised for training while ``model_`` takes and
            gives the data's own units.
        dtype: "float64" or "float32", the dtype the net computes in.
        random_state: tinynet's seed, for mlp's weights and fit's shuffling:
            an int (the default 0: every fit repeats), None (fresh each fit),
            or a numpy Generator or RandomState to draw from.

    Fitted attributes: ``model_`` (the tinynet Sequential), ``loss_curve_``
    (the training loss of each epoch, in the standardised units when
    ``standardize``), ``n_iter_`` (epochs run), ``n_features_in_`` (and
    ``feature_names_in_`` when X has column names).

    ``fit`` raises ``tinynet.TrainingDiverged`` (scikit-learn's convention:
    a fit that fails raises) where ``tinynet.fit`` does: a loss that ended
    not finite, or above its start and over twice that of always predicting
    the mean (``tinynet.training.divergence``). No fitted attribute is set
    then, so the estimator never predicts from a net worse than a constant.
    """

    def __init__(self, hidden_sizes=(32, 32), activation="relu", *, optimizer="adam", lr=DEFAULT_LR,
                 epochs=DEFAULT_EPOCHS, batch_size=None, lr_decay=DEFAULT_LR_DECAY, patience=DEFAULT_PATIENCE,
                 init="uniform", standardize=True, dtype="float64", random_state=0):
        # scikit-learn's rule: keep every argument as given, under its own name; fit reads them
        self.hidden_sizes, self.activation, self.optimizer, self.lr = hidden_sizes, activation, optimizer, lr
        self.epochs, self.batch_size, self.lr_decay, self.patience = epochs, batch_size, lr_decay, patience
        self.init, self.standardize, self.dtype, self.random_state = init, standardize, dtype, random_state

    def _train(self, X: np.ndarray, Y: np.ndarray, *, loss: str, output_activation: str, scale_targets: bool):
        """Build the net for X (N, features) -> Y (N, outputs), train it, set the fitted attributes."""
        seed = self._seed()
        if isinstance(self.hidden_sizes, numbers.Integral):
            raise TypeError(f"hidden_sizes must be a tuple of layer sizes, like (32, 32) or (8,), "
                             f"got {self.hidden_sizes!r}")
        sizes = [X.shape[1], *self.hidden_sizes, Y.shape[1]]
        net = mlp(sizes, self.activation, output_activation=output_activation, init=self.init, seed=seed,
                  dtype=X.dtype)
        model, X, Y = scaled_for_training(net, X, Y, standardize=self.standardize, targets=scale_targets)
        history = fit(net, X, Y, loss=loss, optimizer=self.optimizer, lr=self.lr, epochs=self.epochs,
                      batch_size=self.batch_size, lr_decay=self.lr_decay, patience=self.patience, seed=seed)
        self.model_ = model
        self.loss_curve_ = history.loss
        self.n_iter_ = history.epochs
        return self

    def _outputs(self, X) -> np.ndarray:
        """The net's outputs for X: (N, outputs)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=float_dtype(self.dtype))
        return self.model_(X)

    def _seed(self):
        seed = self.random_state
        if isinstance(seed, np.random.RandomState):
            return int(seed.randint(2**31))  # a seed drawn from it, as scikit-learn's own estimators do
        if seed is None or isinstance(seed, np.random.Generator) or (
                isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
            return seed
        raise ValueError(f"random_state must be an int, None, a numpy Generator or RandomState, got {seed!r}")


class TinynetRegressor(RegressorMixin, _TinynetEstimator):
    """A tinynet MLP trained with MSE, as a scikit-learn regressor (see ``_TinynetEstimator`` for the arguments).

    Shape: X (N, features) -> predict: (N,) when fitted on a 1-D y, else (N, targets).

    >>> from tinynet.sklearn import TinynetRegressor
    >>> X = np.linspace(-1, 1, 50).reshape(-1, 1); y = np.abs(X).ravel()
    >>> TinynetRegressor(hidden_sizes=(8,), epochs=300).fit(X, y).score(X, y) > 0.99  # R^2
    True
    """

    def fit(self, X, y) -> "TinynetRegressor":
        """Train a new net on X (N, features) and y (N,) or (N, targets)."""
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True, dtype=float_dtype(self.dtype))
        self._one_target = y.ndim == 1  # predict gives back y's shape
        Y = np.asarray(y, dtype=X.dtype).reshape(len(y), -1)
        return self._train(X, Y, loss="mse", output_activation="identity", scale_targets=True)

    def predict(self, X) -> np.ndarray:
        outputs = self._outputs(X)
        return outputs.ravel() if self._one_target else outputs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # y may have several columns: one output each
        return tags


class TinynetClassifier(ClassifierMixin, _TinynetEstimator):
    """A tinynet MLP with sigmoid outputs and binary cross-entropy, as a scikit-learn classifier.

    Binary: one output p = P(classes_[1]). Multi-label (y a 0/1 indicator
    matrix): one output per label, each predicted where p > 0.5;
    ``classes_`` is 0 ... labels - 1. Multiclass: one output per class, each
    trained against the rest; predict is the class of the largest output,
    and predict_proba divides the outputs by their sum (one-vs-rest scores
    made to sum to 1, not a softmax). Arguments: see ``_TinynetEstimator``.

    Shape: X (N, features) -> predict: (N,) or (N, labels); predict_proba: (N, classes) or (N, labels).

    >>> from tinynet.sklearn import TinynetClassifier
    >>> X = np.linspace(-1, 1, 40).reshape(-1, 1); y = np.where(X.ravel() > 0.2, "yes", "no")
    >>> TinynetClassifier(hidden_sizes=(4,), epochs=300).fit(X, y).predict([[-0.5], [0.9]])
    array(['no', 'yes'], dtype='<U3')
    """

    def fit(self, X, y) -> "TinynetClassifier":
        """Train a new net on X (N, features) and y: labels (N,), or a 0/1 indicator matrix (N, labels)."""
        X, y = validate_data(self, X, y, multi_output=True, dtype=float_dtype(self.dtype))
        check_classification_targets(y)  # refuses continuous targets, naming their type
        kind = type_of_target(y)
        if kind == "multiclass-multioutput":
            raise ValueError("y has several columns of more than two classes each: TinynetClassifier takes one "
                             "label per sample, or a 0/1 indicator matrix (multi-label)")
        self._multilabel = kind == "multilabel-indicator"
        if self._multilabel:
            self.classes_ = np.arange(y.shape[1])
            self._label_dtype = y.dtype
            Y = y.astype(X.dtype)  # (N, labels) of 0 and 1
        else:
            y = column_or_1d(y, warn=True)  # a column (N, 1) is one label per sample
            self.classes_, codes = np.unique(y, return_inverse=True)
            if len(self.classes_) < 2:
                raise ValueError(f"y must hold at least 2 classes to tell apart, got only one class: {self.classes_.tolist()[0]!r}")
            one_hot = codes[:, None] == np.arange(len(self.classes_))  # (N, classes)
            Y = one_hot[:, 1:] if len(self.classes_) == 2 else one_hot  # binary: one output, P(classes_[1])
        return self._train(X, Y.astype(X.dtype), loss="bce", output_activation="sigmoid", scale_targets=False)

    def predict_proba(self, X) -> np.ndarray:
        """Binary and multiclass: (N, classes), rows summing to 1. Multi-label: (N, labels), each P(label)."""
        p = self._outputs(X)
        # the clip BCELoss applies in training: a sigmoid is never exactly 0 or 1, though float64 rounds it to 1 above x ~ 37
        eps = np.finfo(p.dtype).eps
        p = np.clip(p, eps, 1 - eps)
        if self._multilabel:
            return p
        if p.shape[1] == 1:
            return np.hstack([1 - p, p])  # (N, 2)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        proba = self.predict_proba(X)
        if self._multilabel:
            return (proba > 0.5).astype(self._label_dtype)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
