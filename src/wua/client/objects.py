"""Typed remote objects for the 26 remote interfaces, generated from `wua.reference`.

Each interface becomes a class (`IUpdate` -> `Update`) whose attributes are its members
in snake_case: property getters are descriptors whose value is awaited
(`await update.title`), methods are coroutines (`await searcher.search("IsInstalled=0")`).
Calls use the reference's DISPIDs, so GetIDsOfNames never travels. A member the remote
rules forbid raises NotAvailableRemotely before the session is touched. Properties that
return a collection give a list (enumerated in batches), an absent object None.

An object arrives as IDispatch, and the static type says only e.g. `IUpdate*`; the class
used is the newest remote version of it (IUpdate2 for IUpdate), since the same
dispatch object answers the newer members; `cast` picks another (a driver update).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from wua.client.naming import class_name, snake_case
from wua.client.rules import check_remote
from wua.client.snapshot import Row, jsonable, read_into, read_paths
from wua.client.values import from_variant, plain, to_variant
from wua.dcom import oaut
from wua.dcom.oaut import InterfacePointer
from wua.dcom.objref import ObjRefStandard, StdObjRef
from wua.reference.enums import UpdateType
from wua.reference.interfaces import (
    DISPID_NEWENUM,
    Interface,
    Member,
    MemberKind,
    interface,
    remote_interfaces,
)
from wua.reference.remote import restriction_for

if TYPE_CHECKING:
    from wua.client.session import AsyncSession, ObjectRef

# Collections with at most this many items are read with Item(i) calls (Count + n is
# fewer round trips than _NewEnum + QueryInterface + Next); larger ones through
# IEnumVARIANT in batches.
SMALL_COLLECTION = 2
DRIVER_TWIN = "IWindowsDriverUpdate2"
_GET_FLAGS = oaut.DISPATCH_METHOD | oaut.DISPATCH_PROPERTYGET


class RemoteList(list[Any]):
    """A collection's items; `source` is the remote collection they came from."""

    source: RemoteObject | None = None


