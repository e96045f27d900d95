"""A password or NT hash that cannot leak through repr, str, f-strings, logs or tracebacks.

The value is reachable only through `reveal()`, so every place that hands it on is a
deliberate, greppable call; anything that formats the object gets a mask instead.
"""

from __future__ import annotations

from typing import NoReturn

MASK = "********"


class Secret:
    __slots__ = ("_source", "_value")

    def __init__(self, value: str, *, source: str) -> None:
        self._value = value
        self._source = source

    @property
    def source(self) -> str:
        """Where it came from ("prompt", "WUA_PASSWORD", a file name): safe to show."""
        return self._source

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK}, source={self._source!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return self._value == other._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is not pickled: it would write the value out in clear")
