"""Losses: a number saying how wrong the predictions are, and its gradient.

``forward(prediction, target)`` returns the loss as a float and saves what
``backward()`` needs; ``backward()`` returns dL/d(prediction), the array the
network's own backward starts from. Nothing more: the output activation's
backward does the rest, so the chain rule stays visible.

Limits: BCELoss takes probabilities, so a saturated Sigmoid output (s near 0
or 1 on the wrong side) passes back almost no gradient through s * (1 - s).
Libraries fuse the two for that reason (torch's BCEWithLogitsLoss, whose
gradient is simply s - target); tinynet keeps them apart so each derivative
can be read on its own. Reference: Nielsen, "Neural Networks and Deep
Learning", chapter 3 (the cross-entropy cost).
"""

import numpy as np


def _check_shapes(prediction: np.ndarray, target: np.ndarray) -> None:
    # numpy would broadcast (N, 1) against (N,) into an (N, N) matrix and
    # return a wrong loss without a word, so insist on equal shapes.
    if prediction.shape != target.shape:
        raise ValueError(
            f"prediction and target must have the same shape, got {prediction.shape} and {target.shape}"
            + (": reshape target with target.reshape(-1, 1)" if target.ndim == 1 else "")
        )


class MSELoss:
    """Mean squared error: L = mean((prediction - target)**2), over all elements.

    Shape: prediction (N, D), target (N, D) -> L: float.
    Backward: dL/d(prediction) = 2 * (prediction - target) / (N * D), shape (N, D).
    Caches the difference (prediction - target).

    >>> loss = MSELoss()
    >>> loss(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]])), loss.backward()   # (1 + 9) / 2; 2 * (p - t) / 2
    (5.0, array([[1.],
           [3.]]))
    """

    def __init__(self):
        self.diff = None

    def forward(self, prediction: np.ndarray, target: np.ndarray) -> float:
        _check_shapes(prediction, target)
        self.diff = prediction - target
        # vdot flattens and sums the squares in one call: the mean of diff**2
        # without building the squared array.
        return float(np.vdot(self.diff, self.diff)) / self.diff.size

    def backward(self) -> np.ndarray:
        if self.diff is None:
            raise RuntimeError("MSELoss.backward needs the difference saved by forward: call forward first")
        return self.diff * (2.0 / self.diff.size)

    def __call__(self, prediction: np.ndarray, target: np.ndarray) -> float:
        return self.forward(prediction, target)

    def __repr__(self) -> str:
        return "MSELoss()"


class BCELoss:
    """Binary cross-entropy for probabilities from a Sigmoid output:

        L = -mean(target * log(p) + (1 - target) * log(1 - p)), over all elements.

    Shape: prediction p (N, D) in [0, 1], target (N, D) in [0, 1] -> L: float.
    Backward: dL/dp = (p - target) / (p * (1 - p)) / (N * D), shape (N, D).

    p is clipped to [eps, 1 - eps] (eps = the dtype's machine epsilon) before
    the logs, so a prediction of exactly 0 or 1 gives a large but finite loss
    and gradient instead of inf and NaN. Caches the clipped p and the target.

    >>> round(BCELoss()(np.array([[0.5]]), np.array([[1.0]])), 4)    # -log(0.5)
    0.6931
    """

    def __init__(self):
        self.p = None
        self.target = None

    def forward(self, prediction: np.ndarray, target: np.ndarray) -> float:
        _check_shapes(prediction, target)
        eps = np.finfo(prediction.dtype).eps
        self.p = np.clip(prediction, eps, 1 - eps)
        self.target = target
        loss = target * np.log(self.p) + (1 - target) * np.log1p(-self.p)
        return -float(loss.mean())

    def backward(self) -> np.ndarray:
        if self.p is None:
            raise RuntimeError("BCELoss.backward needs the prediction saved by forward: call forward first")
        p, target = self.p, self.target
        return (p - target) / (p * (1 - p)) / p.size

    def __call__(self, prediction: np.ndarray, target: np.ndarray) -> float:
        return self.forward(prediction, target)

    def __repr__(self) -> str:
        return "BCELoss()"


LOSSES = {"mse": MSELoss, "bce": BCELoss}


def get_loss(name: str):
    """Return a new loss by name: "mse" or "bce"."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}: choose one of {', '.join(LOSSES)}")
    return LOSSES[name]()
