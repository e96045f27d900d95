"""The real `wua` command tree, in-process and isolated (the runner of tests/cli)."""

from __future__ import annotations

from tests.cli.conftest import home, run

__all__ = ["home", "run"]
