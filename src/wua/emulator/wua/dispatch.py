"""The one entry point of the emulated host's WUA: `invoke`, and `query_interface`.

The wire layer resolves an IDispatch call (DISPID + flags) or a vtable call (opnum) to
a reference member (`member_for_dispid`, `member_for_slot`; `invoke_dispid` and
`invoke_slot` do both steps) and calls `invoke`; the rest
— refusing what remote callers may not do, checking arguments, finding the handler —
happens here, once, in the order Windows applies it:

1. the object must implement the interface (else E_NOINTERFACE);
2. members and interfaces denied to remote callers answer E_ACCESSDENIED, whatever the
   arguments, as WUA answers any caller that is not local (`wua.reference.remote`);
3. the member must exist (else DISP_E_MEMBERNOTFOUND);
4. the arguments must match the declared parameters: wrong count DISP_E_BADPARAMCOUNT,
   wrong type DISP_E_TYPEMISMATCH (details in `values`);
5. the handler runs; WUA failures leave it as `wua.errors` exceptions built by
   `error_for(hresult)`, so the wire layer puts `exc.hresult` in EXCEPINFO.scode (or
   returns it as the call's HRESULT on the vtable path).
"""

from __future__ import annotations

from collections.abc import Sequence

from wua.emulator.wua.base import EmulatedObject
from wua.emulator.wua.enumerator import Enumerator
from wua.emulator.wua.values import convert_argument, normalise_result
from wua.errors import error_for
from wua.reference.hresults import (
    DISP_E_BADPARAMCOUNT,
    DISP_E_MEMBERNOTFOUND,
    DISP_E_UNKNOWNNAME,
    E_ACCESSDENIED,
    E_NOINTERFACE,
    E_NOTIMPL,
)
from wua.reference.interfaces import (
    DISPATCH_METHOD,
    DISPATCH_PROPERTYGET,
    DISPATCH_PROPERTYPUT,
    DISPATCH_PROPERTYPUTREF,
    IDISPATCH_IID,
    IUNKNOWN_IID,
    Interface,
    Member,
    MemberKind,
    interface,
    interfaces_by_name,
)
from wua.reference.remote import restriction_for


def _interface_of(obj: EmulatedObject, name: str) -> Interface:
    try:
        iface = interface(name)
    except KeyError:
        raise error_for(E_NOINTERFACE, f"unknown interface {name!r}") from None
    if not obj.implements(iface.name):
        raise error_for(E_NOINTERFACE, f"{obj!r} does not implement {iface.name}")
    return iface


def invoke(
    obj: EmulatedObject,
    interface_name: str,
    member: str,
    kind: MemberKind,
    args: Sequence[object] = (),
) -> object:
    """Call `interface_name::member` (`kind`) on `obj` with Python arguments, in order."""
    iface = _interface_of(obj, interface_name)
    rule = restriction_for(iface.name, member, kind)
    if rule is not None:
        raise error_for(E_ACCESSDENIED, f"{iface.name}.{member}: {rule.source}")
    try:
        declared = iface.member(member, kind)
    except KeyError:
        raise error_for(
            DISP_E_MEMBERNOTFOUND, f"{iface.name} has no {kind.value} {member!r}"
        ) from None
    converted = _arguments(declared, args)
    handler = obj.handler(declared.name, kind)
    if handler is None:
        raise error_for(E_NOTIMPL, f"{type(obj).__name__} has no handler for {declared.name}")
    return normalise_result(declared.returns, handler(*converted))


def _arguments(member: Member, args: Sequence[object]) -> list[object]:
    params = [p for p in member.params if p.direction == "in"]
    if len(args) != len(params):
        raise error_for(
            DISP_E_BADPARAMCOUNT,
            f"{member.interface}.{member.name} takes {len(params)} argument(s), got {len(args)}",
        )
    return [
        convert_argument(p.type, value, f"{member.interface}.{member.name}({p.name})")
        for p, value in zip(params, args, strict=True)
    ]


