"""SGD and Adam against their formulas, computed by hand, step by step.

The expected values follow torch.optim's definitions (torch itself is not
needed to run the tests):

    SGD:   buf = momentum * buf + grad          (buf starts at 0)
           p   = p - lr * buf
    Adam:  m = b1 * m + (1 - b1) * grad
           v = b2 * v + (1 - b2) * grad**2
           p = p - lr / (1 - b1**t) * m / (sqrt(v) / sqrt(1 - b2**t) + eps)
"""

import math

import numpy as np
import pytest

from tinynet import SGD, Adam, Linear, MSELoss, Parameter, fast, mlp

# Two parameters of different shapes, so the optimizer has to keep its state
# aligned with a list, not with one array.
START = ([1.0, -2.0], [[0.5, 0.0], [-1.5, 3.0]])
GRAD_1 = ([0.5, -0.25], [[0.1, 0.0], [-2.0, 0.75]])
GRAD_2 = ([0.1, 0.3], [[-0.4, 1.0], [-2.0, 0.0]])


def make_params():
    return [Parameter(np.array(value, dtype=np.float64)) for value in START]


def set_grads(params, grads):
    # Write into .grad in place: the optimizer reads the arrays the layers add into.
    for p, g in zip(params, grads):
        p.grad[...] = g


def flat(values):
    return [x for value in values for x in np.ravel(value).tolist()]


def current(params):
    return flat([p.data for p in params])


def state(opt, name):
    """An optimizer's state (one flat vector or one array per parameter) as one flat list."""
    value = getattr(opt, name)
    return flat(value if isinstance(value, (list, tuple)) else [value])


def test_sgd_without_momentum_is_p_minus_lr_grad():
    params = make_params()
    opt = SGD(params, lr=0.1)
    set_grads(params, GRAD_1)
    opt.step()
    expected = [p - 0.1 * g for p, g in zip(flat(START), flat(GRAD_1))]
    np.testing.assert_allclose(current(params), expected, rtol=0, atol=1e-12)


def test_sgd_with_momentum_two_steps_by_hand():
    lr, momentum = 0.1, 0.9
    params = make_params()
    opt = SGD(params, lr=lr, momentum=momentum)

    set_grads(params, GRAD_1)
    opt.step()
    # Step 1: buf = 0.9 * 0 + g1 = g1, so the step is plain SGD.
    # For the first entry: buf = 0.5, p = 1.0 - 0.1 * 0.5 = 0.95
    buf = flat(GRAD_1)
    p = [p0 - lr * b for p0, b in zip(flat(START), buf)]
    assert p[0] == pytest.approx(0.95, abs=1e-15)
    np.testing.assert_allclose(current(params), p, rtol=0, atol=1e-12)

    set_grads(params, GRAD_2)
    opt.step()
    # Step 2: buf = 0.9 * g1 + g2; the first entry: 0.9 * 0.5 + 0.1 = 0.55,
    # p = 0.95 - 0.1 * 0.55 = 0.895. Without momentum it would be 0.95 - 0.01 = 0.94.
    buf = [momentum * b + g for b, g in zip(buf, flat(GRAD_2))]
    p = [pi - lr * b for pi, b in zip(p, buf)]
    assert p[0] == pytest.approx(0.895, abs=1e-15)
    np.testing.assert_allclose(current(params), p, rtol=0, atol=1e-12)


def test_adam_two_steps_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    params = make_params()
    opt = Adam(params, lr=lr, betas=(b1, b2), eps=eps)
    p = flat(START)
    m = [0.0] * len(p)
    v = [0.0] * len(p)
    for t, grads in enumerate([GRAD_1, GRAD_2], start=1):
        set_grads(params, grads)
        opt.step()
        g = flat(grads)
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        step_size = lr / (1 - b1**t)
        p = [pi - step_size * mi / (math.sqrt(vi) / math.sqrt(1 - b2**t) + eps)
             for pi, mi, vi in zip(p, m, v)]
        np.testing.assert_allclose(current(params), p, rtol=0, atol=1e-12)

    # At t = 1 the bias correction makes every step lr * sign(grad) (up to eps):
    # m_hat = g, v_hat = g**2, so m_hat / sqrt(v_hat) = +-1. An entry whose
    # gradient was 0 did not move at all.
    params = make_params()
    opt = Adam(params, lr=lr, betas=(b1, b2), eps=eps)
    set_grads(params, GRAD_1)
    opt.step()
    moved = np.subtract(current(params), flat(START))
    signs = -np.sign(flat(GRAD_1))
    np.testing.assert_allclose(moved, lr * signs, rtol=0, atol=1e-6)
    assert moved[3] == 0.0  # GRAD_1[1][0][1] == 0