class RemoteObject:
    """Base of the generated classes: one interface pointer of one session."""

    INTERFACE: ClassVar[Interface]

    def __init__(self, session: AsyncSession, ref: ObjectRef) -> None:
        self._session = session
        self.ref = ref
        self._is_driver: bool | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.ref.ipid} on {self._session.host}>"

    @property
    def interface_pointer(self) -> InterfacePointer:
        """The pointer to pass this object back as an argument."""
        std = StdObjRef(0, 0, 0, self.ref.oid, self.ref.ipid)
        return InterfacePointer(ObjRefStandard(self.ref.iid, std).encode())

    def _check(self, member: Member) -> None:
        check_remote(self.INTERFACE.name, member.name, member.kind, self._session.host)

    def assume_type(self, update_type: UpdateType) -> RemoteObject:
        """Record an update's Type when the search criteria fixed it (`Type='Software'`),
        so reading an IUpdate2 member needs no Type call first (see `_twin`)."""
        self._is_driver = update_type == UpdateType.utDriver
        return self

    async def _twin(self, member: Member) -> Member:
        """IUpdate2's DISPIDs name other members on a driver update, whose dispatch
        interface is IWindowsDriverUpdate2 (CveIDs' DISPID is DriverModel there), so the
        update's Type decides which DISPID to send; read once per object."""
        if member.interface != "IUpdate2":
            return member
        if self._is_driver is None:
            kind = await self._read(interface("IUpdate").member("Type"))
            self._is_driver = kind == UpdateType.utDriver
        if not self._is_driver:
            return member
        return interface(DRIVER_TWIN).member(member.name, member.kind)

    async def _read(self, member: Member, args: Iterable[Any] = (), *, as_list: bool = True) -> Any:
        self._check(member)
        member = await self._twin(member)
        variants = [to_variant(a, p.type) for a, p in zip(args, member.params, strict=False)]
        flags = oaut.DISPATCH_METHOD if member.kind is MemberKind.METHOD else _GET_FLAGS
        what = f"{member.interface}::{member.name}"
        result = await self._session.invoke(self.ref, member.dispid, flags, variants, what=what)
        value = from_variant(result, member.returns, self._session)
        if as_list and isinstance(value, RemoteCollection):
            return await value.to_list()
        return value

    async def collection(self, name: str) -> RemoteCollection:
        """A collection property as the remote collection itself, not read into a list
        (to ask only its `count`, or to pass it back as an argument)."""
        value = await self._read(
            _member_by_attr(type(self), name, MemberKind.PROPGET), as_list=False
        )
        if not isinstance(value, RemoteCollection):
            raise TypeError(f"{type(self).__name__}.{name} is not a collection")
        return value

    async def set(self, name: str, value: Any) -> None:
        """Property put: `await searcher.set("online", False)`."""
        await self._put(_member_by_attr(type(self), name, MemberKind.PROPPUT), [value])

    async def _put(self, member: Member, args: Iterable[Any]) -> None:
        self._check(member)
        variants = [to_variant(a, p.type) for a, p in zip(args, member.params, strict=True)]
        await self._session.invoke(
            self.ref,
            member.dispid,
            oaut.DISPATCH_PROPERTYPUT,
            variants,
            what=f"{member.interface}::{member.name}",
            put=True,
        )

    async def get(self, name: str) -> Any:
        """A property by its Python name (what the descriptors call)."""
        return await self._read(_member_by_attr(type(self), name, MemberKind.PROPGET))

    async def snapshot(
        self, fields: Iterable[str] | None = None, *, as_json: bool = False
    ) -> dict[str, Any]:
        """Read `fields` (default: every plain readable property; dotted paths such as
        `identity.update_id` allowed) concurrently into a dict, JSON-ready with `as_json`."""
        names = list(fields) if fields is not None else readable_fields(type(self))
        values = await read_paths(self, names)
        return jsonable(values) if as_json else values

    async def snapshot_as(self, row_type: type[Row], paths: dict[str, str] | None = None) -> Row:
        """Read a dataclass's fields (field name, or `paths[field]`) into an instance."""
        return await read_into(self, row_type, paths)

    def cast(self, interface_name: str) -> RemoteObject:
        """The same object seen through another interface (e.g. 'IWindowsDriverUpdate2')."""
        return interface_class(interface_name)(self._session, self.ref)

    async def release(self) -> None:
        """Give the host back this object's references now rather than at session close."""
        await self._session.release([self.ref])


class RemoteCollection(RemoteObject):
    """A WUA collection (Count, Item, _NewEnum)."""

    async def to_list(self) -> RemoteList:
        count_member = self.INTERFACE.member("Count")
        count = int(await self._read(count_member))
        item_member = self.INTERFACE.member("Item", MemberKind.PROPGET)
        items: list[Any]
        if count <= SMALL_COLLECTION:
            items = list(
                await asyncio.gather(*(self._read(item_member, [i]) for i in range(count)))
            )
        else:
            items = await self._enumerate(item_member.returns)
        out = RemoteList(items)
        out.source = self
        return out

    async def _enumerate(self, item_type: str | None) -> list[Any]:
        new_enum = self.INTERFACE.member("_NewEnum")
        self._check(new_enum)
        session = self._session
        result = await session.invoke(
            self.ref, DISPID_NEWENUM, _GET_FLAGS, [], what=f"{self.INTERFACE.name}::_NewEnum"
        )
        enumerator = from_variant(result, None, session)
        if not isinstance(enumerator, RemoteObject):
            return []
        variants = await session.enumerate(enumerator)
        return [
            from_variant(v, item_type, session)
            if item_type and item_type.endswith("*")
            else plain(v.vt, v.value, session)
            for v in variants
        ]


