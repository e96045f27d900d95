"""Output settings shared by every command: format, quiet, and whether to use colour.

Colour follows the conventions scripts and CI logs rely on: only when stdout is a
terminal, never when NO_COLOR is set to a non-empty value (https://no-color.org).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TextIO, TypeVar

import click
from rich.console import Console


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True)
class OutputOptions:
    format: OutputFormat = OutputFormat.TABLE
    quiet: bool = False
    debug: bool = False


def colour_wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    if environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def make_console(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> Console:
    """A rich console writing to `stream` (stdout by default) with colour decided here.

    Without a terminal rich would wrap tables at 80 columns; COLUMNS still wins when set.
    """
    target = stream if stream is not None else sys.stdout
    env = os.environ if environ is None else environ
    colour = colour_wanted(target, env)
    width: int | None = None
    if not colour and not env.get("COLUMNS"):
        width = 200
    return Console(
        file=target,
        color_system="auto" if colour else None,
        no_color=not colour,
        highlight=False,
        soft_wrap=False,
        width=width,
    )


def current_output() -> OutputOptions:
    """The output options of the running command (the group's, overridden by the command's)."""
    ctx = click.get_current_context()
    found = ctx.find_object(OutputOptions)
    return found if found is not None else OutputOptions()


def note(message: str) -> None:
    """An informational line on stderr, silenced by --quiet; data always goes to stdout."""
    if not current_output().quiet:
        click.echo(message, err=True)


def warn(message: str) -> None:
    """A warning on stderr; --quiet does not silence warnings about security."""
    click.echo(f"WARNING: {message}", err=True)


F = TypeVar("F", bound=Callable[..., Any])


def _override(field: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        source = ctx.get_parameter_source(param.name or field)
        if value is None or source is click.core.ParameterSource.DEFAULT:
            return value
        parent = ctx.find_object(OutputOptions) or OutputOptions()
        if field == "format":
            value = OutputFormat(value)
        ctx.obj = replace(parent, **{field: value})
        return value

    return callback


def output_options(func: F) -> F:
    """`--format` and `--quiet` on a command, overriding the same options given to `wua`."""
    func = click.option(
        "--quiet",
        "-q",
        is_flag=True,
        default=None,
        expose_value=False,
        callback=_override("quiet"),
        help="Print only the data (no notes or summaries).",
    )(func)
    func = click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice([f.value for f in OutputFormat]),
        default=None,
        expose_value=False,
        callback=_override("format"),
        help="Output format (default: table, or the format given to `wua`).",
    )(func)
    return func
