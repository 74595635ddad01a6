"""accuracy: the share of rows a classifier gets right.

The loss is what training lowers; accuracy is what a reader asks ("does it
separate the classes?"). A net with a Sigmoid output gives a probability p
per row; its predicted class is 1 where p >= threshold, else 0. A net of K
outputs trained with softmax cross-entropy gives K logits per row; its
predicted class is the largest one's (argmax).
"""

import numpy as np

from ..checks import as_batch, check_same_length
from ..model import output_features
from ..training import predict


def accuracy(model, X, y, threshold: float = 0.5) -> float:
    """The share of rows whose predicted class, model(X) >= threshold, equals y.

    y holds the classes 0 and 1 (as 0.0 and 1.0, or integers, or booleans);
    for a model of K > 1 outputs and y of one column, the labels 0 ... K - 1,
    and the predicted class is the output's argmax.
    A row counts as right when every output column's class matches y's. For
    a model that outputs the logit, not a probability, use threshold=0.0.

    Shape: X (N, in_features), y (N, out_features) -> a float in [0, 1].

    >>> model = Sequential(Linear.from_weights([[1.0]], [0.0]), Sigmoid())  # class 1 where x >= 0
    >>> accuracy(model, [[-2.0], [1.0], [3.0], [-1.0]], [[0], [1], [0], [0]])
    0.75
    """
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be a finite number, got {threshold!r}")
    y = as_batch(y, "y")
    outputs = output_features(model)
    if outputs is not None and outputs > 1 and y.shape[1] == 1:  # K logits and one label per row
        labels = y[:, 0]
        if not np.isin(labels, np.arange(outputs)).all():
            raise ValueError(f"y must hold the labels 0 ... {outputs - 1}, one per row, got values such as "
                             f"{labels[~np.isin(labels, np.arange(outputs))][0]:g}")
        prediction = predict(model, X)
        check_same_length(prediction, y, "X", "y")
        return float((prediction.argmax(axis=1) == labels).mean())
    if outputs is not None and y.shape[1] != outputs:
        raise ValueError(f"y has {y.shape[1]} columns, but the model gives {outputs} output(s)")
    other = y[~np.isin(y, (0, 1))]
    if other.size:
        raise ValueError(f"y must hold the classes 0 and 1, got values such as {other[0]:g}")
    prediction = predict(model, X)
    check_same_length(prediction, y, "X", "y")
    predicted = prediction >= threshold
    return float((predicted == (y == 1)).all(axis=1).mean())
