"""The snake-case Python name of a WUA member: `KBArticleIDs` -> `kb_article_ids`.

The client names its attributes and the emulated host its catalog fields after the WUA
members they stand for; when both apply one rule, a member's attribute on a remote
object and its field in a catalog have the same name. The name is computed, not listed,
so a member added to the reference gets one without an edit; the few a plain split gets
wrong are the exceptions.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final

# A word starts at a capital after a lower-case letter or digit (`KbArticle`), or at the
# last capital of an acronym that a word follows (`AUService` -> `AU`, `Service`).
_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# `IDs` is the plural of the word ID, not `I` + `Ds`.
_PLURAL_IDS: Final = re.compile(r"IDs\b")
_EXCEPTIONS: Final = MappingProxyType({"HResult": "hresult", "_NewEnum": "new_enum"})


def snake_case(member_name: str) -> str:
    """The Python name of a WUA member (property or method)."""
    known = _EXCEPTIONS.get(member_name)
    if known is not None:
        return known
    return _BOUNDARY.sub("_", _PLURAL_IDS.sub("Ids", member_name)).lower()