def test_adam_state_matches_the_moment_formulas():
    b1, b2 = 0.9, 0.999
    params = make_params()
    opt = Adam(params, lr=0.01, betas=(b1, b2))
    set_grads(params, GRAD_1)
    opt.step()
    set_grads(params, GRAD_2)
    opt.step()
    g1, g2 = np.array(flat(GRAD_1)), np.array(flat(GRAD_2))
    np.testing.assert_allclose(state(opt, "m"), b1 * (1 - b1) * g1 + (1 - b1) * g2, rtol=0, atol=1e-15)
    np.testing.assert_allclose(state(opt, "v"), b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2, rtol=0, atol=1e-15)


def test_step_updates_data_in_place():
    # Every reference to a parameter's array (held after the optimizer was
    # built) must see the update.
    for make in (lambda ps: SGD(ps, lr=0.1, momentum=0.5), lambda ps: Adam(ps, lr=0.1)):
        params = make_params()
        opt = make(params)
        held = [p.data for p in params]
        before = [a.copy() for a in held]
        set_grads(params, GRAD_1)
        opt.step()
        for p, a, b in zip(params, held, before):
            assert p.data is a
            assert not np.array_equal(a, b)


def test_grads_accumulate_and_optimizer_zero_grad_resets_them():
    rng = np.random.default_rng(0)
    model = mlp([3, 4, 2], "tanh", seed=1)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    opt = SGD(model.parameters(), lr=0.5)
    loss = MSELoss()

    loss(model(X), y)
    model.backward(loss.backward())
    once = [p.grad.copy() for p in model.parameters()]
    assert all(np.any(g != 0) for g in once)
    model.backward(loss.backward())
    for p, g in zip(model.parameters(), once):
        np.testing.assert_array_equal(p.grad, 2 * g)

    opt.zero_grad()
    for p in model.parameters():
        assert not np.any(p.grad)

    # After zero_grad the next backward writes into gradients the optimizer
    # still reads: the step is exactly data - lr * (one backward's gradient).
    model.backward(loss.backward())
    before = [p.data.copy() for p in model.parameters()]
    opt.step()
    for p, b, g in zip(model.parameters(), before, once):
        np.testing.assert_array_equal(p.data, b - 0.5 * g)


@pytest.mark.parametrize("make, state_names", [
    (lambda ps: SGD(ps, lr=0.1), []),
    (lambda ps: SGD(ps, lr=0.1, momentum=0.9), ["velocity"]),
    (lambda ps: Adam(ps, lr=0.1), ["m", "v"]),
], ids=["sgd", "sgd-momentum", "adam"])
def test_float32_parameters_and_state_stay_float32(make, state_names):
    model = mlp([2, 3, 1], "relu", dtype=np.float32)
    opt = make(model.parameters())
    X = np.ones((4, 2), dtype=np.float32)
    y = np.zeros((4, 1), dtype=np.float32)
    loss = MSELoss()
    for _ in range(2):
        loss(model(X), y)
        opt.zero_grad()
        model.backward(loss.backward())
        opt.step()
    for p in model.parameters():
        assert p.data.dtype == np.float32
        assert p.grad.dtype == np.float32
    for name in state_names:
        value = getattr(opt, name)
        arrays = value if isinstance(value, (list, tuple)) else [value]
        assert all(a.dtype == np.float32 for a in arrays), name


@pytest.mark.parametrize("make, fragment", [
    (lambda ps: fast.SGD(ps, lr=0), "lr must be"),
    (lambda ps: fast.SGD(ps, lr=-0.1), "lr must be"),
    (lambda ps: fast.SGD(ps, lr=0.1, momentum=1.0), "momentum"),
    (lambda ps: fast.Adam(ps, lr=-1), "lr must be"),
    (lambda ps: fast.Adam(ps, betas=(0.9, 1.0)), "betas"),
    (lambda ps: fast.Adam(ps, betas=0.9), "betas"),
    (lambda _: fast.SGD([], lr=0.1), "at least one parameter"),
])
def test_bad_arguments_are_refused(make, fragment):
    # checked by the optimizers fit and the command line build (tinynet.fast): the engine's compute only
    with pytest.raises(ValueError, match=fragment):
        make(Linear(2, 2).parameters())


def test_an_optimizer_on_part_of_a_model_still_steps_after_another_is_built():
    model = mlp([2, 3, 1], "relu", seed=0)
    head = SGD(model[2].parameters(), lr=0.1)
    Adam(model.parameters())  # nothing is moved: both update the parameters' own arrays
    before = model[2].weight.data.copy()
    model[2].weight.grad[...] = 1.0
    head.step()
    np.testing.assert_allclose(model[2].weight.data, before - 0.1)


def test_two_optimizers_on_the_same_list_share_it():
    model = mlp([2, 3, 1], "relu", seed=0)
    first = fast.SGD(model.parameters(), lr=0.1)
    second = fast.Adam(model.parameters())
    assert first.data is second.data
    first.step()
    second.step()
