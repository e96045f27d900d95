"""Rewrites the shipped default host file from its builder.

Run `python -m wua.emulator.catalog.write_default [PATH]` after changing the builder or
the KB data; without PATH it writes `wua/emulator/data/default-host.yaml`. (A module of
its own, because the package imports `default` and `-m` would run it a second time.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from wua.emulator.catalog.default import DEFAULT_FILE, build_default_text


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "data" / DEFAULT_FILE
    target.write_text(build_default_text(), "utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
