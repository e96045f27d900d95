"""WUA property names as the catalog's snake-case field names.

The catalog names every field after the WUA property it feeds (`KBArticleIDs` ->
`kb_article_ids`), so most getters need no table of their own: the handler table binds
a property to the field of the same name, and only the exceptions are written down.
"""

from __future__ import annotations

import re

_ACRONYM_THEN_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LOWER_THEN_UPPER = re.compile(r"([a-z\d])([A-Z])")


def field_name(property_name: str) -> str:
    """`KBArticleIDs` -> `kb_article_ids`, `IsDefaultAUService` -> `is_default_au_service`.

    `ID`/`IDs` are read as words first; otherwise `IDs` would split as `i_ds`.
    """
    text = property_name.replace("IDs", "Ids").replace("ID", "Id")
    text = _ACRONYM_THEN_WORD.sub(r"\1_\2", text)
    text = _LOWER_THEN_UPPER.sub(r"\1_\2", text)
    return text.lower()
