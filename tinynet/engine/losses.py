"""Losses: a number saying how wrong the predictions are, and its gradient.

A loss is a Module whose ``forward(prediction, target)`` returns the loss as
a float and saves what ``backward()`` needs; ``backward()`` returns
dL/d(prediction), where the network's backward starts. The output
activation's backward does the rest, so each derivative reads on its own
(torch fuses sigmoid and BCE into BCEWithLogitsLoss, whose gradient is
simply s - target). Reference: Nielsen, "Neural Networks and Deep Learning", ch. 3.
"""

import numpy as np

from .module import Module


class MSELoss(Module):
    """Mean squared error: L = mean((prediction - target)**2), over all N * D elements.

    Shape: prediction (N, D), target (N, D) -> L: float.
    Backward: dL/d(prediction) = 2 * (prediction - target) / (N * D), shape (N, D).

    >>> loss = MSELoss()
    >>> loss(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]])), loss.backward()   # (1 + 9) / 2; 2 * (p - t) / 2
    (5.0, array([[1.],
           [3.]]))
    """

    def forward(self, prediction: np.ndarray, target: np.ndarray) -> float:
        self.diff = prediction - target
        return float(np.mean(self.diff**2))

    def backward(self) -> np.ndarray:  # exercise: mse-backward
        return 2 * self.diff / self.diff.size



class BCELoss(Module):
    """Binary cross-entropy of probabilities p (a Sigmoid's output) against 0/1 targets:

        L = -mean(target * log(p) + (1 - target) * log(1 - p)), over all N * D elements.

    Shape: p (N, D) in [0, 1], target (N, D) -> L: float.
    Backward: dL/dp = (p - target) / (p * (1 - p)) / (N * D), shape (N, D).
    p is clipped to [eps, 1 - eps] first, so a p of exactly 0 or 1 gives a
    large, finite loss and gradient instead of inf and NaN.

    >>> round(BCELoss()(np.array([[0.5]]), np.array([[1.0]])), 4)    # -log(0.5)
    0.6931
    """

    def forward(self, prediction: np.ndarray, target: np.ndarray) -> float:
        eps = np.finfo(prediction.dtype).eps
        self.p, self.target = np.clip(prediction, eps, 1 - eps), target
        return -float(np.mean(target * np.log(self.p) + (1 - target) * np.log(1 - self.p)))

    def backward(self) -> np.ndarray:  # exercise: bce-backward
        p = self.p
        return (p - self.target) / (p * (1 - p)) / p.size


class CrossEntropyLoss(Module):
    """Softmax cross-entropy over K classes, from the logits z (the last Linear's output) and integer labels:

        p = softmax(z) = exp(z) / exp(z).sum(axis=1)        each row a probability over the K classes
        L = -mean(log p[n, label[n]]), over the N samples

    Shape: z (N, K), labels (N, 1) holding 0 ... K - 1 -> L: float.
    Backward: dL/dz = (p - onehot(labels)) / N, (N, K): softmax and log cancel to this, so the loss takes
    logits (as torch's CrossEntropyLoss does).

    >>> round(CrossEntropyLoss()(np.array([[0.0, 0.0]]), np.array([[1]])), 4)    # -log(1 / 2)
    0.6931
    """

    def forward(self, prediction: np.ndarray, target: np.ndarray) -> float:
        z = prediction - prediction.max(axis=1, keepdims=True)  # the same softmax, and exp cannot overflow
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        self.p, self.labels = np.exp(log_p), target[:, 0].astype(int)
        return -float(np.mean(log_p[np.arange(len(z)), self.labels]))

    def backward(self) -> np.ndarray:
        grad = self.p.copy()
        grad[np.arange(len(grad)), self.labels] -= 1  # p - onehot(labels)
        return grad / len(grad)

