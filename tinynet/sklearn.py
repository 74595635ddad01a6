"""tinynet inside scikit-learn: TinynetRegressor and TinynetClassifier.

Estimators in scikit-learn's sense, for ``Pipeline``, ``GridSearchCV`` and
``cross_val_score``: each builds its net with ``tinynet.mlp`` and trains it
with ``tinynet.fit``, whose hyperparameters are theirs
(``get_params``/``set_params``); the trained net is ``model_``. Their
defaults are for tables, as MLPRegressor's are: a weight penalty
(``weight_decay``) and early stopping on a held-out tenth of the rows. The
regressor fits one output per target column; the classifier one logit per
class with softmax cross-entropy (multiclass), or sigmoid outputs with
binary cross-entropy (binary: one; multi-label, a 0/1 indicator matrix: one
per label). They pass scikit-learn's estimator checks in float64
(tests/test_sklearn.py lists the two a float32 net cannot pass), and
benchmarks/tables.py measures them next to MLPRegressor and MLPClassifier on
scikit-learn's own tables. The only file of tinynet that imports
scikit-learn (>= 1.6, pip install "tinynet[sklearn]"); ``import tinynet``
never imports it.
"""

import numbers

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    from sklearn.utils.multiclass import check_classification_targets, type_of_target
    from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data
except ImportError as error:  # not installed (ModuleNotFoundError), or older than 1.6 (ImportError)
    raise type(error)('tinynet.sklearn needs scikit-learn >= 1.6: pip install "tinynet[sklearn]"') from error

from .checks import check_columns, float_dtype, non_negative_float
from .mlp import mlp
from .standardize import scaled_for_training, split_scaling
from .training import (
    DEFAULT_EPOCHS,
    DEFAULT_LR,
    DEFAULT_LR_DECAY,
    DEFAULT_PATIENCE,
    fit,
)

WEIGHT_DECAY = 0.01  # the estimators' default, measured: see _TinynetEstimator
VALIDATION_FRACTION = 0.1  # MLPRegressor's: the rows held out for early stopping


