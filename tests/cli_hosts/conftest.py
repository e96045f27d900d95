"""The real `wua` command tree against emulated hosts (in-process runner from tests/cli)."""

from __future__ import annotations

from tests.cli.conftest import home, run

__all__ = ["home", "run"]
