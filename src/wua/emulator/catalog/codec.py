"""One generic, table-driven codec between catalog documents and the frozen model.

Every dataclass of the model is compiled once into a table of fields, each with a
converter chosen from its type hint and its markers (`markers.py`, `converters.py`).
Loading walks the document with that table, so every rule — required fields, unknown
keys, types, GUIDs, enum names, ranges, unique keys, references — is written once and
applies to every structure; the model modules only declare fields.

Documents are what `yaml.safe_load`/`json.load` return: dicts, lists, str, int, bool,
None (and `datetime` where YAML resolved a timestamp itself).
"""

from __future__ import annotations

import dataclasses
import difflib
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import IntEnum, IntFlag, StrEnum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from wua.emulator.catalog.converters import (
    BoolConverter,
    Checked,
    Converter,
    DateTimeConverter,
    DecimalConverter,
    EnumByName,
    EnumByValue,
    HexBytesConverter,
    HexNumberConverter,
    IntConverter,
    LoadContext,
    OptionalOf,
    StrConverter,
    TupleOf,
    type_name,
)
from wua.emulator.catalog.markers import Derived, HexNumber


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
        # Compiled once, here: the model has no recursive records, so nested records
        # compile (through the cached converter_for) before this one is finished.
        self.fields: tuple[FieldSpec, ...] = _compile_fields(cls)

    def load(self, value: Any, path: str, ctx: LoadContext) -> Any:
        if not isinstance(value, Mapping):
            raise ctx.fail(path, f"expected {self.describe}, got {type_name(value)} {value!r}")
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

    def json_schema(self) -> dict[str, Any]:
        """An object schema: the fields' schemas, the required ones, no other keys."""
        fields = [spec for spec in self.fields if spec.derived is None]
        return {
            "type": "object",
            "title": self.cls.__name__,
            "description": " ".join((self.cls.__doc__ or "").split()),
            "properties": {spec.name: spec.converter.json_schema() for spec in fields},
            "required": [spec.name for spec in fields if spec.required],
            "additionalProperties": False,
        }

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
    str: StrConverter,
    bool: BoolConverter,
    int: IntConverter,
    Decimal: DecimalConverter,
    datetime: DateTimeConverter,
    bytes: HexBytesConverter,
}


@cache
def converter_for(hint: Any) -> Converter:
    """The converter for a type hint of the model (cached: one per distinct hint)."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *markers = get_args(hint)
        if any(isinstance(m, HexNumber) for m in markers):
            inner: Converter = HexNumberConverter()
        else:
            inner = converter_for(base)
        rules = tuple(m for m in markers if not isinstance(m, HexNumber | Derived))
        return Checked(inner, rules) if rules else inner
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {hint!r}")
        return OptionalOf(converter_for(args[0]))
    if origin is tuple:
        parts = get_args(hint)
        if len(parts) != 2 or parts[1] is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] is supported, not {hint!r}")
        return TupleOf(converter_for(parts[0]))
    if hint in _SCALARS:
        return _SCALARS[hint]()
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return EnumByValue(hint)
    if isinstance(hint, type) and issubclass(hint, IntEnum | IntFlag):
        return EnumByName(hint)
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
    while isinstance(conv, Checked | OptionalOf | TupleOf):
        conv = conv.inner
    return conv.cls if isinstance(conv, Record) else None


def _is_list(conv: Converter) -> bool:
    while isinstance(conv, Checked | OptionalOf):
        conv = conv.inner
    return isinstance(conv, TupleOf)


__all__ = [
    "FieldSpec",
    "Record",
    "converter_for",
    "document_keys",
    "record_for",
]
