"""Loads the reference tables shipped with the package.

The JSON files are copies of the project's shared reference (`shared/wua-reference/`);
a test keeps them equal, so the package works when installed without that folder.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed content of `data/<name>.json` (read once; treat as read-only)."""
    text = (
        resources.files("wua.reference")
        .joinpath("data")
        .joinpath(f"{name}.json")
        .read_text("utf-8")
    )
    return json.loads(text)
