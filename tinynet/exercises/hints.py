"""The usual mistakes, each recognised by what it computes and named: key -> (its name, what to do)."""

HINTS: dict[str, tuple[str, str]] = {
    "relu-mask-wrong-side": (
        "the ReLU mask from the wrong side",
        "the gradient passes where the unit is on, x > 0, and stops where x <= 0: grad_output * (x > 0)"),
    "sigmoid-at-x": (
        "sigmoid's derivative taken at x instead of at s",
        ("the derivative is s * (1 - s) with s = sigmoid(x), the output forward returns: keep s in forward "
        "and use it, not x * (1 - x)")),
    "sigmoid-twice": (
        "sigmoid applied twice",
        "the s that forward saved is already sigmoid(x): s * (1 - s) as it is, not sigmoid(s) * (1 - sigmoid(s))"),
    "tanh-at-x": (
        "tanh's derivative taken at x instead of at t",
        "the derivative is 1 - t**2 with t = tanh(x), the output forward returns: not 1 - x**2"),
    "tanh-twice": (
        "tanh applied twice",
        "the t that forward saved is already tanh(x): 1 - t**2, not 1 - tanh(t)**2"),
    "tanh-square": (
        "the square in the wrong place",
        "the derivative of tanh is 1 - t**2, t squared alone; (1 - t)**2 is another function"),
    "no-chain-rule": (
        "grad_output left out",
        ("backward returns dL/dx = grad_output * (the derivative of the function at x): the chain rule "
        "multiplies the two, element by element")),
    "silu-product-rule": (
        "half of the product rule",
        "y = x * s is a product, so dy/dx = 1 * s + x * ds/dx = s + x * s * (1 - s): both terms"),
    "weight-transposed": (
        "dL/dW transposed",
        "dL/dW has W's shape (in_features, out_features): x.T @ grad_output, not grad_output.T @ x"),
    "bias-not-summed": (
        "the bias gradient not summed over the batch",
        ("b is added to each of the N rows, so its gradient is the sum of theirs: grad_output.sum(axis=0), "
        "of shape (out_features,)")),
    "bias-averaged": (
        "the bias gradient averaged over the batch",
        ("sum over the batch, do not average: the loss already divided by N (its backward did), so the mean "
        "makes it N times too small")),
    "input-not-transposed": (
        "dL/dx without W.T",
        "y = x @ W, so the gradient goes back through W transposed: dL/dx = grad_output @ W.T, (N, in_features)"),
    "grad-assigned": (
        "a gradient assigned where it must add up",
        ("a parameter used twice (one Parameter in two layers, or two batches before zero_grad) must collect "
        "both gradients: self.weight.grad += ..., not self.weight.grad = ...")),
    "mse-missing-2": (
        "the 2 missing from the MSE gradient",
        "d/dp (p - t)**2 = 2 * (p - t): dL/dp = 2 * (p - t) / (N * D)"),
    "mse-missing-mean": (
        "the 1/N missing from the MSE gradient",
        ("the loss is a mean over all N * D elements, so each gradient is divided by N * D: "
        "2 * self.diff / self.diff.size")),
    "mse-missing-both": (
        "the 2 and the 1/N missing from the MSE gradient",
        "L = mean((p - t)**2) over N * D elements: dL/dp = 2 * (p - t) / (N * D)"),
    "mse-per-row": (
        "the MSE gradient divided by N, not N * D",
        "the mean runs over all N * D elements, not over the N rows: divide by self.diff.size"),
    "sign": (
        "the sign flipped",
        "the loss grows as the prediction moves away from the target: prediction - target, not target - prediction"),
    "bce-missing-mean": (
        "the 1/N missing from the BCE gradient",
        "the loss is a mean over all N * D elements: divide by p.size"),
    "bce-logit-gradient": (
        "the gradient with respect to the logit",
        ("(p - t) / N is dL/dz for z before the sigmoid (torch's BCEWithLogitsLoss); this loss returns dL/dp = "
        "(p - t) / (p * (1 - p)) / N and leaves the rest to the Sigmoid's backward")),
    "not-in-place": (
        "p.data replaced instead of updated",
        ("p.data = p.data - ... makes a new array, and whatever holds the old one (a flat buffer, your own "
        "reference) misses the step: update in place, p.data -= ...")),
    "sgd-sign": (
        "the step goes up the gradient",
        "the gradient points where the loss grows fastest: data -= lr * grad"),
    "sgd-no-lr": (
        "the learning rate left out",
        "data -= lr * grad: lr says how far each step goes"),
    "momentum-lost": (
        "the velocity not carried from step to step",
        ("each step moved by lr * grad alone: velocity must keep its value between steps (velocity *= momentum, "
        "then velocity += grad, in place, so self.velocity keeps it)")),
    "momentum-dampened": (
        "the gradient scaled by 1 - momentum",
        "tinynet (as torch) adds the gradient itself: velocity = momentum * velocity + grad"),
    "weight-decay-ignored": (
        "weight_decay left out",
        "the gradient a step uses is grad + weight_decay * data (L2), as the docstring says"),
    "adam-no-bias-correction": (
        "Adam without its bias correction",
        ("m and v start at 0, so their first averages are too small: m_hat = m / (1 - beta1**t) and "
        "v_hat = v / (1 - beta2**t), with t counting steps from 1, and the update uses m_hat and v_hat")),
    "adam-t-late": (
        "t counted after it is used",
        "t += 1 comes first: at t = 0, 1 - beta1**t is 0 and the correction divides by zero"),
    "adam-state-lost": (
        "m and v not kept between steps",
        ("m and v are running averages over the steps: assign into the arrays (m[...] = ...) so self.m and "
        "self.v keep them")),
    "zero-grad": (
        "zero_grad in the wrong place",
        ("backward adds into .grad: call optimizer.zero_grad() before model.backward(...), or the step uses "
        "stale (or zeroed) gradients")),
    "step-before-backward": (
        "the step before backward",
        "optimizer.step() uses the gradients that backward computes: backward first, then step"),
    "loss-after-step": (
        "the loss after the update returned",
        "return the loss computed before the update: the one whose gradient the step followed"),
}
