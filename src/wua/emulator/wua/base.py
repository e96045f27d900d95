"""The emulated object: one handler table answering (member, kind) for all its interfaces.

Both ways a remote caller reaches a member — IDispatch::Invoke by DISPID and a direct
vtable call by opnum — resolve to the same (member name, kind) through `wua.reference`,
so each object needs exactly one table. As in asyncssh's handler tables, the table maps
a key to the *name* of a method: subclasses extend their parents' tables, and a table is
plain data that a test can check for completeness against the reference.

Most getters just read a field of the catalog record the object stands for; `FIELDS`
binds those declaratively (property -> dotted attribute path on `source`, optionally
with a conversion such as "as a read-only IStringCollection"), so only the members
with behaviour get a method. `SETTINGS` does the same for read-write properties that
only keep what the caller put (a searcher's Online, a session's ClientApplicationID):
property -> attribute of the object's mutable `settings`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

from wua.emulator.wua.names import field_name
from wua.reference.interfaces import MemberKind

GET = MemberKind.PROPGET
PUT = MemberKind.PROPPUT
CALL = MemberKind.METHOD

HandlerKey = tuple[str, MemberKind]
Handler = Callable[..., object]
HandlerTable = Mapping[HandlerKey, str]


@dataclass(frozen=True)
class Field:
    """A getter that reads `path` on the object's record and hands out `convert(value)`."""

    path: str
    convert: Callable[[Any], object] | None = None

    def read(self, record: object) -> object:
        value = read_path(record, self.path)
        return value if self.convert is None else self.convert(value)


FieldTable = Mapping[str, "str | Field"]


def by_name(*properties: str) -> dict[str, str | Field]:
    """FIELDS entries for properties whose catalog field has the snake-case name."""
    return {p: field_name(p) for p in properties}


def settings_by_name(*properties: str) -> dict[str, str]:
    """SETTINGS entries for properties kept in the same-named attribute of `settings`."""
    return {p: field_name(p) for p in properties}


def converted(convert: Callable[[Any], object], *properties: str) -> dict[str, str | Field]:
    """FIELDS entries for same-named fields handed out through `convert`."""
    return {p: Field(field_name(p), convert) for p in properties}


class EmulatedObject:
    """Base of every object the emulated host hands to a remote caller.

    `INTERFACES` are the WUA interfaces the object answers QueryInterface for (an object
    may narrow them per instance by overriding `interfaces`, as a driver update does).
    """

    INTERFACES: ClassVar[tuple[str, ...]] = ()
    HANDLERS: ClassVar[HandlerTable] = {}
    FIELDS: ClassVar[FieldTable] = {}
    _handlers: ClassVar[Mapping[HandlerKey, str]] = MappingProxyType({})
    _fields: ClassVar[Mapping[str, Field]] = MappingProxyType({})
    SETTINGS: ClassVar[Mapping[str, str]] = {}
    _settings: ClassVar[Mapping[str, str]] = MappingProxyType({})

    source: Any = None
    settings: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[HandlerKey, str] = {}
        fields: dict[str, Field] = {}
        settings: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for (member, kind), method in vars(klass).get("HANDLERS", {}).items():
                handlers[(member.lower(), kind)] = method
            for prop, binding in vars(klass).get("FIELDS", {}).items():
                fields[prop.lower()] = binding if isinstance(binding, Field) else Field(binding)
            for prop, attribute in vars(klass).get("SETTINGS", {}).items():
                settings[prop.lower()] = attribute
        for method in handlers.values():
            if not callable(getattr(cls, method, None)):
                raise TypeError(f"{cls.__name__}.HANDLERS names {method!r}, which it lacks")
        # Read-only from here on: a class's table is fixed when the class is made.
        cls._handlers = MappingProxyType(handlers)
        cls._fields = MappingProxyType(fields)
        cls._settings = MappingProxyType(settings)

    def interfaces(self) -> tuple[str, ...]:
        return self.INTERFACES

    def implements(self, interface: str) -> bool:
        return interface in self.interfaces()

    def handler(self, member: str, kind: MemberKind) -> Handler | None:
        """The callable answering `member` of `kind`, or None when the table has none."""
        method = self._handlers.get((member.lower(), kind))
        if method is not None:
            handler: Handler = getattr(self, method)
            return handler
        attribute = self._settings.get(member.lower())
        if attribute is not None and kind is GET:
            return lambda: getattr(self.settings, attribute)
        if attribute is not None and kind is PUT:
            return lambda value: setattr(self.settings, attribute, value)
        binding = self._fields.get(member.lower()) if kind is GET else None
        if binding is None:
            return None
        return lambda: binding.read(self.source)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.interfaces()[0] if self.interfaces() else ''}>"


def read_path(record: object, path: str) -> object:
    """The value at a dotted attribute path (`eula.accepted`) of a catalog record."""
    value = record
    for part in path.split("."):
        value = getattr(value, part)
    return value
