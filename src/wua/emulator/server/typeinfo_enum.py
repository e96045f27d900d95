"""The ITypeInfo of a WUApiLib enumeration (TKIND_ENUM), reached from a member's
VT_USERDEFINED through ITypeInfo::GetRefTypeInfo: PowerShell/.NET look there to learn
that a property such as IUpdate.Type is an enum and to name its values.

The constants come from `wua.reference.enums`; each is a VAR_CONST VT_I4 whose MEMBERID
is 0x40000000 + its index, the numbering MIDL gives enum constants in a type library
(they have no DISPIDs of their own).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from wua.dcom.oaut.values import Variant
from wua.dcom.oaut.vartype import VarType
from wua.emulator.server import typeinfo_wire as wire
from wua.reference import enums
from wua.rpc import ndr

ENUM_MEMID_BASE = 0x40000000


def enum_class(name: str) -> type[IntEnum] | None:
    """The reference's IntEnum called `name`, if it is one."""
    found = getattr(enums, name, None)
    if isinstance(found, type) and issubclass(found, IntEnum):
        return found
    return None


@dataclass(frozen=True)
class EnumTypeInfo:
    """One enumeration's type info (an exported object of its own)."""

    name: str

    @property
    def constants(self) -> list[IntEnum]:
        found = enum_class(self.name)
        return list(found) if found is not None else []


def enum_type_attr(info: EnumTypeInfo, version: tuple[int, int]) -> Any:
    plain = wire.TYPEDESC(_tdUnion=ndr.UnionValue(0), vt=0)
    return wire.TYPEATTR(
        guid=uuid.UUID(int=0),
        lcid=0,
        dwReserved1=0,
        dwReserved2=0,
        dwReserved3=0,
        lpstrReserved4=None,
        cbSizeInstance=4,
        typekind=wire.TKIND_ENUM,
        cFuncs=0,
        cVars=len(info.constants),
        cImplTypes=0,
        cbSizeVft=0,
        cbAlignment=4,
        wTypeFlags=0,
        wMajorVerNum=version[0],
        wMinorVerNum=version[1],
        tdescAlias=plain,
        idldescType_dwReserved=0,
        idldescType_wIDLFlags=0,
    )


def var_desc(info: EnumTypeInfo, index: int) -> Any | None:
    """The VARDESC of constant `index`, or None past the end."""
    constants = info.constants
    if index >= len(constants):
        return None
    i4 = wire.TYPEDESC(_tdUnion=ndr.UnionValue(wire.VT_I4), vt=wire.VT_I4)
    return wire.VARDESC(
        memid=ENUM_MEMID_BASE + index,
        lpstrReserved=None,
        _vdUnion=ndr.UnionValue(wire.VAR_CONST, Variant(VarType.VT_I4, int(constants[index]))),
        elemdescVar=wire.ELEMDESC(
            tdesc=i4, paramdesc=wire.PARAMDESC(pparamdescex=None, wParamFlags=0)
        ),
        wVarFlags=0,
        varkind=wire.VAR_CONST,
    )


def enum_names(info: EnumTypeInfo, memid: int) -> list[str] | None:
    index = memid - ENUM_MEMID_BASE
    constants = info.constants
    if 0 <= index < len(constants):
        return [constants[index].name]
    return None
