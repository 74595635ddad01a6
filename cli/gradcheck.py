"""tinynet gradcheck: check backward's gradients against finite differences."""

import itertools

import click
import numpy as np

import tinynet

from .params import HiddenSizes

TOLERANCE = 1e-6  # see tinynet.relative_error for the floor under small gradients
SAMPLES = 8
MAX_PARAMETERS = 1_000_000  # 8 MB of weights: beyond that a net is no longer one to check by hand
# multiply-adds a check may cost (two forward passes per entry, each about samples x parameters, plus
# numpy's per-call overhead, counted as 10,000): about 2 s; a larger net is checked at a random sample
MAX_WORK = 2e9


@click.command()
@click.option("--activation", type=click.Choice(list(tinynet.ACTIVATIONS)), default="relu",
              help="Activation between the hidden layers.")
@click.option("--hidden", type=HiddenSizes(), default="5,5", help="Hidden layer sizes, comma-separated.")
@click.option("--seed", type=click.IntRange(min=0), default=0, help="Seed for the weights and the random data.")
def gradcheck(activation, hidden, seed):
    """Check backward's gradients against finite differences.

    Builds a small float64 net (3 inputs, 2 outputs) on 8 random samples and
    prints, per parameter and for the input, the relative error
    ||analytic - numeric|| / max(||analytic|| + ||numeric||, 1e-3). Exits 1
    if any is above 1e-6. The floor 1e-3 keeps a gradient that is truly 0
    (at a perfect fit) from counting its rounding noise as a 100% error.
    An error below 1e-7 prints as "< 1e-7": there the differences show only
    float64's rounding, whose digits change from one CPU to another.

    \b
    Names, the same in model files: <layer>.weight and <layer>.bias, where
    <layer> counts every layer, activations included (in mlp 3-5-5-2 the
    Linear layers are 0, 2 and 4); "input" is dL/dx. `tinynet backprop`
    writes 0.weight as W1, 0.bias as b1, 2.weight as W2, and so on.
    """
    sizes = [3, *hidden, 2]
    parameters = sum((a + 1) * b for a, b in itertools.pairwise(sizes))
    if parameters > MAX_PARAMETERS:
        raise click.UsageError(f"--hidden {','.join(map(str, hidden))} makes a net of {parameters:,} parameters; "
                               f"gradcheck checks nets of at most {MAX_PARAMETERS:,} (two forward passes per entry)")
    rng = np.random.default_rng(seed)
    model = tinynet.mlp(sizes, activation, seed=seed)
    for p in model.parameters():  # non-zero biases too, so their gradients are checked for real
        p.data[...] = rng.normal(scale=0.5, size=p.data.shape)
    X, y = rng.normal(size=(SAMPLES, 3)), rng.normal(size=(SAMPLES, 2))
    passes = tinynet.passes_needed(model, X)
    per_pass = SAMPLES * parameters + 10_000
    sample = None
    if passes * per_pass > MAX_WORK:
        arrays = len(model.parameters()) + 1
        sample = max(1, int(MAX_WORK // (2 * arrays * per_pass)))
    report = tinynet.gradcheck_report(model, X, y, sample=sample, seed=seed)
    click.echo(f"gradcheck: mlp {'-'.join(map(str, sizes))} ({activation}), float64, {SAMPLES} samples, MSE loss")
    if sample is not None:
        click.echo(f"  (a random {sample:,} entries of each array: checking all would take {passes:,} forward passes)")
    width = max(len(name) for name in report)
    for name, error in report.items():
        click.echo(f"  {name.ljust(width)}  {tinynet.relative_error_text(error)}")
    worst = max(report.values())
    largest = f"largest relative error {tinynet.relative_error_text(worst)}"
    if worst > TOLERANCE:
        raise click.ClickException(f"{largest} is above {TOLERANCE:g}: a backward is wrong")
    click.echo(f"{largest}, within the tolerance {TOLERANCE:g}: the gradients are right")
