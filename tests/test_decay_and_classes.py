"""Weight decay (L2 in SGD and Adam, decoupled in AdamW) equal to torch.optim, and softmax cross-entropy.

Issue 22: the same net and data stepped 100 times by tinynet's optimizer and by torch's, in float64, end
with the same parameters to 1e-12, in the plain engine and in tinynet.fast alike.
"""

import numpy as np
import pytest

import tinynet
from tinynet import engine, fast

SETTINGS = {
    "sgd": ("SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}),
    "adam": ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    "adamw": ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
}


def plain_net(model):
    return engine.Sequential(*[engine.Linear.from_weights(layer.weight.data, layer.bias.data)
                               if isinstance(layer, engine.Linear) else engine.Tanh() for layer in model])


@pytest.mark.slow  # import torch takes seconds: the quick loop (-m "not slow") is the same without torch
@pytest.mark.parametrize("path", ["plain", "fast"])
@pytest.mark.parametrize("name", list(SETTINGS))
def test_weight_decay_equals_torch_after_100_steps(name, path):
    torch = pytest.importorskip("torch", reason="the comparison needs torch (the torch extra; CI installs it)")
    cls_name, settings = SETTINGS[name]
    model = tinynet.mlp([3, 8, 8, 2], "tanh", seed=0)
    if path == "plain":
        model = plain_net(model)
    theirs = tinynet.to_torch(model)
    module = engine if path == "plain" else fast
    ours_opt = getattr(module, cls_name)(model.parameters(), **settings)
    their_opt = getattr(torch.optim, cls_name)(theirs.parameters(), **settings)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(16, 3)), rng.normal(size=(16, 2))
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    step = engine.train_step if path == "plain" else fast.train_step
    for _ in range(100):
        step(model, engine.MSELoss(), ours_opt, X, y)
        their_opt.zero_grad()
        ((theirs(Xt) - yt) ** 2).mean().backward()
        their_opt.step()
    for ours, their in zip(model.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(ours.data, their.detach().numpy().T if ours.data.ndim == 2 else their.detach()
                                   .numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", list(SETTINGS))
def test_weight_decay_shrinks_weights_that_have_no_gradient(name):
    cls_name, settings = SETTINGS[name]
    p = engine.Parameter(np.array([2.0]))
    getattr(engine, cls_name)([p], **settings).step()  # grad 0: only the decay acts
    assert 0 < p.data[0] < 2.0


def test_weight_decay_zero_is_the_plain_update():
    p, q = engine.Parameter(np.array([1.0, 2.0])), engine.Parameter(np.array([1.0, 2.0]))
    p.grad[...] = q.grad[...] = [0.5, -1.0]
    engine.Adam([p], lr=0.1).step()
    engine.Adam([q], lr=0.1, weight_decay=0.0).step()
    np.testing.assert_array_equal(p.data, q.data)


def test_cross_entropy_is_minus_the_mean_log_probability_of_the_label():
    z = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    labels = np.array([[0], [2]])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    expected = -(np.log(p[0, 0]) + np.log(p[1, 2])) / 2
    loss = engine.CrossEntropyLoss()
    assert loss(z, labels) == pytest.approx(expected, rel=1e-15)
    grad = p.copy()
    grad[0, 0] -= 1
    grad[1, 2] -= 1
    np.testing.assert_allclose(loss.backward(), grad / 2, rtol=1e-15)


def test_cross_entropy_backward_agrees_with_central_differences():
    rng = np.random.default_rng(0)
    model = tinynet.mlp([2, 6, 3], "tanh", seed=1)
    X, labels = rng.normal(size=(9, 2)), rng.integers(0, 3, size=(9, 1)).astype(float)
    assert tinynet.gradcheck(model, X, labels, loss=engine.CrossEntropyLoss()) < 1e-7


def test_cross_entropy_does_not_overflow_on_large_logits():
    loss = engine.CrossEntropyLoss()
    value = loss(np.array([[1000.0, 0.0], [0.0, -1000.0]]), np.array([[0], [1]]))
    assert np.isfinite(value) and value == pytest.approx(500.0)
    assert np.isfinite(loss.backward()).all()


@pytest.mark.slow  # import torch
def test_cross_entropy_equals_torch():
    torch = pytest.importorskip("torch", reason="the comparison needs torch (the torch extra; CI installs it)")
    rng = np.random.default_rng(3)
    z, labels = rng.normal(size=(7, 4)), rng.integers(0, 4, size=(7, 1))
    zt = torch.tensor(z, requires_grad=True)
    theirs = torch.nn.functional.cross_entropy(zt, torch.from_numpy(labels[:, 0]))
    theirs.backward()
    loss = engine.CrossEntropyLoss()
    assert loss(z, labels) == pytest.approx(theirs.item(), rel=1e-14)
    np.testing.assert_allclose(loss.backward(), zt.grad.numpy(), rtol=0, atol=1e-15)


# --- held-out stopping: fit(validation=..., restore_best=True) ---

def noisy_line(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 1))
    return X, 3 * X + 5 + rng.normal(scale=0.5, size=(n, 1))


def test_restore_best_keeps_the_epoch_with_the_lowest_validation_loss():
    (X, y), (X_val, y_val) = noisy_line(40, 0), noisy_line(40, 1)
    model = tinynet.mlp([1, 64, 64, 1], "relu", seed=0)
    history = tinynet.fit(model, X, y, validation=(X_val, y_val), restore_best=True, lr=0.01)
    best = int(np.argmin(history.val_loss))
    assert history.best_epoch == best + 1
    assert tinynet.get_loss("mse")(model(X_val), y_val) == pytest.approx(history.val_loss[best], rel=1e-12)
    assert history.val_loss[-1] > history.val_loss[best]  # it went on past its best, then gave those epochs back
    assert history.epochs == history.best_epoch + tinynet.DEFAULT_PATIENCE  # and stopped patience epochs later


def test_restore_best_needs_validation_data():
    X, y = noisy_line(10, 0)
    with pytest.raises(ValueError, match="restore_best keeps the epoch with the lowest validation loss"):
        tinynet.fit(tinynet.mlp([1, 4, 1]), X, y, restore_best=True, epochs=2)


# --- many classes: data sets, accuracy by argmax, fit with loss="ce" ---

def test_spiral_and_blobs_take_any_number_of_classes_and_moons_refuses():
    X, y = tinynet.make_dataset("spiral", classes=3)
    assert X.shape == (256, 2) and np.unique(y).tolist() == [0.0, 1.0, 2.0]
    assert y[:3, 0].tolist() == [0.0, 1.0, 2.0]  # the classes take turns: any first rows hold them all
    X, y = tinynet.make_dataset("blobs", 100, classes=5)
    assert np.bincount(y[:, 0].astype(int)).tolist() == [20] * 5
    with pytest.raises(ValueError, match="only spiral and blobs take more than 2"):
        tinynet.make_dataset("moons", classes=3)


def test_noisy_sin_is_64_points_of_sin_with_noise_0_3():
    X, y = tinynet.make_dataset("noisy_sin")
    assert X.shape == y.shape == (64, 1)
    assert 0.2 < float(np.std(y - np.sin(X))) < 0.4


def test_a_three_class_spiral_is_learnt_with_softmax_cross_entropy():
    X, y = tinynet.make_dataset("spiral", classes=3)
    model = tinynet.mlp([2, 32, 32, 3], "relu", seed=0)
    history = tinynet.fit(model, X, y, loss="ce")
    assert history.final_loss < 0.05 < tinynet.training.mean_loss(engine.CrossEntropyLoss(), y)
    assert tinynet.accuracy(model, X, y) >= 0.98


def test_accuracy_of_k_logits_is_that_of_their_argmax():
    model = tinynet.Sequential(tinynet.Linear.from_weights(np.eye(3)))  # the logits are the inputs
    X = np.array([[3.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 1.0], [5.0, 0.0, 0.0]])
    assert tinynet.accuracy(model, X, [[0], [1], [2], [1]]) == 0.75
    with pytest.raises(ValueError, match=r"labels 0 \.\.\. 2"):
        tinynet.accuracy(model, X, [[0], [1], [3], [1]])


def test_cross_entropy_refuses_targets_that_are_not_labels_of_the_models_classes():
    X, _ = tinynet.make_dataset("spiral", classes=3)
    model = tinynet.mlp([2, 8, 3], "relu")
    with pytest.raises(ValueError, match=r"class labels 0 \.\.\. 2 .* got 3"):
        tinynet.fit(model, X, np.full((256, 1), 3.0), loss="ce", epochs=2)
    with pytest.raises(ValueError, match="one column of class labels"):
        tinynet.fit(model, X, np.zeros((256, 3)), loss="ce", epochs=2)


def test_fit_takes_weight_decay_for_an_optimizer_it_builds_by_name():
    X, y = tinynet.make_dataset("sin")
    norms = {}
    for decay in (0.0, 0.5):
        net = tinynet.mlp([1, 16, 1], seed=0)
        tinynet.fit(net, X, y, optimizer="adamw", weight_decay=decay, epochs=300)
        norms[decay] = sum(float(np.sum(p.data ** 2)) for p in net.parameters())
    assert norms[0.5] < 0.8 * norms[0.0]  # the decay pulled the weights in
    net = tinynet.mlp([1, 4, 1])
    with pytest.raises(ValueError, match="weight_decay goes with an optimizer by name"):
        tinynet.fit(net, X, y, optimizer=tinynet.fast.Adam(net.parameters(), lr=0.01), weight_decay=0.1, epochs=1)


def test_train_and_compare_take_weight_decay_from_the_command_line():
    import json

    from click.testing import CliRunner

    from cli.main import cli

    def trained(*options):
        result = CliRunner().invoke(cli, ["train", "--data", "sin", "--hidden", "16", "--epochs", "300", "--json",
                                          "--optimizer", "adamw", *options])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    plain, decayed = trained(), trained("--weight-decay", "0.5")
    assert (plain["weight_decay"], decayed["weight_decay"]) == (0.0, 0.5)
    assert decayed["final_loss"] > plain["final_loss"]  # a strong pull towards 0 costs training error
    def relu_mse(*options):
        result = CliRunner().invoke(cli, ["compare", "--data", "abs", "--hidden", "8", "--epochs", "200", "--json",
                                          *options])
        assert result.exit_code == 0, result.output
        return next(row["mse"] for row in json.loads(result.stdout) if row["activation"] == "relu")

    assert relu_mse("--weight-decay", "5") > 10 * relu_mse()  # so strong a pull keeps compare's ReLU net off |x|


def test_a_weight_decay_that_zeroes_the_weights_every_step_is_refused_and_divergence_names_it():
    params = tinynet.mlp([1, 4, 1]).parameters()
    for name in ("sgd", "adamw"):  # each step multiplies every weight by 1 - lr * weight_decay
        with pytest.raises(ValueError, match="each step \\(.* 1 - lr \\* weight decay\\): keep their product well below 1"):
            tinynet.training.make_optimizer(name, params, lr=0.01, weight_decay=np.float32(100))
    tinynet.training.make_optimizer("adam", params, lr=0.01, weight_decay=100)  # L2 through Adam: no such bound
    X, y = tinynet.make_dataset("sin")
    with pytest.raises(tinynet.TrainingDiverged, match="lower the learning rate \\(lr was 10\\) or the weight decay"):
        tinynet.fit(tinynet.mlp([1, 8, 1]), X, y, optimizer="sgd", lr=10.0, weight_decay=0.01, epochs=50)


def test_weight_decay_nan_is_a_usage_error_naming_the_option():
    from click.testing import CliRunner

    from cli.main import cli

    for command in ("train", "compare"):
        for option in ("--weight-decay", "--val-fraction"):
            result = CliRunner().invoke(cli, [command, option, "nan"])
            assert result.exit_code == 2 and f"Invalid value for '{option}': nan is not a number" in result.output
