"""Converters between document values and model values, one per kind of field.

Each converter reads one value of a parsed YAML/JSON document (checking its type), and
writes it back; `Checked` adds the value rules that markers (`markers.py`) declare. The
codec (`codec.py`) picks a converter per field from the model's type hints.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Any

from wua.emulator.catalog.markers import Choice, Guid, Key, Pattern, Range, Ref
from wua.errors import CatalogError
from wua.reference.wire_types import GUID_TEXT, canonical_guid

_HEX_NUMBER = re.compile(r"0[xX][0-9a-fA-F]{1,8}")


@dataclass
class LoadContext:
    """What one load collects while it walks: keys and references, checked at the end."""

    source: str
    keys: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    refs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def fail(self, path: str, message: str) -> CatalogError:
        return CatalogError(message, field=path, source=self.source)

    def check_keys_and_refs(self) -> None:
        """Duplicate keys and references to keys that do not exist, in document order."""
        known: dict[str, set[str]] = {}
        for space, entries in self.keys.items():
            seen: dict[str, str] = {}
            for value, path in entries:
                if value in seen:
                    raise self.fail(
                        path, f"duplicate {space} ID {value!r} (first at {seen[value]})"
                    )
                seen[value] = path
            known[space] = set(seen)
        for space, entries in self.refs.items():
            for value, path in entries:
                if value not in known.get(space, set()):
                    raise self.fail(path, f"unknown {space} ID {value!r}")


class Converter:
    """Turns one document value into a model value and back."""

    describe = "a value"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        return value

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the values this converter accepts (for editors and checks)."""
        return {}


def type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


class StrConverter(Converter):
    describe = "a string"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if not isinstance(value, str):
            raise ctx.fail(path, f"expected a string, got {type_name(value)} {value!r}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string"}


class BoolConverter(Converter):
    describe = "true or false"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if not isinstance(value, bool):
            raise ctx.fail(path, f"expected true or false, got {type_name(value)} {value!r}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class IntConverter(Converter):
    describe = "an integer"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ctx.fail(path, f"expected an integer, got {type_name(value)} {value!r}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer"}


class HexNumberConverter(Converter):
    """Accepts 2147942402 or '0x80070643'; writes the hex text people search for."""

    describe = "an integer or '0x...' hex text"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if isinstance(value, str) and _HEX_NUMBER.fullmatch(value):
            return int(value, 16)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ctx.fail(path, f"expected {self.describe}, got {type_name(value)} {value!r}")

    def dump(self, value: Any) -> Any:
        return f"0x{value:08X}"

    def json_schema(self) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": f"^{_HEX_NUMBER.pattern}$"},
            ]
        }


class DecimalConverter(Converter):
    """Sizes are DECIMAL on the wire; floats are refused because they lose digits."""

    describe = "an integer or a decimal number in quotes"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        if isinstance(value, str):
            try:
                number = Decimal(value)
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                return number
        raise ctx.fail(path, f"expected {self.describe}, got {type_name(value)} {value!r}")

    def dump(self, value: Any) -> Any:
        if value == value.to_integral_value():
            return int(value)
        return str(value)

    def json_schema(self) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": r"^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$"},
            ]
        }


class DateTimeConverter(Converter):
    """UTC instants; text is ISO 8601 with an explicit offset, written with a 'Z'."""

    describe = "an ISO 8601 date-time with a time zone, e.g. 2024-05-14T17:00:00Z"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        moment: datetime | None = None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                moment = None
        if moment is None or moment.tzinfo is None:
            raise ctx.fail(path, f"expected {self.describe}, got {type_name(value)} {value!r}")
        return moment.astimezone(UTC)

    def dump(self, value: Any) -> Any:
        return str(value.isoformat()).replace("+00:00", "Z")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date-time"}


class HexBytesConverter(Converter):
    describe = "hex digits (an even number of them)"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if isinstance(value, str) and re.fullmatch(r"(?:[0-9a-fA-F]{2})*", value):
            return bytes.fromhex(value)
        raise ctx.fail(path, f"expected {self.describe}, got {type_name(value)} {value!r}")

    def dump(self, value: Any) -> Any:
        return bytes(value).hex()

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^(?:[0-9a-fA-F]{2})*$"}


class EnumByName(Converter):
    """WUA integer enums are written by their SDK member names (utDriver, orcFailed)."""

    def __init__(self, enum: type[Enum]) -> None:
        self.enum = enum
        self.describe = f"one of {', '.join(enum.__members__)}"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if isinstance(value, str) and value in self.enum.__members__:
            return self.enum[value]
        hint = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, list(self.enum.__members__), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ctx.fail(path, f"unknown {self.enum.__name__} {value!r}{hint}; {self.describe}")

    def dump(self, value: Any) -> Any:
        return value.name

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.enum.__members__)}