class Property:
    """A property getter (awaitable on access); assignment is refused here because a put
    is a network call: use `await obj.set(name, value)` — or, for a member the remote
    rules forbid, get NotAvailableRemotely at once."""

    def __init__(self, getter: Member | None, putter: Member | None) -> None:
        self.getter = getter
        self.putter = putter

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: RemoteObject | None, owner: type) -> Any:
        if obj is None:
            return self
        if self.getter is None:
            raise AttributeError(f"{self.name} can only be set")
        return obj._read(self.getter)

    def __set__(self, obj: RemoteObject, value: Any) -> None:
        if self.putter is None:
            raise AttributeError(f"{self.name} is read-only")
        obj._check(self.putter)
        raise TypeError(f"use `await obj.set({self.name!r}, value)` to set a remote property")


def _method(member: Member) -> Any:
    async def call(self: RemoteObject, *args: Any) -> Any:
        if member.kind is MemberKind.PROPPUT:
            return await self._put(member, args)
        return await self._read(member, args)

    call.__name__ = snake_case(member.name)
    call.__doc__ = f"{member.interface}::{member.name} (DISPID {member.dispid})."
    return call


@dataclass(frozen=True)
class _Members:
    getters: dict[str, Member]
    putters: dict[str, Member]
    methods: dict[str, Member]


def _members(iface: Interface) -> _Members:
    getters: dict[str, Member] = {}
    putters: dict[str, Member] = {}
    methods: dict[str, Member] = {}
    for member in iface.all_members():
        name = snake_case(member.name)
        if member.kind is MemberKind.PROPGET and not member.params:
            getters[name] = member
        elif member.kind is MemberKind.PROPPUT and len(member.params) == 1:
            putters[name] = member
        elif member.kind is MemberKind.PROPPUT:
            methods[f"set_{name}"] = member  # an indexed put: Item(index) = value
        elif member.name != "_NewEnum":
            methods[name] = member  # methods and indexed getters (Item)
    return _Members(getters, putters, methods)


class UntypedObject(RemoteObject):
    """An object whose interface the reference does not describe (an enumerator)."""


def object_class(interface_name: str | None) -> type[RemoteObject]:
    """The class for an object statically typed `interface_name` (its newest version)."""
    if interface_name is None:
        return UntypedObject
    try:
        return interface_class(_newest(interface_name))
    except KeyError:
        return UntypedObject


@cache
def interface_class(interface_name: str) -> type[RemoteObject]:
    """The generated class of exactly this interface."""
    iface = interface(interface_name)
    members = _members(iface)
    namespace: dict[str, Any] = {"INTERFACE": iface, "__doc__": f"{iface.name} ({iface.iid})."}
    for name in members.getters.keys() | members.putters.keys():
        namespace[name] = Property(members.getters.get(name), members.putters.get(name))
    for name, member in members.methods.items():
        namespace[name] = _method(member)
    is_collection = any(m.dispid == DISPID_NEWENUM for m in iface.all_members())
    base = RemoteCollection if is_collection else RemoteObject
    return type(class_name(iface.name), (base,), namespace)


def _newest(name: str) -> str:
    """IUpdate -> IUpdate2: the highest numbered remote interface of the same family."""
    family = [
        i.name
        for i in remote_interfaces()
        if i.name.rstrip("0123456789") == name.rstrip("0123456789") and name in i.chain()
    ]
    return max(family, default=name)


def _member_by_attr(cls: type[RemoteObject], name: str, kind: MemberKind) -> Member:
    members = _members(cls.INTERFACE)
    table = members.getters if kind is MemberKind.PROPGET else members.putters
    if name not in table:
        raise AttributeError(f"{cls.__name__} has no {kind.value} {name!r}")
    return table[name]


def readable_fields(cls: type[RemoteObject]) -> list[str]:
    """Plain properties a remote caller may read (no restricted ones)."""
    members = _members(cls.INTERFACE)
    return [
        name
        for name, m in members.getters.items()
        if restriction_for(cls.INTERFACE.name, m.name, MemberKind.PROPGET) is None
    ]


def classes() -> dict[str, type[RemoteObject]]:
    """Every generated class by interface name (the 26 remote interfaces)."""
    return {i.name: interface_class(i.name) for i in remote_interfaces()}