class _TinynetEstimator(BaseEstimator):
    """What both estimators share: the hyperparameters, building the net, training it.

    Args (each a hyperparameter, read by ``fit``, never changed by it):
        hidden_sizes: units of each hidden layer; the net is
            mlp([n_features, *hidden_sizes, n_outputs], activation).
        activation: "relu", "tanh", "sigmoid", "leaky_relu" or "identity".
        optimizer, lr, epochs, batch_size, lr_decay, patience: as in
            ``tinynet.fit`` (optimizer by name: "sgd", "adam" or "adamw"),
            with its defaults (Adam; lr 0.01 along a cosine
            to lr * lr_decay; at most 2000 full-batch epochs, fewer once the
            loss has settled; batch_size None is the full batch).
        weight_decay: the optimizer's weight decay (default 0.01): L2 for
            "sgd" and "adam" (each step adds weight_decay * w to w's
            gradient: the loss plus weight_decay / 2 * sum(w**2)), decoupled
            for "adamw". Tables need it: a net with more weights than rows
            fits their noise. 0.01 as measured by benchmarks/tables.py
            (5-fold, with early stopping): without it breast cancer's
            accuracy falls from 0.977 to 0.963 and digits' from 0.932 to
            0.912; 0.1 takes iris to 0.920 and digits to 0.827.
        early_stopping: hold out ``validation_fraction`` of the rows (of each
            class, for the classifier), train on the rest, keep the
            parameters of the epoch with the lowest loss on the held-out rows
            and stop once it has not fallen for ``patience`` epochs
            (``fit``'s ``restore_best``). Default True, as tables need; with
            False every row is trained on and training stops when the
            training loss settles, as in ``fit``.
        validation_fraction: the share of rows held out (default 0.1); at
            least one row is, and every class keeps a row to train on.
        init: weight initialisation, as in ``mlp``.
        standardize: put the scaling in the net (Standardize first, and for
            the regressor Unstandardize last): inputs, and the regressor's
            targets, are standardised for training while ``model_`` takes and
            gives the data's own units.
        dtype: "float64" or "float32", the dtype the net computes in.
        random_state: tinynet's seed, for mlp's weights, the held-out rows
            and fit's shuffling: an int (the default 0: every fit repeats),
            None (fresh each fit), or a numpy Generator or RandomState to
            draw from.

    Fitted attributes: ``model_`` (the tinynet Sequential), ``loss_curve_``
    (the training loss of each epoch, in the standardised units when
    ``standardize``), ``validation_loss_`` (the held-out rows' loss of each
    epoch; empty without early stopping), ``best_epoch_`` (the epoch whose
    parameters ``model_`` holds; None without early stopping), ``n_iter_``
    (epochs run), ``n_features_in_`` (and ``feature_names_in_`` when X has
    column names).

    ``fit`` raises ``tinynet.TrainingDiverged`` (scikit-learn's convention:
    a fit that fails raises) where ``tinynet.fit`` does: a loss that ended
    not finite, or above its start and over twice that of always predicting
    the mean (``tinynet.training.divergence``). No fitted attribute is set
    then, so the estimator never predicts from a net worse than a constant.
    """

    def __init__(self, hidden_sizes=(32, 32), activation="relu", *, optimizer="adam", lr=DEFAULT_LR,
                 epochs=DEFAULT_EPOCHS, batch_size=None, lr_decay=DEFAULT_LR_DECAY, patience=DEFAULT_PATIENCE,
                 weight_decay=WEIGHT_DECAY, early_stopping=True, validation_fraction=VALIDATION_FRACTION,
                 init="uniform", standardize=True, dtype="float64", random_state=0):
        # scikit-learn's rule: keep every argument as given, under its own name; fit reads them
        self.hidden_sizes, self.activation, self.optimizer, self.lr = hidden_sizes, activation, optimizer, lr
        self.epochs, self.batch_size, self.lr_decay, self.patience = epochs, batch_size, lr_decay, patience
        self.weight_decay, self.early_stopping = weight_decay, early_stopping
        self.validation_fraction = validation_fraction
        self.init, self.standardize, self.dtype, self.random_state = init, standardize, dtype, random_state

    def _train(self, X: np.ndarray, Y: np.ndarray, *, loss: str, output_activation: str, scale_targets: bool,
               outputs: int | None = None, classes: np.ndarray | None = None):
        """Build the net for X (N, features) -> Y (N, outputs), train it, set the fitted attributes.

        ``outputs`` is the net's width when it differs from Y's (K logits for
        one column of labels); ``classes`` (N,) the class of each row, so
        that each class gives the held-out rows its share.
        """
        seed = self._seed()
        if isinstance(self.hidden_sizes, numbers.Integral):
            raise TypeError(f"hidden_sizes must be a tuple of layer sizes, like (32, 32) or (8,), "
                            f"got {self.hidden_sizes!r}")
        weight_decay = non_negative_float(self.weight_decay, "weight_decay")
        # what tinynet train refuses, refused here in the same words: a column the scaling cannot hold
        check_columns(X, "X", X.dtype, names=getattr(self, "feature_names_in_", None), standardize=self.standardize)
        check_columns(Y, "y", X.dtype, standardize=self.standardize and scale_targets)
        validation = None
        if self.early_stopping:
            rng = np.random.default_rng(seed)
            kept, held_out = held_out_rows(len(X), self.validation_fraction, classes, rng)
            X, Y, validation = X[kept], Y[kept], (X[held_out], Y[held_out])
        sizes = [X.shape[1], *self.hidden_sizes, outputs or Y.shape[1]]
        net = mlp(sizes, self.activation, output_activation=output_activation, init=self.init, seed=seed,
                  dtype=X.dtype)
        model, X, Y = scaled_for_training(net, X, Y, standardize=self.standardize, targets=scale_targets)
        if validation is not None:
            validation = split_scaling(model, *validation)[1:]  # in the units the net is trained in
        # by name only (an Optimizer instance would have been built before the net it must train): fit builds it,
        # Adam's memory shortened mid-training as fit's own is
        history = fit(net, X, Y, loss=loss, optimizer=self.optimizer, weight_decay=weight_decay, lr=self.lr,
                      epochs=self.epochs, batch_size=self.batch_size, lr_decay=self.lr_decay, patience=self.patience,
                      seed=seed, validation=validation, restore_best=validation is not None)
        self.model_ = model
        self.loss_curve_ = history.loss
        self.validation_loss_ = history.val_loss
        self.best_epoch_ = history.best_epoch
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


