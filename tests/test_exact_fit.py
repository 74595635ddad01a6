"""fit's Adam (beta2 0.99) and its stop at an exact fit.

With beta2 0.99 Adam's steps stay near lr however small the gradient, so on
data a net fits exactly it bounces off the answer (an identity net on
y = 2x + 1 went from 1e-21 back up to 1e-12). fit stops once the loss is
below eps times the loss of always predicting the mean, with the
parameters that scored it. tests/test_settle.py checks every data set;
these are the quick checks of the rule itself.
"""

import numpy as np

from tinynet import fit, make_dataset, mlp
from tinynet.fast import MSELoss
from tinynet.training import make_optimizer, mean_loss


def test_fits_adam_forgets_old_gradients_in_about_a_hundred_epochs():
    params = mlp([1, 4, 1]).parameters()
    assert make_optimizer("adam", params).beta2 == 0.99
    assert make_optimizer("adamw", params).beta2 == 0.99
    assert make_optimizer("adam", params, lr=0.1).beta1 == 0.9


def test_an_exact_fit_stops_with_the_parameters_that_scored_it():
    X, y = make_dataset("linear")
    for seed in range(3):
        history = fit(mlp([1, 8, 8, 1], "identity", seed=seed), X, y, seed=seed)
        exact = mean_loss(MSELoss(), y) * np.finfo(np.float64).eps
        assert history.settled and history.epochs < 1000, (seed, history.epochs)
        assert history.final_loss <= exact, (seed, history.final_loss)
        # the update after the last measured loss is undone: the returned model scores exactly that loss
        assert history.final_loss == history.loss[-1] == min(history.loss)


def test_an_exact_fit_in_float32_stops_at_float32s_precision():
    X, y = make_dataset("linear")
    history = fit(mlp([1, 8, 1], "identity", seed=0, dtype=np.float32), X, y)
    assert history.settled and history.epochs < 1000
    assert history.final_loss <= mean_loss(MSELoss(), y) * np.finfo(np.float32).eps


def test_patience_off_trains_every_epoch_even_past_an_exact_fit():
    X, y = make_dataset("linear")
    history = fit(mlp([1, 8, 1], "identity", seed=0), X, y, epochs=900, patience=None)
    assert history.epochs == 900 and not history.settled
    assert min(history.loss) <= mean_loss(MSELoss(), y) * np.finfo(np.float64).eps  # it was exact, and went on


def test_a_net_that_cannot_fit_exactly_is_not_stopped_by_the_rule():
    X, y = make_dataset("sin")
    history = fit(mlp([1, 8, 1], "identity", seed=0), X, y)
    assert history.final_loss > 1e-3  # a line through sin: far from exact, stopped by the settle rule alone
    assert history.settled and history.epochs > 300
