"""DUALSTRINGARRAY: where an object exporter listens and which security it accepts.

MS-DCOM 2.2.19. Both the packet version (inside an OBJREF) and the NDR version (a
conformant array in ScmReplyInfoData and IObjectExporter replies) carry the same array of
16-bit units: STRINGBINDINGs ended by a zero, then SECURITYBINDINGs ended by a zero. An
empty list is written as two zeros, so the smallest array is four zero units with
wSecurityOffset 2 (2.2.19.1). Both versions share `DualStringArray.units()` /
`DualStringArray.from_units()`; only the framing differs.

Decoding accepts extra zero units after a terminator (they change no meaning);
encoding always writes the canonical form Windows writes.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wua.errors import ProtocolError
from wua.rpc import ndr
from wua.rpc.layout import Reader

TOWER_NCACN_IP_TCP = 0x07
"""wTowerId of TCP string bindings, the only transport DCOM uses on the wire today."""

AUTHZ_DEFAULT = 0xFFFF
"""SECURITYBINDING.Reserved: Windows writes 0xFFFF (RPC_C_AUTHZ_DEFAULT)."""

_HOST_PORT = re.compile(r"^(?P<host>[^\[\]]*)\[(?P<port>[0-9]{1,5})\]$")
_STRUCTURE = "DUALSTRINGARRAY"


@dataclass(frozen=True)
class StringBinding:
    """One network address; for TCP "host" (resolver) or "host[port]" (exporter)."""

    tower_id: int
    network_address: str

    @property
    def host(self) -> str:
        match = _HOST_PORT.match(self.network_address)
        return match["host"] if match else self.network_address

    @property
    def port(self) -> int | None:
        """The exporter port, which a client pairs with the address the *user* gave."""
        match = _HOST_PORT.match(self.network_address)
        return int(match["port"]) if match else None

    @classmethod
    def tcp(cls, host: str, port: int | None = None) -> StringBinding:
        address = host if port is None else f"{host}[{port}]"
        return cls(TOWER_NCACN_IP_TCP, address)


@dataclass(frozen=True)
class SecurityBinding:
    """An authentication service the exporter accepts, with its principal name."""

    authn_svc: int
    principal_name: str = ""
    authz_svc: int = AUTHZ_DEFAULT


@dataclass(frozen=True)
class DualStringArray:
    string_bindings: tuple[StringBinding, ...] = ()
    security_bindings: tuple[SecurityBinding, ...] = ()

    # -- the 16-bit unit array shared by both wire versions ---------------------------

    def units(self) -> tuple[tuple[int, ...], int]:
        """The aStringArray units and wSecurityOffset."""
        out: list[int] = []
        for sb in self.string_bindings:
            _check_u16(sb.tower_id, "wTowerId", nonzero=True)
            out.append(sb.tower_id)
            out.extend(_string_units(sb.network_address, "aNetworkAddr"))
        out.extend([0] if self.string_bindings else [0, 0])
        security_offset = len(out)
        for sec in self.security_bindings:
            _check_u16(sec.authn_svc, "wAuthnSvc", nonzero=True)
            _check_u16(sec.authz_svc, "Reserved", nonzero=False)
            out.extend((sec.authn_svc, sec.authz_svc))
            out.extend(_string_units(sec.principal_name, "aPrincName"))
        out.extend([0] if self.security_bindings else [0, 0])
        if len(out) > 0xFFFF:
            raise ProtocolError("more than 65535 units", structure=_STRUCTURE)
        return tuple(out), security_offset

    @classmethod
    def from_units(
        cls, units: Sequence[int], security_offset: int, *, structure: str, offset: int
    ) -> DualStringArray:
        """Parse aStringArray; `offset` is where units[0] sits, for error positions."""
        if security_offset > len(units):
            raise ProtocolError(
                f"wSecurityOffset {security_offset} beyond wNumEntries {len(units)}",
                structure=structure,
                offset=offset,
            )
        strings = _UnitCursor(units, 0, security_offset, structure, offset)
        string_bindings: list[StringBinding] = []
        while (tower := strings.next("wTowerId")) != 0:
            string_bindings.append(StringBinding(tower, strings.string("aNetworkAddr")))
        strings.only_zeros()
        security = _UnitCursor(units, security_offset, len(units), structure, offset)
        security_bindings: list[SecurityBinding] = []
        while (authn := security.next("wAuthnSvc")) != 0:
            authz = security.next("Reserved")
            security_bindings.append(SecurityBinding(authn, security.string("aPrincName"), authz))
        security.only_zeros()
        return cls(tuple(string_bindings), tuple(security_bindings))

    # -- packet version (2.2.19.1): inside OBJREF -------------------------------------

    def encode(self) -> bytes:
        units, security_offset = self.units()
        return struct.pack(f"<HH{len(units)}H", len(units), security_offset, *units)

    @classmethod
    def read(cls, reader: Reader) -> DualStringArray:
        count = reader.u16("wNumEntries")
        security_offset = reader.u16("wSecurityOffset")
        start = reader.offset
        units = struct.unpack(f"<{count}H", reader.take(2 * count, "aStringArray"))
        return cls.from_units(units, security_offset, structure=_STRUCTURE, offset=start)

    @classmethod
    def decode(cls, data: bytes) -> DualStringArray:
        reader = Reader(data, _STRUCTURE)
        value = cls.read(reader)
        reader.expect_end()
        return value


class _UnitCursor:
    """Walks one section of aStringArray, locating errors in bytes from the array start."""

    def __init__(
        self, units: Sequence[int], start: int, end: int, structure: str, offset: int
    ) -> None:
        self._units = units
        self._pos = start
        self._end = end
        self._structure = structure
        self._offset = offset

    def _fail(self, message: str) -> ProtocolError:
        return ProtocolError(
            message, structure=self._structure, offset=self._offset + 2 * self._pos
        )

    def next(self, what: str) -> int:
        if self._pos >= self._end:
            raise self._fail(f"{what}: section ends before its zero terminator")
        value = self._units[self._pos]
        self._pos += 1
        return value

    def string(self, what: str) -> str:
        start = self._pos
        while self.next(what) != 0:
            pass
        chars = self._units[start : self._pos - 1]
        raw = struct.pack(f"<{len(chars)}H", *chars)
        try:
            return raw.decode("utf-16-le")
        except UnicodeDecodeError as exc:
            self._pos = start
            raise self._fail(f"{what} is not valid UTF-16") from exc

    def only_zeros(self) -> None:
        while self._pos < self._end:
            if self._units[self._pos] != 0:
                raise self._fail("non-zero unit after the terminator")
            self._pos += 1


def _string_units(text: str, what: str) -> list[int]:
    if "\x00" in text:
        raise ProtocolError(f"{what} contains NUL", structure=_STRUCTURE)
    try:
        raw = text.encode("utf-16-le")
    except UnicodeEncodeError as exc:
        raise ProtocolError(f"{what} is not encodable as UTF-16", structure=_STRUCTURE) from exc
    return [*struct.unpack(f"<{len(raw) // 2}H", raw), 0]


def _check_u16(value: int, what: str, *, nonzero: bool) -> None:
    if not 0 <= value <= 0xFFFF or (nonzero and value == 0):
        low = 1 if nonzero else 0
        raise ProtocolError(f"{what}={value} outside {low}..65535", structure=_STRUCTURE)


class _NdrDualStringArray(ndr.NdrType[DualStringArray]):
    """The NDR version (2.2.19.2): a conformant structure whose array is aStringArray.

    Pointed to by ScmReplyInfoData and IObjectExporter replies; decodes straight to a
    `DualStringArray` so callers never see the unit array.
    """

    name = "DUALSTRINGARRAY"
    align = 4
    min_size = 8
    conformant = True

    def __init__(self) -> None:
        self._wire = ndr.Struct(
            "DUALSTRINGARRAY",
            [
                ("wNumEntries", ndr.u16),
                ("wSecurityOffset", ndr.u16),
                ("aStringArray", ndr.ConformantArray(ndr.u16)),
            ],
        )

    def _record(self, value: DualStringArray) -> object:
        units, security_offset = value.units()
        return self._wire(
            wNumEntries=len(units), wSecurityOffset=security_offset, aStringArray=list(units)
        )

    def _value(self, record: Any, start: int) -> DualStringArray:
        units = record.aStringArray
        if record.wNumEntries != len(units):
            raise ndr.fail(
                f"wNumEntries {record.wNumEntries} but {len(units)} units", self.name, start
            )
        return DualStringArray.from_units(
            units, record.wSecurityOffset, structure=self.name, offset=start + 8
        )

    def write(self, enc: ndr.Encoder, value: DualStringArray) -> None:
        self._wire.write(enc, self._record(value))

    def write_conformance(self, enc: ndr.Encoder, value: DualStringArray) -> None:
        self._wire.write_conformance(enc, self._record(value))

    def write_body(self, enc: ndr.Encoder, value: DualStringArray) -> None:
        self._wire.write_body(enc, self._record(value))

    def read(self, dec: ndr.Decoder) -> DualStringArray:
        start = dec.pos
        return self._value(self._wire.read(dec), start)

    def read_conformance(self, dec: ndr.Decoder) -> tuple[int, ...]:
        return self._wire.read_conformance(dec)

    def read_body(self, dec: ndr.Decoder, conformance: tuple[int, ...]) -> DualStringArray:
        start = dec.pos - 4
        return self._value(self._wire.read_body(dec, conformance), start)


DUALSTRINGARRAY = _NdrDualStringArray()
"""NDR type of a DUALSTRINGARRAY, for use in `ndr.Struct` tables and `ndr.Unique`."""
