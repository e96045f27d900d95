"""Reading the emulated host through `invoke` only, as the wire layer will."""

from __future__ import annotations

from wua.emulator.wua import EmulatedObject, Enumerator, SearchWarning, invoke
from wua.reference import MemberKind, interface
from wua.reference.enums import UpdateExceptionContext

GET = MemberKind.PROPGET
PUT = MemberKind.PROPPUT
CALL = MemberKind.METHOD

# A search warning as a host behind a flaky proxy reports it (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED).
WARNING = SearchWarning(
    "The search could not reach every product's metadata",
    0x8024402C,
    UpdateExceptionContext.uecSearchIncomplete,
)


def get(obj: EmulatedObject, iface: str, member: str, *args: object) -> object:
    return invoke(obj, iface, member, GET, list(args))


def put(obj: EmulatedObject, iface: str, member: str, *args: object) -> object:
    return invoke(obj, iface, member, PUT, list(args))


def call(obj: EmulatedObject, iface: str, member: str, *args: object) -> object:
    return invoke(obj, iface, member, CALL, list(args))


def obj(value: object) -> EmulatedObject:
    """The value as an emulated object (fails the test if it is not one)."""
    if not isinstance(value, EmulatedObject):
        raise AssertionError(f"expected an emulated object, got {value!r}")
    return value


def items(collection: object, iface: str) -> list[object]:
    """Every item of a collection, read with Count and Item."""
    coll = obj(collection)
    count = get(coll, iface, "Count")
    assert isinstance(count, int)
    return [get(coll, iface, "Item", i) for i in range(count)]


def item_interface(collection_iface: str) -> str:
    returns = interface(collection_iface).member("Item", GET).returns
    assert returns is not None
    return returns.rstrip("*")


def drain(enumerator: object) -> tuple[object, ...]:
    assert isinstance(enumerator, Enumerator)
    return enumerator.next(1_000_000).items
