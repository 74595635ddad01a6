"""One step of training, data -> network -> loss -> gradients -> optimizer, in the five lines every
framework's loop is made of. ``tinynet.fit`` repeats it over mini-batches and epochs (``tinynet.training``)."""

import numpy as np


def train_step(model, loss_fn, optimizer, X: np.ndarray, y: np.ndarray) -> float:  # exercise: train-step
    """One step of gradient descent on the batch (X, y); returns the loss before the update.

    Shape: X (N, in_features), y (N, out_features).

    >>> model = Sequential(Linear.from_weights([[0.0]], [0.0]))
    >>> X, y = np.array([[1.0], [2.0]]), np.array([[2.0], [4.0]])
    >>> train_step(model, MSELoss(), SGD(model.parameters(), lr=0.1), X, y)    # (4 + 16) / 2
    10.0
    """
    prediction = model(X)                  # 1. forward: data -> network
    loss = loss_fn(prediction, y)          # 2. loss: how wrong
    optimizer.zero_grad()                  # 3. forget the last step's gradients
    model.backward(loss_fn.backward())     # 4. backward: dL/d(every parameter)
    optimizer.step()                       # 5. update: parameters move against the gradient
    return loss
