"""Entry point of the ``tinynet`` command: the group, its commands, and how errors look.

A user's mistake never shows a traceback: it becomes one line starting with
"Error:" on stderr, with exit code 2 for a wrong command line (usage) and 1
for anything else (a bad file, training that diverged, a missing extra).
Ctrl-C exits with 130, as shells expect, from the first instant: even while
the imports below are still loading; SIGTERM and SIGHUP (how ``timeout``,
``kill`` and a closed terminal stop a job) with 128 + their number, 143 and
129, saying "Stopped by SIGTERM". How each command stops is in keep.py.

numpy's BLAS runs on one thread unless the environment names a thread count
(OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or MKL_NUM_THREADS): the lesson's
products are too small to gain from threads, and lose badly to a busy core.
This is decided before numpy first loads; see threads.py.
"""

import signal
import sys

try:  # numpy, click and the commands take a moment to import: Ctrl-C then is no traceback either
    from .threads import one_blas_thread_unless_set

    one_blas_thread_unless_set()  # before numpy loads below: BLAS reads its thread count once, as it loads

    import click

    import tinynet

    from .backprop import backprop
    from .compare import compare
    from .exercise import exercise
    from .export import export
    from .gradcheck import gradcheck
    from .inspect_model import inspect
    from .keep import StopSignals, stop_of, stopped_how
    from .page import page
    from .predict import predict
    from .seeds import seeds
    from .train import train
except KeyboardInterrupt:
    sys.stderr.write("Interrupted.\n")
    sys.exit(128 + signal.SIGINT)

# click 8.2 and later raise this for a group called with nothing; older click printed the help itself
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class Stopping(Exception):
    """A stop (a ``keep.Stopped``, or Ctrl-C) on its way past click, which would turn it into an Abort of its
    own, after a blank line."""


class TinynetGroup(click.Group):
    """A click group whose errors are one clear line, never a traceback; a signal stops it as keep.py says."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            with StopSignals():  # SIGTERM and SIGHUP end every command as Ctrl-C does, with their own code
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NO_ARGS_IS_HELP as e:  # plain `tinynet`: show the help, as older click did
            click.echo(e.ctx.get_help())
            sys.exit(0)
        except click.UsageError as e:
            hint = f"\nTry '{e.ctx.command_path} --help' for help." if e.ctx is not None else ""
            click.echo(f"Error: {e.format_message()}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as e:
            click.echo(f"Error: {e.format_message()}", err=True)
            sys.exit(e.exit_code)
        except (tinynet.TinynetError, ValueError, OSError) as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(1)
        except MemoryError:
            click.echo("Error: out of memory: use a smaller --hidden, --batch-size or data set", err=True)
            sys.exit(1)
        except (Stopping, KeyboardInterrupt, click.Abort) as e:
            stopped = stop_of(e.args[0] if isinstance(e, Stopping) else e)
            click.echo(f"{stopped_how(stopped)}.", err=True)
            sys.exit(stopped.exit_code)
        sys.exit(code or 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as stop:
            raise Stopping(stop) from None


@click.group(cls=TinynetGroup, context_settings={"help_option_names": ["-h", "--help"], "show_default": True,
                                                 "max_content_width": 80})  # help wraps at 78 from 80 columns up
@click.version_option(tinynet.__version__, "--version", "-V", prog_name="tinynet")
def cli() -> None:
    """tinynet: a neural network in plain numpy, to show why ReLU is not linear regression.

    Start with `tinynet compare`: it trains an identity net, a ReLU net and a
    sigmoid net on sin(x) beside closed-form least squares, and shows that the
    identity net is only ever linear regression while the ReLU net stitches
    linear pieces into a curve.
    """


for command in (compare, train, predict, inspect, page, gradcheck, backprop, exercise, export, seeds):
    cli.add_command(command)


def main() -> None:
    cli()
