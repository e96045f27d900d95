"""Pythonic names for reference members and interfaces: `KBArticleIDs` -> `kb_article_ids`,
`IUpdateSession2` -> `UpdateSession2`.

Members are named by `wua.reference.names.snake_case`, the rule the emulated host names
its catalog fields by.
"""

from __future__ import annotations

from wua.reference.names import snake_case

__all__ = ["class_name", "snake_case"]


def class_name(interface_name: str) -> str:
    """The Python class of an interface: `IUpdateSession2` -> `UpdateSession2`."""
    return interface_name[1:] if interface_name.startswith("I") else interface_name
