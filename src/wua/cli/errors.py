"""How a failed command ends: the message and its fix on stderr, and a meaningful exit code.

A traceback is for developers; administrators get the sentence from the HRESULT table
and the fix. `--debug` adds the traceback for bug reports.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from typing import Any, NoReturn

import click

from wua.cli.error_text import describe, human_text
from wua.cli.exit_codes import ExitCode, exit_code_for
from wua.cli.output import current_output
from wua.errors import WuaError


def fail(ctx: click.Context, error: BaseException, code: ExitCode) -> NoReturn:
    if current_output().debug:
        click.echo("".join(traceback.format_exception(error)), err=True, nl=False)
    ctx.exit(int(code))


def _silence_stdout() -> None:
    """Points stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class WuaGroup(click.Group):
    """A click group that turns exceptions from any subcommand into exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except WuaError as error:
            click.echo(human_text(describe(error), error.host), err=True)
            fail(ctx, error, exit_code_for(error))
        except KeyboardInterrupt as error:
            # click would print "Aborted!" and exit 1, which a script cannot tell from a
            # failed scan; 130 is what a shell reports for Ctrl-C.
            click.echo(
                "\ninterrupted (Ctrl-C); a host may still finish a search it started", err=True
            )
            fail(ctx, error, ExitCode.INTERRUPTED)
        except BrokenPipeError:
            # `wua scan ... | head`: the reader has gone, which is not an error of wua.
            _silence_stdout()
            ctx.exit(int(ExitCode.FAILURE))
        except OSError as error:
            # The disk is full or the output was redirected somewhere unwritable: the
            # environment's fault, not a bug, so no "report the traceback".
            where = f": {error.filename}" if error.filename else ""
            reason = error.strerror or errno.errorcode.get(error.errno or 0, str(error))
            click.echo(f"error: {reason}{where}", err=True)
            fail(ctx, error, ExitCode.FAILURE)
        except Exception as error:
            click.echo(
                f"internal error: {type(error).__name__}: {error}\n"
                "This is a bug in wua; run again with --debug and report the traceback.",
                err=True,
            )
            fail(ctx, error, ExitCode.FAILURE)