def member_for_slot(interface_name: str, slot: int) -> Member:
    """The member a vtable call with this opnum reaches (DISP_E_MEMBERNOTFOUND if none)."""
    found = interface(interface_name).by_slot(slot)
    if found is None:
        raise error_for(DISP_E_MEMBERNOTFOUND, f"{interface_name} has no vtable slot {slot}")
    return found


def member_for_dispid(interface_name: str, dispid: int, flags: int) -> Member:
    """The member IDispatch::Invoke reaches with this DISPID and wFlags.

    As type-library Invoke does, the flags must name the member's kind: a put needs
    DISPATCH_PROPERTYPUT (or PROPERTYPUTREF, for an object value such as
    IUpdateCollection.Item), a getter DISPATCH_PROPERTYGET, a method DISPATCH_METHOD.
    Script hosts send 3 (METHOD|PROPERTYGET) for both methods and getters, which
    therefore reaches either; a getter asked for with DISPATCH_METHOD alone is
    DISP_E_MEMBERNOTFOUND.
    """
    candidates = interface(interface_name).by_dispid(dispid)
    wanted: tuple[MemberKind, ...]
    if flags & (DISPATCH_PROPERTYPUT | DISPATCH_PROPERTYPUTREF):
        wanted = (MemberKind.PROPPUT,)
    else:
        wanted = ()
        if flags & DISPATCH_METHOD:
            wanted += (MemberKind.METHOD,)
        if flags & DISPATCH_PROPERTYGET:
            wanted += (MemberKind.PROPGET,)
    for kind in wanted:
        for candidate in candidates:
            if candidate.kind is kind:
                return candidate
    raise error_for(
        DISP_E_MEMBERNOTFOUND,
        f"{interface_name} has no member with DISPID {dispid:#x} for flags {flags}",
    )


def dispatch_interface(obj: EmulatedObject) -> Interface:
    """The interface whose type information IDispatch on `obj` uses: its most derived one.

    DISPIDs are only unique within one interface chain: 0x60030001 is
    IUpdate2.RebootRequired on a software update but IWindowsDriverUpdate.DriverClass on
    a driver update. Each object lists its interfaces base first, so the last one's
    chain holds every member IDispatch can reach.
    """
    return interface(obj.interfaces()[-1])


def dispid_of_name(obj: EmulatedObject, name: str) -> int:
    """GetIDsOfNames for one member name (case-insensitive), or DISP_E_UNKNOWNNAME."""
    try:
        return dispatch_interface(obj).member(name).dispid
    except KeyError:
        raise error_for(DISP_E_UNKNOWNNAME, f"{obj!r} has no member named {name!r}") from None


def invoke_dispid(obj: EmulatedObject, dispid: int, flags: int, args: Sequence[object]) -> object:
    """IDispatch::Invoke: resolve the DISPID on the object's dispatch interface, then call."""
    iface = dispatch_interface(obj)
    member = member_for_dispid(iface.name, dispid, flags)
    return invoke(obj, iface.name, member.name, member.kind, args)


def invoke_slot(
    obj: EmulatedObject, interface_name: str, slot: int, args: Sequence[object]
) -> object:
    """A direct vtable call: opnum `slot` on the interface the caller's IPID names."""
    member = member_for_slot(interface_name, slot)
    return invoke(obj, interface_name, member.name, member.kind, args)


def query_interface(obj: EmulatedObject | Enumerator, iid: str) -> bool:
    """Does `obj` answer QueryInterface for `iid` (S_OK) rather than E_NOINTERFACE?"""
    if isinstance(obj, Enumerator):
        return obj.query_interface(iid)
    return iid.lower() in interface_ids(obj)


def interface_ids(obj: EmulatedObject) -> frozenset[str]:
    """Every IID `obj` answers QueryInterface for."""
    names = interfaces_by_name()
    return frozenset({IUNKNOWN_IID, IDISPATCH_IID} | {names[n].iid for n in obj.interfaces()})
