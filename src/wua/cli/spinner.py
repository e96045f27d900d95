"""A spinner with the elapsed time while a host searches (a real Search can take many
minutes, and a silent terminal looks hung). Only on a terminal, and on stderr, so
piped output and `--format json` stay clean."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextmanager
def searching(message: str, stream: TextIO | None = None) -> Iterator[bool]:
    """Shows `message` with a spinner and elapsed time; yields whether it is shown."""
    target = stream if stream is not None else sys.stderr
    isatty = getattr(target, "isatty", None)
    if not (isatty and isatty()):
        yield False
        return
    console = Console(file=target)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        progress.add_task(message, total=None)
        yield True
