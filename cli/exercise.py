"""tinynet exercise: write a piece of the engine, and tinynet checks it and names the usual mistakes."""

import click

from tinynet import exercises

from .common import echo_json

NAME = click.Choice([e.name for e in exercises.EXERCISES])


@click.group()
def exercise():
    """Exercises that check themselves: write a piece of the engine.

    Each exercise is a backward, an optimizer's step, the training step, a new
    layer or a bug to find. `start` writes the piece as a file to complete,
    `check` says what is right and what to fix (exit 0 only when every check
    passes), `solution` prints tinynet's own code for it.

    \b
    Example:
      tinynet exercise start relu-backward     (writes relu_backward.py here)
      tinynet exercise check relu-backward     (after editing it)
    """


@exercise.command("list")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of objects with name, summary, file and source, nothing else.")
def list_exercises(as_json):
    """The exercises, in the order to do them, each with what to write."""
    rows = exercises.listing()
    if as_json:
        echo_json(rows)
        return
    width = max(len(row["name"]) for row in rows)
    for row in rows:  # the summaries fit 80 columns beside the names: tests/test_exercises.py holds them to it
        click.echo(f"{row['name'].ljust(width)}  {row['summary']}")


@exercise.command(short_help="Write an exercise's file to complete.")
@click.argument("name", type=NAME, metavar="NAME")
@click.option("--dir", "folder", type=click.Path(file_okay=False, exists=True), default=".",
              help="The folder to write NAME's file into. A file already there is never overwritten.")
def start(name, folder):
    """Write exercise NAME's file (relu-backward: relu_backward.py) into the folder."""
    path = exercises.start(name, folder)
    click.echo(f"wrote {path}: write what raises NotImplementedError, then check it:")
    click.echo(f"  tinynet exercise check {name}" + ("" if folder == "." else f" {path}"))


@exercise.command(short_help="Check a learner's file; exit 1 with the first thing to fix.")
@click.argument("name", type=NAME, metavar="NAME")
@click.argument("file", required=False, type=click.Path(dir_okay=False), metavar="[FILE]")
def check(name, file):
    """Check FILE (by default the one `start` writes here) for exercise NAME.

    Runs the file (your own code) and prints each check and what it found:
    shapes; a float64 gradient check (a sample within eps of a ReLU kink is
    named and set aside); the piece against the engine's own on random shapes
    and a batch of one; a small net trained with it. Exits 0 only when every
    check passes; otherwise 1, with the first thing to fix and, for a usual
    mistake, its name and the fix.
    """
    report = exercises.check(name, file)
    for line in report.lines():
        click.echo(line)
    if not report.passed:
        raise SystemExit(1)


@exercise.command(short_help="Print a solution: tinynet's own code.")
@click.argument("name", type=NAME, metavar="NAME")
def solution(name):
    """Print a solution file for exercise NAME, taken from tinynet's own source (try first)."""
    click.echo(exercises.get(name).solution(), nl=False)
