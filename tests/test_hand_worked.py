"""One forward and backward pass of a tiny network, worked out by hand.

The net is Linear(2, 2) -> ReLU -> Linear(2, 1) with MSELoss, on two
samples. Every weight and input is a multiple of a power of two, so every
intermediate value is exact in float64 and the test can compare with ==:
if a formula in the engine is off, no rounding hides it.

Notation: X is (2, 2), one row per sample; W1 (2, 2), b1 (2,); W2 (2, 1), b2 (1,).
"""

import numpy as np

from tinynet import SGD, Linear, MSELoss, ReLU, Sequential


def build_net():
    first, second = Linear(2, 2), Linear(2, 1)
    first.weight.data[...] = [[0.5, -0.25],
                              [0.25, 0.5]]
    first.bias.data[...] = [0.0, 0.25]
    second.weight.data[...] = [[0.5],
                               [-0.5]]
    second.bias.data[...] = [0.25]
    return Sequential(first, ReLU(), second)


X = np.array([[1.0, 2.0],
              [2.0, -1.0]])
y = np.array([[1.0],
              [0.0]])


def test_forward_values():
    net = build_net()
    first, relu, second = net.layers

    # z1 = X @ W1 + b1
    #   sample 1: [1*0.5 + 2*0.25,  1*(-0.25) + 2*0.5] + [0, 0.25] = [1.0, 0.75] + [0, 0.25] = [1.0, 1.0]
    #   sample 2: [2*0.5 + (-1)*0.25,  2*(-0.25) + (-1)*0.5] + [0, 0.25] = [0.75, -1.0] + [0, 0.25] = [0.75, -0.75]
    z1 = first(X)
    np.testing.assert_array_equal(z1, [[1.0, 1.0],
                                       [0.75, -0.75]])

    # h = relu(z1): only the second unit of sample 2 is negative, so only it is zeroed.
    h = relu(z1)
    np.testing.assert_array_equal(h, [[1.0, 1.0],
                                      [0.75, 0.0]])

    # out = h @ W2 + b2
    #   sample 1: 1*0.5 + 1*(-0.5) + 0.25 = 0.25
    #   sample 2: 0.75*0.5 + 0*(-0.5) + 0.25 = 0.375 + 0.25 = 0.625
    out = second(h)
    np.testing.assert_array_equal(out, [[0.25],
                                        [0.625]])

    # L = mean((out - y)**2) = ((0.25 - 1)**2 + (0.625 - 0)**2) / 2
    #   = (0.5625 + 0.390625) / 2 = 0.953125 / 2 = 0.4765625
    assert MSELoss()(out, y) == 0.4765625
    np.testing.assert_array_equal(net(X), out)


