"""VARENUM, SF_TYPE and FADF constants (MS-OAUT 2.2.7, 2.2.8, 2.2.9)."""

from __future__ import annotations

from enum import IntEnum, IntFlag

__all__ = ["VT_ARRAY", "VT_BYREF", "VT_TYPEMASK", "Fadf", "SfType", "VarType"]


class VarType(IntEnum):
    """The base VARIANT types wua carries (combine with VT_BYREF / VT_ARRAY)."""

    VT_EMPTY = 0x0000
    VT_NULL = 0x0001
    VT_I2 = 0x0002
    VT_I4 = 0x0003
    VT_R4 = 0x0004
    VT_R8 = 0x0005
    VT_CY = 0x0006
    VT_DATE = 0x0007
    VT_BSTR = 0x0008
    VT_DISPATCH = 0x0009
    VT_ERROR = 0x000A
    VT_BOOL = 0x000B
    VT_VARIANT = 0x000C
    VT_UNKNOWN = 0x000D
    VT_DECIMAL = 0x000E
    VT_I1 = 0x0010
    VT_UI1 = 0x0011
    VT_UI2 = 0x0012
    VT_UI4 = 0x0013
    VT_I8 = 0x0014
    VT_UI8 = 0x0015
    VT_INT = 0x0016
    VT_UINT = 0x0017


VT_ARRAY = 0x2000
VT_BYREF = 0x4000
VT_TYPEMASK = 0x0FFF


class SfType(IntEnum):
    """SAFEARRAYUNION discriminant: which wire layout the elements use."""

    SF_ERROR = 0x0A
    SF_I1 = 0x10
    SF_I2 = 0x02
    SF_I4 = 0x03
    SF_I8 = 0x14
    SF_BSTR = 0x08
    SF_UNKNOWN = 0x0D
    SF_DISPATCH = 0x09
    SF_VARIANT = 0x0C
    SF_RECORD = 0x24
    SF_HAVEIID = 0x800D


class Fadf(IntFlag):
    """SAFEARRAY fFeatures bits."""

    FADF_AUTO = 0x0001
    FADF_STATIC = 0x0002
    FADF_EMBEDDED = 0x0004
    FADF_FIXEDSIZE = 0x0010
    FADF_RECORD = 0x0020
    FADF_HAVEIID = 0x0040
    FADF_HAVEVARTYPE = 0x0080
    FADF_BSTR = 0x0100
    FADF_UNKNOWN = 0x0200
    FADF_DISPATCH = 0x0400
    FADF_VARIANT = 0x0800
