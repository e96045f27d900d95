"""IUpdateSearcher::EscapeString, the one quoting rule of criteria strings.

MS-UAMG 3.38.4.9 says EscapeString replaces every `'`, `[` and `]` with the bracketed
sequences `[']`, `[[]` and `[]]` — a LIKE-style bracket escape, not SQL's doubled quote.
The client escapes with this function and the emulator answers EscapeString with it, so
both sides agree on the bytes by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ESCAPES: Mapping[str, str] = MappingProxyType({"'": "[']", "[": "[[]", "]": "[]]"})


def escape_string(text: str) -> str:
    """Escape `text` for use between the single quotes of a criteria string value."""
    return "".join(ESCAPES.get(char, char) for char in text)
