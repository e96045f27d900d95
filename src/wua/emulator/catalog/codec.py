"""One generic, table-driven codec between catalog documents and the frozen model.

Every dataclass of the model is compiled once into a table of fields, each with a
converter chosen from its type hint and its markers (`markers.py`). Loading walks the
document with that table, so every rule — required fields, unknown keys, types, GUIDs,
enum names, ranges, unique keys, references — is written once here and applies to every
structure; the model modules only declare fields.

Documents are what `yaml.safe_load`/`json.load` return: dicts, lists, str, int, bool,
None (and `datetime` where YAML resolved a timestamp itself).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum, IntEnum, IntFlag, StrEnum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from wua.emulator.catalog.markers import (
    Choice,
    Derived,
    Guid,
    HexNumber,
    Key,
    Pattern,
    Range,
    Ref,
)
from wua.errors import CatalogError

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
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


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


class _Str(Converter):
    describe = "a string"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if not isinstance(value, str):
            raise ctx.fail(path, f"expected a string, got {_type_name(value)} {value!r}")
        return value


class _Bool(Converter):
    describe = "true or false"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if not isinstance(value, bool):
            raise ctx.fail(path, f"expected true or false, got {_type_name(value)} {value!r}")
        return value


class _Int(Converter):
    describe = "an integer"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ctx.fail(path, f"expected an integer, got {_type_name(value)} {value!r}")
        return value


class _HexNumber(Converter):
    """Accepts 2147942402 or '0x80070643'; writes the hex text people search for."""

    describe = "an integer or '0x...' hex text"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if isinstance(value, str) and _HEX_NUMBER.fullmatch(value):
            return int(value, 16)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ctx.fail(path, f"expected {self.describe}, got {_type_name(value)} {value!r}")

    def dump(self, value: Any) -> Any:
        return f"0x{value:08X}"


class _Decimal(Converter):
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
        raise ctx.fail(path, f"expected {self.describe}, got {_type_name(value)} {value!r}")

    def dump(self, value: Any) -> Any:
        if value == value.to_integral_value():
            return int(value)
        return str(value)


class _DateTime(Converter):
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
            raise ctx.fail(path, f"expected {self.describe}, got {_type_name(value)} {value!r}")
        return moment.astimezone(UTC)

    def dump(self, value: Any) -> Any:
        return str(value.isoformat()).replace("+00:00", "Z")


class _HexBytes(Converter):
    describe = "hex digits (an even number of them)"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if isinstance(value, str) and re.fullmatch(r"(?:[0-9a-fA-F]{2})*", value):
            return bytes.fromhex(value)
        raise ctx.fail(path, f"expected {self.describe}, got {_type_name(value)} {value!r}")

    def dump(self, value: Any) -> Any:
        return bytes(value).hex()


class _EnumByName(Converter):
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


class _EnumByValue(Converter):
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


class _Optional(Converter):
    def __init__(self, inner: Converter) -> None:
        self.inner = inner
        self.describe = f"{inner.describe} or null"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        return None if value is None else self.inner.load(value, path, ctx)

    def dump(self, value: Any) -> Any:
        return None if value is None else self.inner.dump(value)


class _TupleOf(Converter):
    def __init__(self, inner: Converter) -> None:
        self.inner = inner
        self.describe = f"a list of {inner.describe}"

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if not isinstance(value, list):
            raise ctx.fail(path, f"expected a list, got {_type_name(value)} {value!r}")
        return tuple(self.inner.load(item, f"{path}[{i}]", ctx) for i, item in enumerate(value))

    def dump(self, value: Any) -> Any:
        return [self.inner.dump(item) for item in value]


class _Checked(Converter):
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


def _check_value(marker: object, value: Any, path: str, ctx: LoadContext) -> Any:
    """Checks one scalar against one marker; returns the value, normalised where needed."""
    if isinstance(marker, Guid):
        if not _GUID.fullmatch(value):
            raise ctx.fail(path, f"{value!r} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
        return value.lower()
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


@dataclass(frozen=True)
class FieldSpec:
    """One row of a record's table: the document key, its converter and its default."""

    name: str
    converter: Converter
    required: bool
    default: Any
    derived: Derived | None


