"""Loads the captured PDUs of tests/data/vectors/rpc."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "data" / "vectors" / "rpc"


def vector(name: str) -> bytes:
    return bytes.fromhex((FOLDER / f"{name}.hex").read_text().strip())


def all_vectors() -> dict[str, bytes]:
    return {p.stem: bytes.fromhex(p.read_text().strip()) for p in sorted(FOLDER.glob("*.hex"))}
