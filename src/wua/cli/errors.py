"""How a failed command ends: the message and its fix on stderr, and a meaningful exit code.

A traceback is for developers; administrators get the sentence from the HRESULT table
and the fix. `--debug` adds the traceback for bug reports.
"""

from __future__ import annotations

import traceback
from typing import Any, NoReturn

import click

from wua.cli.exit_codes import ExitCode, exit_code_for
from wua.cli.output import current_output
from wua.errors import WuaError


def fail(ctx: click.Context, error: BaseException, code: ExitCode) -> NoReturn:
    if current_output().debug:
        click.echo("".join(traceback.format_exception(error)), err=True, nl=False)
    ctx.exit(int(code))


class WuaGroup(click.Group):
    """A click group that turns exceptions from any subcommand into exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except WuaError as error:
            click.echo(f"error: {error}", err=True)
            fail(ctx, error, exit_code_for(error))
        except Exception as error:
            click.echo(
                f"internal error: {type(error).__name__}: {error}\n"
                "This is a bug in wua; run again with --debug and report the traceback.",
                err=True,
            )
            fail(ctx, error, ExitCode.FAILURE)
