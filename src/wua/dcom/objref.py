"""OBJREF: the marshaled form of an interface pointer (MS-DCOM 2.2.18).

An OBJREF is a flat packed structure (not NDR) carried as the opaque bytes of an
MInterfacePointer. Four flavours share the header (signature "MEOW", flags, IID):

- STANDARD: a STDOBJREF (OXID, OID, IPID, references) plus the resolver's bindings;
  what every VT_DISPATCH/VT_UNKNOWN and every activated interface arrives as.
- HANDLER: STANDARD plus the CLSID of a client-side handler.
- CUSTOM: a CLSID of an unmarshaler and opaque data; activation blobs travel this way.
- EXTENDED: STANDARD plus one DATAELEMENT carrying an envoy context.

`decode_objref` picks the flavour from the flags field; `encode` on each class writes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from wua.dcom.bindings import DualStringArray
from wua.errors import ProtocolError
from wua.rpc.layout import U32, U64, UUID16, Reader, Record

OBJREF_SIGNATURE = 0x574F454D  # "MEOW" little-endian
OBJREF_STANDARD = 0x1
OBJREF_HANDLER = 0x2
OBJREF_CUSTOM = 0x4
OBJREF_EXTENDED = 0x8
EXTENDED_SIGNATURE = 0x4E535956  # "VYSN"

SORF_NOPING = 0x1000
"""STDOBJREF.flags: the object is not garbage-collected by pinging (MS-DCOM 2.2.18.2)."""


@dataclass(frozen=True)
class StdObjRef:
    """The identity of an exported interface: its exporter, object and interface IDs."""

    flags: int
    public_refs: int
    oxid: int
    oid: int
    ipid: uuid.UUID


STDOBJREF = Record(
    "STDOBJREF",
    StdObjRef,
    [("flags", U32), ("public_refs", U32), ("oxid", U64), ("oid", U64), ("ipid", UUID16)],
)


@dataclass(frozen=True)
class _Header:
    signature: int
    flags: int
    iid: uuid.UUID


_HEADER = Record("OBJREF", _Header, [("signature", U32), ("flags", U32), ("iid", UUID16)])


@dataclass(frozen=True)
class _CustomHead:
    clsid: uuid.UUID
    cb_extension: int
    reserved: int


_CUSTOM_HEAD = Record(
    "OBJREF_CUSTOM",
    _CustomHead,
    [("clsid", UUID16), ("cb_extension", U32), ("reserved", U32)],
)


@dataclass(frozen=True)
class _ExtendedCount:
    n_elms: int
    signature2: int


_EXTENDED_COUNT = Record("OBJREF_EXTENDED", _ExtendedCount, [("n_elms", U32), ("signature2", U32)])


@dataclass(frozen=True)
class _DataElementHead:
    data_id: uuid.UUID
    cb_size: int
    cb_rounded: int


_DATAELEMENT_HEAD = Record(
    "DATAELEMENT",
    _DataElementHead,
    [("data_id", UUID16), ("cb_size", U32), ("cb_rounded", U32)],
)


@dataclass(frozen=True)
class ObjRefStandard:
    iid: uuid.UUID
    std: StdObjRef
    resolver: DualStringArray = field(default_factory=DualStringArray)

    def encode(self) -> bytes:
        head = _HEADER.encode(_Header(OBJREF_SIGNATURE, OBJREF_STANDARD, self.iid))
        return head + STDOBJREF.encode(self.std) + self.resolver.encode()


@dataclass(frozen=True)
class ObjRefHandler:
    iid: uuid.UUID
    std: StdObjRef
    clsid: uuid.UUID
    resolver: DualStringArray = field(default_factory=DualStringArray)

    def encode(self) -> bytes:
        head = _HEADER.encode(_Header(OBJREF_SIGNATURE, OBJREF_HANDLER, self.iid))
        return head + STDOBJREF.encode(self.std) + self.clsid.bytes_le + self.resolver.encode()


@dataclass(frozen=True)
class ObjRefCustom:
    """`reserved` is ignored by receivers; Windows writes len(object_data) + 8 there."""

    iid: uuid.UUID
    clsid: uuid.UUID
    object_data: bytes
    reserved: int = 0
    cb_extension: int = 0

    @classmethod
    def like_windows(cls, iid: uuid.UUID, clsid: uuid.UUID, object_data: bytes) -> ObjRefCustom:
        return cls(iid, clsid, object_data, reserved=len(object_data) + 8)

    def encode(self) -> bytes:
        if self.cb_extension != 0:
            raise ProtocolError("cbExtension must be 0", structure="OBJREF_CUSTOM")
        head = _HEADER.encode(_Header(OBJREF_SIGNATURE, OBJREF_CUSTOM, self.iid))
        custom = _CUSTOM_HEAD.encode(_CustomHead(self.clsid, self.cb_extension, self.reserved))
        return head + custom + self.object_data


@dataclass(frozen=True)
class DataElement:
    """An envoy context; `data` is the meaningful bytes, padded to 8 on the wire."""

    data_id: uuid.UUID
    data: bytes

    def encode(self) -> bytes:
        if not self.data:
            raise ProtocolError("cbSize must not be 0", structure="DATAELEMENT")
        rounded = (len(self.data) + 7) // 8 * 8
        head = _DATAELEMENT_HEAD.encode(_DataElementHead(self.data_id, len(self.data), rounded))
        return head + self.data + bytes(rounded - len(self.data))

    @classmethod
    def read(cls, reader: Reader) -> DataElement:
        head = _DATAELEMENT_HEAD.read(reader)
        if head.cb_size == 0 or head.cb_rounded != (head.cb_size + 7) // 8 * 8:
            raise reader.fail(
                f"cbSize {head.cb_size} / cbRounded {head.cb_rounded} inconsistent",
                structure="DATAELEMENT",
            )
        body = reader.take(head.cb_rounded, "DATAELEMENT.Data")
        return cls(head.data_id, body[: head.cb_size])


@dataclass(frozen=True)
class ObjRefExtended:
    iid: uuid.UUID
    std: StdObjRef
    element: DataElement
    resolver: DualStringArray = field(default_factory=DualStringArray)

    def encode(self) -> bytes:
        head = _HEADER.encode(_Header(OBJREF_SIGNATURE, OBJREF_EXTENDED, self.iid))
        return b"".join(
            (
                head,
                STDOBJREF.encode(self.std),
                EXTENDED_SIGNATURE.to_bytes(4, "little"),
                self.resolver.encode(),
                _EXTENDED_COUNT.encode(_ExtendedCount(1, EXTENDED_SIGNATURE)),
                self.element.encode(),
            )
        )


ObjRef = ObjRefStandard | ObjRefHandler | ObjRefCustom | ObjRefExtended


def read_objref(reader: Reader) -> ObjRef:
    """Read one OBJREF; a CUSTOM one takes every remaining byte as its object data."""
    start = reader.offset
    head = _HEADER.read(reader)
    if head.signature != OBJREF_SIGNATURE:
        raise ProtocolError(
            f"signature 0x{head.signature:08x} is not MEOW", structure="OBJREF", offset=start
        )
    if head.flags == OBJREF_STANDARD:
        std = STDOBJREF.read(reader)
        return ObjRefStandard(head.iid, std, DualStringArray.read(reader))
    if head.flags == OBJREF_HANDLER:
        std = STDOBJREF.read(reader)
        clsid = reader.guid("OBJREF_HANDLER.clsid")
        return ObjRefHandler(head.iid, std, clsid, DualStringArray.read(reader))
    if head.flags == OBJREF_CUSTOM:
        custom = _CUSTOM_HEAD.read(reader)
        if custom.cb_extension != 0:
            raise reader.fail("cbExtension must be 0", structure="OBJREF_CUSTOM")
        return ObjRefCustom(head.iid, custom.clsid, reader.rest(), reserved=custom.reserved)
    if head.flags == OBJREF_EXTENDED:
        std = STDOBJREF.read(reader)
        if reader.u32("OBJREF_EXTENDED.Signature1") != EXTENDED_SIGNATURE:
            raise reader.fail("Signature1 is not VYSN", structure="OBJREF_EXTENDED")
        resolver = DualStringArray.read(reader)
        count = _EXTENDED_COUNT.read(reader)
        if count.n_elms != 1 or count.signature2 != EXTENDED_SIGNATURE:
            raise reader.fail(
                f"nElms {count.n_elms} / Signature2 0x{count.signature2:08x} invalid",
                structure="OBJREF_EXTENDED",
            )
        return ObjRefExtended(head.iid, std, DataElement.read(reader), resolver)
    raise ProtocolError(f"unknown flavour flags 0x{head.flags:x}", structure="OBJREF", offset=start)


def decode_objref(data: bytes) -> ObjRef:
    """The OBJREF in `data`, which must hold exactly one; the MInterfacePointer contents."""
    reader = Reader(data, "OBJREF")
    value = read_objref(reader)
    reader.expect_end()
    return value


def encode_objref(value: ObjRef) -> bytes:
    """The MInterfacePointer contents (abData) for an OBJREF."""
    return value.encode()
