"""Run the real `wua` command tree in-process, isolated from the user's config and env."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from wua.cli.main import build_cli

CLEARED = (
    "WUA_CONFIG",
    "WUA_USER",
    "WUA_PASSWORD",
    "WUA_AUTH_LEVEL",
    "XDG_CONFIG_HOME",
    "NO_COLOR",
    "COLUMNS",
)

Run = Callable[..., Result]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def run(home: Path) -> Run:
    def invoke(
        *args: str, env: Mapping[str, str] | None = None, input: str | None = None
    ) -> Result:
        environment: dict[str, str | None] = {name: None for name in CLEARED}
        environment["HOME"] = str(home)
        environment.update(env or {})
        return CliRunner().invoke(
            build_cli(), list(args), env=environment, input=input, catch_exceptions=False
        )

    return invoke