def held_out_rows(n: int, fraction, classes: np.ndarray | None, rng: np.random.Generator):
    """(kept, held_out): the indices of the rows to train on and of those held out for early stopping.

    Of each class (for a regressor, of all n rows) round(fraction * count)
    rows are held out at random, never a class's last row, so every class is
    trained on; at least one row in all. ``classes``: (n,) or None.

    >>> held_out_rows(10, 0.2, None, np.random.default_rng(0))
    (array([0, 1, 2, 3, 5, 7, 8, 9]), array([4, 6]))
    """
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real) or not 0 < fraction < 1:
        raise ValueError(f"validation_fraction must be a number in (0, 1), got {fraction!r}")
    classes = np.zeros(n, dtype=int) if classes is None else classes
    held = [np.empty(0, dtype=int)]
    for label in np.unique(classes):
        rows = rng.permutation(np.flatnonzero(classes == label))
        held.append(rows[:min(round(fraction * len(rows)), len(rows) - 1)])
    held = np.concatenate(held)
    if held.size == 0:  # too few rows for the fraction: hold out one row of the largest class
        labels, counts = np.unique(classes, return_counts=True)
        if counts.max() < 2:
            rows = "1 sample" if n == 1 else f"{n} samples, one of each class"
            raise ValueError(f"early_stopping holds out rows to validate on and needs a row of each class left to "
                             f"train on, got {rows}: give more rows or set early_stopping=False")
        held = rng.choice(np.flatnonzero(classes == labels[counts.argmax()]), 1)
    return np.setdiff1d(np.arange(n), held), np.sort(held)


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
    """A tinynet MLP as a scikit-learn classifier: softmax cross-entropy over classes, or sigmoid outputs.

    Multiclass (K > 2 classes): K outputs, one logit per class, trained with
    softmax cross-entropy (``CrossEntropyLoss``); predict_proba is their
    softmax and predict the class of the largest. ``model_`` gives the
    logits. Binary: one sigmoid output p = P(classes_[1]) with binary
    cross-entropy. Multi-label (y a 0/1 indicator matrix): one sigmoid output
    per label, each trained against the rest and predicted where p > 0.5;
    ``classes_`` is 0 ... labels - 1. Arguments: see ``_TinynetEstimator``.

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
            return self._train(X, y.astype(X.dtype), loss="bce", output_activation="sigmoid",  # (N, labels) of 0, 1
                               scale_targets=False)
        y = column_or_1d(y, warn=True)  # a column (N, 1) is one label per sample
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"y must hold at least 2 classes to tell apart, got only one class: {self.classes_.tolist()[0]!r}")
        labels = codes.reshape(-1, 1).astype(X.dtype)  # (N, 1): 0 ... K - 1
        if len(self.classes_) == 2:  # one output, P(classes_[1])
            return self._train(X, labels, loss="bce", output_activation="sigmoid", scale_targets=False,
                               classes=codes)
        return self._train(X, labels, loss="ce", output_activation="identity", scale_targets=False,
                           outputs=len(self.classes_), classes=codes)

    def predict_proba(self, X) -> np.ndarray:
        """Binary and multiclass: (N, classes), rows summing to 1. Multi-label: (N, labels), each P(label)."""
        outputs = self._outputs(X)
        if len(self.classes_) > 2 and not self._multilabel:  # K logits: their softmax
            z = np.exp(outputs - outputs.max(axis=1, keepdims=True))  # shifted by the row's max: exp cannot overflow
            return z / z.sum(axis=1, keepdims=True)
        # the clip BCELoss applies in training: a sigmoid is never exactly 0 or 1, though float64 rounds it to 1 above x ~ 37
        eps = np.finfo(outputs.dtype).eps
        p = np.clip(outputs, eps, 1 - eps)
        return p if self._multilabel else np.hstack([1 - p, p])  # binary: (N, 2)

    def predict(self, X) -> np.ndarray:
        proba = self.predict_proba(X)
        if self._multilabel:
            return (proba > 0.5).astype(self._label_dtype)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
