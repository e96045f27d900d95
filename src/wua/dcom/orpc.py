"""ORPCTHIS / ORPCTHAT and MInterfacePointer: the NDR wrappers of every ORPC call.

MS-DCOM 2.2.13-2.2.14. Every ORPC request stub starts with an ORPCTHIS (COM version,
flags, causality ID, optional extensions) and every reply stub with an ORPCTHAT. The
extensions are a unique pointer to an ORPC_EXTENT_ARRAY whose array and data sizes are
rounded (to 2 entries and 8 bytes); the records keep what is on the wire and `check_*`
verifies the rounding rules the NDR codec cannot express.

An MInterfacePointer is a counted byte array; its bytes are an OBJREF
(`wua.dcom.objref.decode_objref` / `encode_objref`).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field

from wua.dcom.objref import ObjRef, decode_objref
from wua.errors import ProtocolError
from wua.rpc import ndr

ORPCF_NULL = 0
NULL_CID = uuid.UUID(int=0)
ORPCF_LOCAL = 1

# MS-DCOM 3.2.4.2 (pinging): a client pings each ping period, and an exporter collects
# an object after this many periods without a ping naming it. The client's ping loop and
# the emulated exporter's garbage collection read both from here.
PING_PERIOD_SECONDS = 120.0
PINGS_MISSED_BEFORE_COLLECTION = 3


@dataclass(frozen=True)
class ComVersion:
    major: int = 5
    minor: int = 7


COMVERSION = ndr.Struct("COMVERSION", [("major", ndr.u16), ("minor", ndr.u16)], record=ComVersion)


@dataclass(frozen=True)
class OrpcExtent:
    """One extension; `data` is the wire array, rounded up to 8 bytes, of which `size` count."""

    id: uuid.UUID
    size: int
    data: bytes

    @classmethod
    def of(cls, extent_id: uuid.UUID, payload: bytes) -> OrpcExtent:
        return cls(extent_id, len(payload), payload + bytes(-len(payload) & 7))

    @property
    def payload(self) -> bytes:
        return self.data[: self.size]


ORPC_EXTENT = ndr.Struct(
    "ORPC_EXTENT",
    [("id", ndr.GUID), ("size", ndr.u32), ("data", ndr.ConformantArray(ndr.u8))],
    record=OrpcExtent,
)


@dataclass(frozen=True)
class OrpcExtentArray:
    """`extents` has (size + 1) & ~1 slots on the wire; a padding slot is None."""

    size: int
    reserved: int
    extents: list[OrpcExtent | None] | None

    @classmethod
    def of(cls, extents: list[OrpcExtent]) -> OrpcExtentArray:
        slots: list[OrpcExtent | None] = list(extents)
        if len(slots) % 2:
            slots.append(None)
        return cls(len(extents), 0, slots)


ORPC_EXTENT_ARRAY = ndr.Struct(
    "ORPC_EXTENT_ARRAY",
    [
        ("size", ndr.u32),
        ("reserved", ndr.u32),
        ("extents", ndr.Unique(ndr.ConformantArray(ndr.Unique(ORPC_EXTENT)))),
    ],
    record=OrpcExtentArray,
)


@dataclass(frozen=True)
class OrpcThis:
    """The implicit first [in] argument of an ORPC call; `cid` ties nested calls together.

    Fields are in wire order (the NDR table builds records positionally), so pass them by
    keyword; a caller must supply a fresh random `cid` per logical call chain.
    """

    version: ComVersion = field(default_factory=ComVersion)
    flags: int = ORPCF_NULL
    reserved1: int = 0
    cid: uuid.UUID = NULL_CID
    extensions: OrpcExtentArray | None = None


ORPCTHIS = ndr.Struct(
    "ORPCTHIS",
    [
        ("version", COMVERSION),
        ("flags", ndr.u32),
        ("reserved1", ndr.u32),
        ("cid", ndr.GUID),
        ("extensions", ndr.Unique(ORPC_EXTENT_ARRAY)),
    ],
    record=OrpcThis,
)


@dataclass(frozen=True)
class OrpcThat:
    """The implicit first [out] argument of an ORPC reply."""

    flags: int = ORPCF_NULL
    extensions: OrpcExtentArray | None = None


ORPCTHAT = ndr.Struct(
    "ORPCTHAT",
    [("flags", ndr.u32), ("extensions", ndr.Unique(ORPC_EXTENT_ARRAY))],
    record=OrpcThat,
)


@dataclass(frozen=True)
class MInterfacePointer:
    """An interface pointer on the wire: an OBJREF as a counted byte array."""

    ulCntData: int
    abData: bytes

    @classmethod
    def of(cls, objref: ObjRef) -> MInterfacePointer:
        data = objref.encode()
        return cls(len(data), data)

    def objref(self) -> ObjRef:
        return decode_objref(self.abData)


MINTERFACEPOINTER = ndr.Struct(
    "MInterfacePointer",
    [("ulCntData", ndr.u32), ("abData", ndr.ConformantArray(ndr.u8))],
    record=MInterfacePointer,
)


def check_counts(value: object, structure: str) -> None:
    """Check the count/size relations NDR cannot state, anywhere inside a decoded value.

    Walks dataclasses and lists, so a stub or property set is checked in one call.
    """
    if isinstance(value, MInterfacePointer):
        check_interface_pointer(value, structure)
    elif isinstance(value, OrpcExtentArray):
        check_extents(value, structure)
    elif isinstance(value, list):
        for item in value:
            check_counts(item, structure)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            check_counts(getattr(value, item.name), f"{structure}.{item.name}")


def check_extents(value: OrpcExtentArray | None, structure: str) -> None:
    """The rounding rules of MS-DCOM 2.2.13.1-2.2.13.2, which NDR cannot state."""
    if value is None:
        return
    slots = value.extents or []
    if len(slots) != (value.size + 1) & ~1:
        raise ProtocolError(
            f"ORPC_EXTENT_ARRAY size {value.size} but {len(slots)} slots",
            structure=structure,
            offset=0,
        )
    for extent in slots:
        if extent is not None and len(extent.data) != (extent.size + 7) & ~7:
            raise ProtocolError(
                f"ORPC_EXTENT size {extent.size} but {len(extent.data)} data bytes",
                structure=f"{structure}.ORPC_EXTENT",
                offset=0,
            )


def check_interface_pointer(value: MInterfacePointer | None, structure: str) -> None:
    if value is not None and value.ulCntData != len(value.abData):
        raise ProtocolError(
            f"ulCntData {value.ulCntData} but {len(value.abData)} bytes",
            structure=structure,
            offset=0,
        )
