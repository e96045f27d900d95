"""WUA property names as the catalog's snake-case field names.

The catalog names every field after the WUA property it feeds (`KBArticleIDs` ->
`kb_article_ids`), so most getters need no table of their own: the handler table binds
a property to the field of the same name, and only the exceptions are written down.
The rule is `wua.reference.names.snake_case`, the one the client names its attributes
by, so a field and the client's attribute for one member agree.
"""

from __future__ import annotations

from wua.reference.names import snake_case


def field_name(property_name: str) -> str:
    """`KBArticleIDs` -> `kb_article_ids`, `IsDefaultAUService` -> `is_default_au_service`."""
    return snake_case(property_name)
