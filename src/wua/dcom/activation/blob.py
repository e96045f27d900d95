"""The activation properties BLOB (MS-DCOM 2.2.22) and its OBJREF_CUSTOM envelope.

Layout: dwSize, dwReserved, then a type-serialized CustomHeader listing each property
set by CLSID and size, then the serialized property sets back to back. The order of the
sets is significant to some readers (impacket takes the reply's first set as
PropsOutInfo and the second as ScmReplyInfoData), so `ActivationBlob.properties` is an
ordered list and encoding keeps it.

The whole blob travels as the object data of an OBJREF_CUSTOM whose CLSID says
"activation properties in" (request) or "out" (reply), inside an MInterfacePointer.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass

from wua.dcom import interfaces as ids
from wua.dcom.activation.properties import (
    NULL_GUID,
    PROPERTY_TYPES,
    PropertySet,
    check_property,
    property_type,
)
from wua.dcom.objref import ObjRefCustom, decode_objref
from wua.dcom.orpc import MInterfacePointer
from wua.errors import ProtocolError
from wua.rpc import ndr

_STRUCTURE = "ActivationPropertiesBlob"
_BLOB_HEAD = struct.Struct("<II")


@dataclass(frozen=True)
class CustomHeader:
    totalSize: int
    headerSize: int
    dwReserved: int
    destCtx: int
    cIfs: int
    classInfoClsid: uuid.UUID
    pclsid: list[uuid.UUID] | None
    pSizes: list[int] | None
    pdwReserved: int | None


CUSTOM_HEADER = ndr.Struct(
    "CustomHeader",
    [
        ("totalSize", ndr.u32),
        ("headerSize", ndr.u32),
        ("dwReserved", ndr.u32),
        ("destCtx", ndr.u32),
        ("cIfs", ndr.u32),
        ("classInfoClsid", ndr.GUID),
        ("pclsid", ndr.Unique(ndr.ConformantArray(ndr.GUID))),
        ("pSizes", ndr.Unique(ndr.ConformantArray(ndr.u32))),
        ("pdwReserved", ndr.Unique(ndr.u32)),
    ],
    record=CustomHeader,
)


@dataclass(frozen=True)
class OpaqueProperty:
    """A property set we have no declaration for, kept as its serialized bytes."""

    clsid: uuid.UUID
    serialized: bytes


Property = PropertySet | OpaqueProperty


@dataclass(frozen=True)
class ActivationBlob:
    properties: list[Property]
    destCtx: int = 2  # MSHCTX_DIFFERENTMACHINE
    classInfoClsid: uuid.UUID = NULL_GUID
    dwReserved: int = 0

    def find(self, kind: type[PropertySet]) -> PropertySet | None:
        """The first property set of a class, or None."""
        return next((p for p in self.properties if isinstance(p, kind)), None)

    def encode(self) -> bytes:
        clsids: list[uuid.UUID] = []
        parts: list[bytes] = []
        for prop in self.properties:
            if isinstance(prop, OpaqueProperty):
                clsids.append(prop.clsid)
                parts.append(prop.serialized)
            else:
                clsid, kind = property_type(prop)
                clsids.append(clsid)
                parts.append(ndr.serialize(kind, prop))
        sizes = [len(p) for p in parts]
        body = b"".join(parts)

        def header(total: int, header_size: int) -> bytes:
            value = CustomHeader(
                total,
                header_size,
                self.dwReserved,
                self.destCtx,
                len(clsids),
                self.classInfoClsid,
                clsids,
                sizes,
                None,
            )
            return ndr.serialize(CUSTOM_HEADER, value)

        header_size = len(header(0, 0))  # sizes are fixed-width: the length does not change
        total = header_size + len(body)
        return _BLOB_HEAD.pack(total, 0) + header(total, header_size) + body

    @classmethod
    def decode(cls, data: bytes) -> ActivationBlob:
        if len(data) < _BLOB_HEAD.size:
            raise ProtocolError("shorter than dwSize + dwReserved", structure=_STRUCTURE, offset=0)
        size, _reserved = _BLOB_HEAD.unpack_from(data)
        start = _BLOB_HEAD.size
        if size != len(data) - start:
            raise ProtocolError(
                f"dwSize {size} but {len(data) - start} bytes follow",
                structure=_STRUCTURE,
                offset=0,
            )
        head, pos = ndr.deserialize_prefix(CUSTOM_HEADER, data, start)
        _check_header(head, pos - start, size)
        properties: list[Property] = []
        for clsid, length in zip(head.pclsid or [], head.pSizes or [], strict=True):
            chunk = data[pos : pos + length]
            if len(chunk) != length:
                raise ProtocolError(
                    f"property {clsid} of {length} bytes overruns the blob",
                    structure=_STRUCTURE,
                    offset=pos,
                )
            kind = PROPERTY_TYPES.get(clsid)
            if kind is None:
                properties.append(OpaqueProperty(clsid, chunk))
            else:
                value, used = ndr.deserialize_prefix(kind, _padded_length(chunk))
                if used != length:
                    raise ProtocolError(
                        f"{kind.name} uses {used} of its {length} bytes",
                        structure=_STRUCTURE,
                        offset=pos + used,
                    )
                check_property(value, kind.name, pos)
                properties.append(value)
            pos += length
        return cls(properties, head.destCtx, head.classInfoClsid, head.dwReserved)


def _padded_length(chunk: bytes) -> bytes:
    """Accept a private header whose ObjectBufferLength leaves out the final padding.

    MS-RPCE 2.2.6.2 says the length MUST include the padding and Windows writes it so,
    but impacket counts only the NDR bytes and pads after them (its pSizes entry does
    include the pad). Windows accepts such requests, so the emulator must too: when the
    padded length still fits the property's declared size, read it as padded.
    """
    if len(chunk) < 16:
        return chunk
    (length,) = struct.unpack_from("<I", chunk, 8)
    padded = length + (-length & 7)
    if padded == length or 16 + padded > len(chunk):
        return chunk
    return chunk[:8] + struct.pack("<I", padded) + chunk[12:]


def _check_header(head: CustomHeader, header_size: int, size: int) -> None:
    where = f"{_STRUCTURE}.CustomHeader"
    clsids, sizes = head.pclsid or [], head.pSizes or []
    problems = []
    if head.totalSize != size:
        problems.append(f"totalSize {head.totalSize} but dwSize {size}")
    if head.headerSize != header_size:
        problems.append(f"headerSize {head.headerSize} but the header takes {header_size}")
    if not head.cIfs == len(clsids) == len(sizes):
        problems.append(f"cIfs {head.cIfs}, {len(clsids)} CLSIDs, {len(sizes)} sizes")
    elif sum(sizes) != size - header_size:
        problems.append(f"property sizes add up to {sum(sizes)}, not {size - header_size}")
    if problems:
        raise ProtocolError("; ".join(problems), structure=where, offset=_BLOB_HEAD.size)


def wrap_blob(blob: ActivationBlob, *, reply: bool) -> MInterfacePointer:
    """The MInterfacePointer a RemoteCreateInstance/RemoteGetClassObject call carries."""
    iid, clsid = (
        (ids.IID_IACTIVATIONPROPERTIESOUT, ids.CLSID_ACTIVATIONPROPERTIESOUT)
        if reply
        else (ids.IID_IACTIVATIONPROPERTIESIN, ids.CLSID_ACTIVATIONPROPERTIESIN)
    )
    return MInterfacePointer.of(ObjRefCustom.like_windows(iid, clsid, blob.encode()))


def unwrap_blob(pointer: MInterfacePointer, *, reply: bool) -> ActivationBlob:
    """The blob inside an activation MInterfacePointer, checking its envelope."""
    objref = decode_objref(pointer.abData)
    expected = ids.CLSID_ACTIVATIONPROPERTIESOUT if reply else ids.CLSID_ACTIVATIONPROPERTIESIN
    if not isinstance(objref, ObjRefCustom) or objref.clsid != expected:
        raise ProtocolError(
            f"expected an OBJREF_CUSTOM of {expected}, got {objref!r:.80}",
            structure="OBJREF",
            offset=0,
        )
    return ActivationBlob.decode(objref.object_data)
