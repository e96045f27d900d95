"""Deterministic identifiers for generated catalogs.

Real UpdateIDs are not in the KB data, so they are derived: uuid5 in a project namespace
of "KB|product" for a real KB, of "family|product|n" for a synthesized update. The same
input always gives the same ID, which is what makes the shipped default file reproducible
and fleet hosts stable across runs.
"""

from __future__ import annotations

import hashlib
import uuid

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:wua:emulator:catalog")


def derived_guid(*parts: str) -> str:
    """A GUID (lower-case text) that depends only on `parts`."""
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def update_id_for_kb(kb: str, product: str) -> str:
    return derived_guid(kb, product)


def revision_for(update_id: str) -> int:
    """A plausible revision number (WUA's are small positive integers) tied to the ID."""
    return 1 + int(update_id.replace("-", ""), 16) % 400


def fraction(*parts: str) -> float:
    """A number in [0, 1) that depends only on `parts`: stable 'randomness' for one item."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def hex_digest(*parts: str, length: int = 40) -> str:
    """Hex text standing in for a file hash in synthesized download URLs."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:length]
