"""tinynet export: a saved model as a PyTorch state_dict, to go on in torch.nn."""

import os

import click

import tinynet

from .keep import check_output_path


@click.command(short_help="Write a model as a PyTorch state_dict (needs torch).")
@click.argument("model_path", metavar="MODEL.npz", type=click.Path(dir_okay=False))
@click.argument("torch_path", metavar="MODEL.pt", type=click.Path(dir_okay=False))
def export(model_path, torch_path):
    """Write MODEL.npz as a PyTorch state_dict in MODEL.pt.

    torch.load(MODEL.pt, weights_only=True) reads it, without running any
    code from the file, into the torch.nn.Sequential that tinynet.to_torch
    builds (weights transposed as torch stores them; a model trained on a CSV
    file keeps its scaling as two small modules). Needs torch: the torch
    extra, pip install "tinynet[torch]" (a CPU build is enough).

    \b
    Example:
      tinynet train --save sin.npz --quiet
      tinynet export sin.npz sin.pt
    """
    check_output_path(torch_path, "MODEL.pt")
    if os.path.exists(torch_path) and os.path.exists(model_path) and os.path.samefile(torch_path, model_path):
        raise click.BadParameter(f"{torch_path} is the model file itself: give another file name",
                                 param_hint="'MODEL.pt'")
    model = tinynet.load(model_path)
    try:
        tinynet.save_state_dict(model, torch_path)
    except ModuleNotFoundError as error:  # no torch: say which extra brings it
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {torch_path}, the state_dict of {model_path}'s {len(model)} layers; in PyTorch:")
    click.echo(f"  net = tinynet.to_torch(tinynet.load({model_path!r}))")
    click.echo(f"  net.load_state_dict(torch.load({torch_path!r}, weights_only=True))")