def test_every_gradient():
    net = build_net()
    first, _, second = net.layers
    loss = MSELoss()
    loss(net(X), y)

    # dL/dout = 2 * (out - y) / N = 2 * [[0.25 - 1], [0.625 - 0]] / 2 = [[-0.75], [0.625]]
    grad_out = loss.backward()
    np.testing.assert_array_equal(grad_out, [[-0.75],
                                             [0.625]])

    grad_X = net.backward(grad_out)

    # dL/dW2 = h.T @ dL/dout
    #   row 1 (unit 1 of h = [1, 0.75]): 1*(-0.75) + 0.75*0.625 = -0.75 + 0.46875 = -0.28125
    #   row 2 (unit 2 of h = [1, 0]):    1*(-0.75) + 0*0.625     = -0.75
    np.testing.assert_array_equal(second.weight.grad, [[-0.28125],
                                                       [-0.75]])
    # dL/db2 = sum over samples of dL/dout = -0.75 + 0.625 = -0.125
    np.testing.assert_array_equal(second.bias.grad, [-0.125])

    # dL/dh = dL/dout @ W2.T = [[-0.75*0.5, -0.75*(-0.5)], [0.625*0.5, 0.625*(-0.5)]]
    #       = [[-0.375, 0.375], [0.3125, -0.3125]]
    # dL/dz1 = dL/dh * (z1 > 0), mask [[1, 1], [1, 0]]
    #        = [[-0.375, 0.375], [0.3125, 0]]
    #
    # dL/dW1 = X.T @ dL/dz1
    #   row 1 (feature 1 = [1, 2]):  [1*(-0.375) + 2*0.3125,  1*0.375 + 2*0]    = [0.25, 0.375]
    #   row 2 (feature 2 = [2, -1]): [2*(-0.375) + (-1)*0.3125,  2*0.375 + (-1)*0] = [-1.0625, 0.75]
    np.testing.assert_array_equal(first.weight.grad, [[0.25, 0.375],
                                                      [-1.0625, 0.75]])
    # dL/db1 = sum over samples of dL/dz1 = [-0.375 + 0.3125, 0.375 + 0] = [-0.0625, 0.375]
    np.testing.assert_array_equal(first.bias.grad, [-0.0625, 0.375])

    # dL/dX = dL/dz1 @ W1.T, with W1.T = [[0.5, 0.25], [-0.25, 0.5]]
    #   sample 1: [-0.375*0.5 + 0.375*(-0.25),  -0.375*0.25 + 0.375*0.5] = [-0.28125, 0.09375]
    #   sample 2: [0.3125*0.5 + 0*(-0.25),  0.3125*0.25 + 0*0.5]          = [0.15625, 0.078125]
    np.testing.assert_array_equal(grad_X, [[-0.28125, 0.09375],
                                           [0.15625, 0.078125]])


def test_one_sgd_step_from_these_gradients():
    net = build_net()
    first, _, second = net.layers
    opt = SGD(net.parameters(), lr=0.5)
    loss = MSELoss()
    loss(net(X), y)
    opt.zero_grad()
    net.backward(loss.backward())
    opt.step()

    # W <- W - 0.5 * dL/dW, with the gradients of test_every_gradient:
    #   W1: [[0.5 - 0.5*0.25, -0.25 - 0.5*0.375], [0.25 - 0.5*(-1.0625), 0.5 - 0.5*0.75]]
    #     = [[0.375, -0.4375], [0.78125, 0.125]]
    #   b1: [0 - 0.5*(-0.0625), 0.25 - 0.5*0.375] = [0.03125, 0.0625]
    #   W2: [[0.5 - 0.5*(-0.28125)], [-0.5 - 0.5*(-0.75)]] = [[0.640625], [-0.125]]
    #   b2: [0.25 - 0.5*(-0.125)] = [0.3125]
    np.testing.assert_array_equal(first.weight.data, [[0.375, -0.4375],
                                                      [0.78125, 0.125]])
    np.testing.assert_array_equal(first.bias.data, [0.03125, 0.0625])
    np.testing.assert_array_equal(second.weight.data, [[0.640625],
                                                       [-0.125]])
    np.testing.assert_array_equal(second.bias.data, [0.3125])

    # The step lowers the loss:
    #   z1 = [[1*0.375 + 2*0.78125 + 0.03125,  1*(-0.4375) + 2*0.125 + 0.0625],
    #         [2*0.375 + (-1)*0.78125 + 0.03125,  2*(-0.4375) + (-1)*0.125 + 0.0625]]
    #      = [[1.96875, -0.125], [0.0, -0.9375]]
    #   h = relu(z1) = [[1.96875, 0], [0, 0]]  (relu(0) = 0)
    #   out = [[1.96875*0.640625 + 0*(-0.125) + 0.3125], [0.3125]] = [[1.26123046875 + 0.3125], [0.3125]]
    #       = [[1.57373046875], [0.3125]]
    #   L = ((1.57373046875 - 1)**2 + (0.3125 - 0)**2) / 2 = (0.57373046875**2 + 0.09765625) / 2
    #     = (0.3291666507720947265625 + 0.09765625) / 2 = 0.21341145038604736328125 < 0.4765625
    np.testing.assert_array_equal(net(X), [[1.57373046875],
                                           [0.3125]])
    assert MSELoss()(net(X), y) == 0.21341145038604736328125
