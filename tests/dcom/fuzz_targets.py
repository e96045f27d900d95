"""Decoders under fuzz, each with valid seed encodings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.dcom.test_objref import DSA_VECTORS, OBJREF_VECTORS, h
from wua.dcom.bindings import DualStringArray
from wua.dcom.objref import decode_objref

VECTORS = Path(__file__).resolve().parents[1] / "data" / "vectors"


def golden(name: str) -> bytes:
    return bytes.fromhex((VECTORS / name).read_text().replace("\n", ""))


REQUEST = golden("kerberos135_remotecreateinstance_request.hex")
RESPONSE = golden("kerberos135_remotecreateinstance_response.hex")
GOLDEN_OBJREF = RESPONSE[264 : 264 + 174]

TARGETS: dict[str, tuple[Callable[[bytes], Any], tuple[bytes, ...]]] = {
    "DUALSTRINGARRAY": (DualStringArray.decode, tuple(h(x) for _, x in DSA_VECTORS)),
    "OBJREF": (decode_objref, (GOLDEN_OBJREF, *(h(x) for _, x in OBJREF_VECTORS))),
}
