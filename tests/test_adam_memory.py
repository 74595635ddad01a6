"""fit's Adam: its memory of squared gradients (beta2) is shortened in the middle of the schedule only.

Why: the comment on tinynet.training.adam_beta2. tests/test_peers.py holds
the fit it buys (|x| with a 1-16-1 ReLU net against PyTorch and
scikit-learn), tests/test_settle.py that training still settles.
"""

import numpy as np
import pytest

import tinynet
from tinynet import fast, training
from tinynet.training import adam_beta2, cosine_lr


def test_the_memory_is_long_at_both_ends_and_shortest_at_a_fifth_of_the_rate():
    assert adam_beta2(1.0) == adam_beta2(0.5) == adam_beta2(0.05) == adam_beta2(0.01) == 0.999
    assert adam_beta2(0.2) == pytest.approx(0.9)
    rates = np.linspace(0.01, 1.0, 500)
    betas = np.array([adam_beta2(r) for r in rates])
    assert betas.min() == pytest.approx(0.9, abs=1e-3) and betas.max() == 0.999
    assert np.all(np.abs(np.diff(betas)) < 0.01)  # no jumps: it falls and rises linearly


def test_fit_sets_the_beta2_of_the_adam_it_builds_every_epoch_once_it_has_a_memory(monkeypatch):
    built, seen, make = [], [], training.make_optimizer

    def spied(*args, **kwargs):
        built.append(make(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(training, "make_optimizer", spied)
    X, y = tinynet.make_dataset("sin", 64)
    for name in ("adam", "adamw"):
        seen.clear()
        tinynet.fit(tinynet.mlp([1, 4, 1]), X, y, optimizer=name, epochs=2000, patience=None,
                    callback=lambda epoch, loss: seen.append(built[-1].beta2))
        # full batch: before epoch e's step Adam has taken e - 1; it forgets nothing before 1000 of them
        expected = [adam_beta2(cosine_lr(0.01, 0.01, epoch, 2000) / 0.01) if epoch > 1000 else 0.999
                    for epoch in range(1, 2001)]
        np.testing.assert_allclose(seen, expected, rtol=0, atol=1e-15)
        assert min(seen) < 0.91 and seen[0] == seen[-1] == 0.999


def test_a_short_run_keeps_the_long_memory_and_one_row_does_not_blow_up(monkeypatch):
    built, make = [], training.make_optimizer
    monkeypatch.setattr(training, "make_optimizer", lambda *a, **k: built.append(make(*a, **k)) or built[-1])
    seen = []
    X, y = np.array([[1.0]]), np.array([[2.0]])  # five epochs pass the whole schedule: a switch at step 3 was 18x
    history = tinynet.fit(tinynet.mlp([1, 8, 1], "identity"), X, y, epochs=5,
                          callback=lambda epoch, loss: seen.append(built[-1].beta2))
    assert seen == [0.999] * 5
    assert history.final_loss < history.loss[0]


def test_an_adam_built_by_the_caller_keeps_its_own_beta2():
    X, y = tinynet.make_dataset("sin", 64)
    net = tinynet.mlp([1, 4, 1])
    opt = fast.Adam(net.parameters(), lr=0.01, betas=(0.9, 0.995))
    seen = []
    tinynet.fit(net, X, y, optimizer=opt, epochs=100, patience=None, callback=lambda e, loss: seen.append(opt.beta2))
    assert set(seen) == {0.995}
