"""The WUA interfaces as typed records: IIDs, members in vtable order, DISPIDs, slots.

Built from `data/interfaces.json`. The vtable slot of a member is its wire opnum
(IUnknown 0-2, IDispatch 3-6, first own member 7); MS-UAMG's printed opnums disagree
with each other, the slot does not (reference README, "Opnum caveat").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

from wua.reference._data import load

IUNKNOWN_IID = "00000000-0000-0000-c000-000000000046"
IDISPATCH_IID = "00020400-0000-0000-c000-000000000046"
IENUMVARIANT_IID = "00020404-0000-0000-c000-000000000046"

DISPID_VALUE = 0
DISPID_NEWENUM = -4
DISPID_PROPERTYPUT = -3
DISPID_UNKNOWN = -1

# IDispatch::Invoke wFlags (MS-OAUT 3.1.4.4); both the client and the emulator's model
# read them from here.
DISPATCH_METHOD = 0x1
DISPATCH_PROPERTYGET = 0x2
DISPATCH_PROPERTYPUT = 0x4
DISPATCH_PROPERTYPUTREF = 0x8


class MemberKind(Enum):
    PROPGET = "propget"
    PROPPUT = "propput"
    METHOD = "method"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    direction: str


@dataclass(frozen=True)
class Member:
    """One vtable entry of an interface (a property get/put pair is two members)."""

    interface: str
    name: str
    kind: MemberKind
    dispid: int
    params: tuple[Param, ...]
    returns: str | None
    slot: int
    remote_restricted: bool
    on_wire: bool
    notes: str

    @property
    def opnum(self) -> int:
        """The ORPC opnum: the vtable slot."""
        return self.slot

    @property
    def returns_interface(self) -> str | None:
        """'IUpdate' for a member returning `IUpdate*`, else None."""
        if self.returns and self.returns.endswith("*"):
            return self.returns[:-1]
        return None


@dataclass(frozen=True)
class Interface:
    name: str
    iid: str
    parent: str
    sdk_remote: bool
    in_ms_uamg: bool
    members: tuple[Member, ...]  # own members, vtable order

    def all_members(self) -> tuple[Member, ...]:
        """Own and inherited WUA members (IUnknown/IDispatch excluded), vtable order."""
        base = interfaces_by_name().get(self.parent)
        inherited = base.all_members() if base is not None else ()
        return inherited + self.members

    def member(self, name: str, kind: MemberKind | None = None) -> Member:
        """The member named `name` (case-insensitive); with `kind` for property pairs."""
        wanted = name.lower()
        for m in self.all_members():
            if m.name.lower() == wanted and (kind is None or m.kind is kind):
                return m
        raise KeyError(f"{self.name} has no member {name!r}" + (f" ({kind.value})" if kind else ""))

    def by_dispid(self, dispid: int) -> tuple[Member, ...]:
        return tuple(m for m in self.all_members() if m.dispid == dispid)

    def by_slot(self, slot: int) -> Member | None:
        for m in self.all_members():
            if m.slot == slot:
                return m
        return None

    def chain(self) -> tuple[str, ...]:
        """This interface and its WUA ancestors, most derived first."""
        base = interfaces_by_name().get(self.parent)
        return (self.name,) + (base.chain() if base is not None else ())

    @property
    def is_dispatch(self) -> bool:
        """Derived from IDispatch (dual): the callbacks and IUpdateLockdown are not."""
        root = interfaces_by_name()[self.chain()[-1]]
        return root.parent == "IDispatch"


def _member(interface: str, raw: dict[str, object]) -> Member:
    params = tuple(
        Param(str(p["name"]), str(p["type"]), str(p["dir"]))
        for p in raw["params"]  # type: ignore[attr-defined]
    )
    return Member(
        interface=interface,
        name=str(raw["name"]),
        kind=MemberKind(raw["kind"]),
        dispid=int(raw["dispid_dec"]),  # type: ignore[call-overload]
        params=params,
        returns=None if raw.get("returns") is None else str(raw["returns"]),
        slot=int(raw["vtable_slot"]),  # type: ignore[call-overload]
        remote_restricted=bool(raw.get("remote_restricted", False)),
        on_wire=bool(raw.get("ms_uamg_on_wire", True)),
        notes=str(raw.get("notes", "")),
    )


@cache
def interfaces_by_name() -> dict[str, Interface]:
    """Every interface of the reference, by name."""
    out: dict[str, Interface] = {}
    for name, raw in load("interfaces")["interfaces"].items():
        out[name] = Interface(
            name=name,
            iid=raw["iid"].lower(),
            parent=raw["parent"],
            sdk_remote=bool(raw.get("sdk_remote_list", False)),
            in_ms_uamg=bool(raw.get("in_ms_uamg", False)),
            members=tuple(_member(name, m) for m in raw["members"]),
        )
    return out


@cache
def interfaces_by_iid() -> dict[str, Interface]:
    return {i.iid: i for i in interfaces_by_name().values()}


def interface(name_or_iid: str) -> Interface:
    """An interface by name ('IUpdate') or IID (any case)."""
    found = interfaces_by_name().get(name_or_iid) or interfaces_by_iid().get(name_or_iid.lower())
    if found is None:
        raise KeyError(f"unknown interface {name_or_iid!r}")
    return found


def remote_interfaces() -> tuple[Interface, ...]:
    """The 26 interfaces "Using WUA From a Remote Computer" lists."""
    return tuple(i for i in interfaces_by_name().values() if i.sdk_remote)
