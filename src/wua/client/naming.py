"""Pythonic names for reference members: `KBArticleIDs` -> `kb_article_ids`.

The mapping is computed, not listed, so a member added to the reference gets a name
without an edit here; the few names a plain split gets wrong are the exceptions below.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_PLURAL_IDS = re.compile(r"IDs\b")
_EXCEPTIONS = {"HResult": "hresult", "_NewEnum": "new_enum"}


def snake_case(member_name: str) -> str:
    """The attribute name of a WUA member (property or method)."""
    if member_name in _EXCEPTIONS:
        return _EXCEPTIONS[member_name]
    return _BOUNDARY.sub("_", _PLURAL_IDS.sub("Ids", member_name)).lower()


def class_name(interface_name: str) -> str:
    """The Python class of an interface: `IUpdateSession2` -> `UpdateSession2`."""
    return interface_name[1:] if interface_name.startswith("I") else interface_name
