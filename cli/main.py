"""Entry point of the ``tinynet`` command."""

import click

import tinynet


@click.group(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(tinynet.__version__, prog_name="tinynet")
def cli() -> None:
    """tinynet: a neural network in plain numpy, to show why ReLU is not linear regression."""


def main() -> None:
    cli()