class EnumByValue(Converter):
    """String enums (ICategory.Type) are written as the very text WUA returns."""

    def __init__(self, enum: type[StrEnum]) -> None:
        self.enum = enum
        self.describe = f"one of {', '.join(repr(m.value) for m in enum)}"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        for member in self.enum:
            if value == member.value:
                return member
        raise ctx.fail(path, f"unknown {self.enum.__name__} {value!r}; {self.describe}")

    def dump(self, value: Any) -> Any:
        return value.value

    def json_schema(self) -> dict[str, Any]:
        return {"enum": [m.value for m in self.enum]}


class OptionalOf(Converter):
    def __init__(self, inner: Converter) -> None:
        self.inner = inner
        self.describe = f"{inner.describe} or null"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        return None if value is None else self.inner.load(value, path, ctx)

    def dump(self, value: Any) -> Any:
        return None if value is None else self.inner.dump(value)

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [self.inner.json_schema(), {"type": "null"}]}


class TupleOf(Converter):
    def __init__(self, inner: Converter) -> None:
        self.inner = inner
        self.describe = f"a list of {inner.describe}"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if not isinstance(value, list):
            raise ctx.fail(path, f"expected a list, got {type_name(value)} {value!r}")
        return tuple(self.inner.load(item, f"{path}[{i}]", ctx) for i, item in enumerate(value))

    def dump(self, value: Any) -> Any:
        return [self.inner.dump(item) for item in value]

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.inner.json_schema()}


class Checked(Converter):
    """A converter plus the value rules of its markers (GUID, pattern, choice, range, key, ref)."""

    def __init__(self, inner: Converter, markers: tuple[object, ...]) -> None:
        self.inner = inner
        self.markers = markers
        self.describe = inner.describe

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        result = self.inner.load(value, path, ctx)
        for marker in self.markers:
            result = _apply_marker(marker, result, path, ctx)
        return result

    def dump(self, value: Any) -> Any:
        return self.inner.dump(value)

    def json_schema(self) -> dict[str, Any]:
        """The inner schema narrowed by the markers JSON Schema can say (not keys, refs)."""
        rules: dict[str, Any] = {}
        for marker in self.markers:
            if isinstance(marker, Guid):
                rules["pattern"] = f"^{GUID_TEXT.pattern}$"
            elif isinstance(marker, Pattern):
                rules["pattern"] = f"^(?:{marker.regex})$"
            elif isinstance(marker, Choice):
                rules["enum"] = list(marker.values)
            elif isinstance(marker, Range):
                rules.update(minimum=marker.low, maximum=marker.high)
        inner = self.inner.json_schema()
        if not rules:
            return inner
        if inner.get("type") == "array":
            return {**inner, "items": {**inner["items"], **rules}}
        if "anyOf" in inner and "pattern" in rules:
            # An optional string: the rules apply to the string branch only.
            return {"anyOf": [{**inner["anyOf"][0], **rules}, *inner["anyOf"][1:]]}
        return {**inner, **rules}


def _check_value(marker: object, value: Any, path: str, ctx: LoadContext) -> Any:
    """Checks one scalar against one marker; returns the value, normalised where needed."""
    if isinstance(marker, Guid):
        canonical = canonical_guid(value)
        if canonical is None:
            raise ctx.fail(path, f"{value!r} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
        return canonical
    if isinstance(marker, Pattern) and not re.fullmatch(marker.regex, value):
        raise ctx.fail(path, f"{value!r} is not {marker.meaning}")
    if isinstance(marker, Choice) and value not in marker.values:
        allowed = ", ".join(repr(v) for v in marker.values)
        raise ctx.fail(path, f"{value!r} is not one of {allowed}")
    if isinstance(marker, Range) and not marker.low <= value <= marker.high:
        raise ctx.fail(path, f"{value} is outside {marker.low}..{marker.high}")
    if isinstance(marker, Ref):
        ctx.refs.setdefault(marker.space, []).append((value, path))
    return value


def _apply_marker(marker: object, value: Any, path: str, ctx: LoadContext) -> Any:
    if isinstance(marker, Key):
        if marker.attribute is None:
            ctx.keys.setdefault(marker.space, []).append((value, path))
        else:
            key_path = f"{path}.{marker.attribute}"
            ctx.keys.setdefault(marker.space, []).append(
                (getattr(value, marker.attribute), key_path)
            )
        return value
    if isinstance(value, tuple):
        return tuple(_check_value(marker, v, f"{path}[{i}]", ctx) for i, v in enumerate(value))
    if value is None:
        return None
    return _check_value(marker, value, path, ctx)
