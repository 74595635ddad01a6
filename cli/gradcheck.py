"""tinynet gradcheck: check backward's gradients against finite differences."""

import click

import tinynet
from tinynet.gradcheck import RANDOM_SAMPLES, check_random_mlp, mlp_parameters

from .params import HiddenSizes, activation_option

TOLERANCE = 1e-6  # see tinynet.relative_error for the floor under small gradients
MAX_PARAMETERS = 1_000_000  # 8 MB of weights: beyond that a net is no longer one to check by hand


@click.command()
@activation_option
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
    parameters = mlp_parameters(sizes)
    if parameters > MAX_PARAMETERS:
        raise click.UsageError(f"--hidden {','.join(map(str, hidden))} makes a net of {parameters:,} parameters; "
                               f"gradcheck checks nets of at most {MAX_PARAMETERS:,} (two forward passes per entry)")
    report, sample, passes = check_random_mlp(sizes, activation, seed)
    click.echo(f"gradcheck: mlp {'-'.join(map(str, sizes))} ({activation}), float64, {RANDOM_SAMPLES} samples, "
               "MSE loss")
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
