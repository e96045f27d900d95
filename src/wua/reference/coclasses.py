"""Coclasses (CLSID, ProgID) and the classification / service IDs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from wua.reference._data import load


@dataclass(frozen=True)
class Coclass:
    name: str
    clsid: str
    progid: str
    interfaces: tuple[str, ...]
    default_interface: str


@cache
def all_coclasses() -> dict[str, Coclass]:
    return {
        name: Coclass(
            name,
            raw["clsid"].lower(),
            raw["progid"],
            tuple(raw["interfaces"]),
            raw["default_interface"],
        )
        for name, raw in load("coclasses")["coclasses"].items()
    }


def coclass(key: str) -> Coclass:
    """A coclass by name ('UpdateSession'), ProgID or CLSID (any case)."""
    lowered = key.lower()
    for c in all_coclasses().values():
        if lowered in (c.name.lower(), c.progid.lower(), c.clsid):
            return c
    raise KeyError(f"unknown coclass {key!r}")


@dataclass(frozen=True)
class NamedId:
    name: str
    id: str


@cache
def classifications() -> tuple[NamedId, ...]:
    """The update classifications (category Type 'UpdateClassification')."""
    return tuple(NamedId(c["name"], c["id"].lower()) for c in load("categories")["classifications"])


@cache
def service_ids() -> tuple[NamedId, ...]:
    return tuple(NamedId(s["name"], s["id"].lower()) for s in load("categories")["service_ids"])


def classification(name_or_id: str) -> NamedId:
    """A classification by name ('Security Updates', case-insensitive) or GUID."""
    found = classification_or_none(name_or_id)
    if found is None:
        raise KeyError(f"unknown classification {name_or_id!r}")
    return found


def classification_or_none(name_or_id: str) -> NamedId | None:
    """`classification`, or None for text that names none: for callers that then try
    another reading of the text (a category GUID), without an exception as control flow."""
    lowered = name_or_id.lower()
    return next((c for c in classifications() if lowered in (c.name.lower(), c.id)), None)


SECURITY_UPDATES = "0fa1201d-4330-4fa8-8ae9-b877473b6441"
WINDOWS_UPDATE_SERVICE = "9482f4b4-e343-43b6-b170-9a65bc822c77"
MICROSOFT_UPDATE_SERVICE = "7971f918-a847-4430-9279-4a52d1efe18d"
MANAGED_SERVICE = "3da21691-e39d-4da6-8a4b-b43877bcb1b7"
DEFAULT_SERVICE = "00000000-0000-0000-0000-000000000000"