class Record(Converter):
    """A frozen dataclass read from a mapping, with unknown keys refused by name."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        self.describe = f"a mapping ({cls.__name__})"
        self._fields: tuple[FieldSpec, ...] | None = None

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        # Compiled on first use so that records may refer to each other.
        if self._fields is None:
            self._fields = _compile_fields(self.cls)
        return self._fields

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if not isinstance(value, Mapping):
            raise ctx.fail(path, f"expected {self.describe}, got {_type_name(value)} {value!r}")
        specs = {spec.name: spec for spec in self.fields}
        writable = [name for name, spec in specs.items() if spec.derived is None]
        for key in value:
            spec = specs.get(key) if isinstance(key, str) else None
            if spec is not None and spec.derived is not None:
                raise ctx.fail(_join(path, key), f"is computed, do not set it: {spec.derived.why}")
            if spec is None:
                close = difflib.get_close_matches(str(key), writable, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ctx.fail(_join(path, str(key)), f"unknown field {key!r}{hint}")
        kwargs: dict[str, Any] = {}
        for spec in self.fields:
            if spec.derived is not None:
                continue
            where = _join(path, spec.name)
            if spec.name in value:
                kwargs[spec.name] = spec.converter.load(value[spec.name], where, ctx)
            elif spec.required:
                raise ctx.fail(where, f"required field is missing ({spec.converter.describe})")
        return self.cls(**kwargs)

    def dump(self, value: Any) -> Any:
        out: dict[str, Any] = {}
        for spec in self.fields:
            if spec.derived is not None:
                continue
            item = getattr(value, spec.name)
            if not spec.required and item == spec.default:
                continue
            out[spec.name] = spec.converter.dump(item)
        return out


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _compile_fields(cls: type[Any]) -> tuple[FieldSpec, ...]:
    hints = get_type_hints(cls, include_extras=True)
    specs = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        derived = next((m for m in _markers_of(hint) if isinstance(m, Derived)), None)
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = None
        specs.append(FieldSpec(f.name, converter_for(hint), required, default, derived))
    return tuple(specs)


def _markers_of(hint: Any) -> tuple[object, ...]:
    return tuple(get_args(hint)[1:]) if get_origin(hint) is Annotated else ()


_SCALARS: dict[Any, Callable[[], Converter]] = {
    str: _Str,
    bool: _Bool,
    int: _Int,
    Decimal: _Decimal,
    datetime: _DateTime,
    bytes: _HexBytes,
}


@cache
def converter_for(hint: Any) -> Converter:
    """The converter for a type hint of the model (cached: one per distinct hint)."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *markers = get_args(hint)
        if any(isinstance(m, HexNumber) for m in markers):
            inner: Converter = _HexNumber()
        else:
            inner = converter_for(base)
        rules = tuple(m for m in markers if not isinstance(m, HexNumber | Derived))
        return _Checked(inner, rules) if rules else inner
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {hint!r}")
        return _Optional(converter_for(args[0]))
    if origin is tuple:
        parts = get_args(hint)
        if len(parts) != 2 or parts[1] is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] is supported, not {hint!r}")
        return _TupleOf(converter_for(parts[0]))
    if hint in _SCALARS:
        return _SCALARS[hint]()
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return _EnumByValue(hint)
    if isinstance(hint, type) and issubclass(hint, IntEnum | IntFlag):
        return _EnumByName(hint)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return Record(hint)
    raise TypeError(f"no catalog converter for {hint!r}")


def record_for(cls: type[Any]) -> Record:
    """The compiled table of a model dataclass."""
    hint: Any = cls
    converter = converter_for(hint)
    if not isinstance(converter, Record):
        raise TypeError(f"{cls!r} is not a dataclass")
    return converter


# Re-exported for the docs test, which checks that every document key is documented.
def document_keys(cls: type[Any], prefix: str = "") -> list[str]:
    """Every key path a document of `cls` may hold (`updates[].identity.update_id`)."""
    out: list[str] = []
    for spec in record_for(cls).fields:
        if spec.derived is not None:
            continue
        path = _join(prefix, spec.name)
        out.append(path)
        nested = _nested_record(spec.converter)
        if nested is not None:
            suffix = "[]" if _is_list(spec.converter) else ""
            out.extend(document_keys(nested, path + suffix))
    return out


def _nested_record(conv: Converter) -> type[Any] | None:
    while isinstance(conv, _Checked | _Optional | _TupleOf):
        conv = conv.inner
    return conv.cls if isinstance(conv, Record) else None


def _is_list(conv: Converter) -> bool:
    while isinstance(conv, _Checked | _Optional):
        conv = conv.inner
    return isinstance(conv, _TupleOf)


__all__ = [
    "Converter",
    "FieldSpec",
    "LoadContext",
    "Record",
    "converter_for",
    "document_keys",
    "record_for",
]
