"""The engine: what to read to learn backpropagation, in this order.

parameter (an array and its gradient), module (forward and backward), linear
(y = x @ W + b, the only layer with parameters), activations (and registry,
the table of them by name), sequential (backprop as a loop in reverse),
losses, flat (one vector for all parameters), optim (SGD, Adam), schedule
(the learning rate over training), history, train (the loop); then mlp and
init (building a net), standardize (scaling kept inside a model), gradcheck
(backward against finite differences) and validate (checks at the edges).
Everything a learner calls is importable from ``tinynet`` itself.
"""
