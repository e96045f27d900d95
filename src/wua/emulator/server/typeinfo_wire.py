"""ITypeInfo on the wire (MS-OAUT 2.2.37-2.2.44, 3.7.4): the structures and the stubs of
the methods the emulated host answers.

They live beside the emulator because only it answers ITypeInfo today; they belong in
`wua.dcom.oaut` once a client reads type information too. Enumerations declared
[v1_enum] in MS-OAUT (TYPEKIND, FUNCKIND, INVOKEKIND, CALLCONV) travel as 32 bits.
TYPEDESC's union is non-encapsulated: its discriminant (a USHORT) comes right before
the arm, then the struct's own `vt` repeats it.
"""

from __future__ import annotations

from typing import Final

from wua.dcom.oaut.scalars import BSTR, HRESULT, INTERFACE_POINTER
from wua.dcom.oaut.variant import VARIANT
from wua.rpc import ndr

VT_I4, VT_DATE, VT_BSTR, VT_BOOL, VT_VARIANT = 3, 7, 8, 11, 12
VT_UNKNOWN, VT_DECIMAL, VT_I1, VT_UI2, VT_UI4, VT_I8 = 13, 14, 16, 18, 19, 20
VT_UINT, VT_VOID = 23, 24
VT_PTR, VT_SAFEARRAY, VT_USERDEFINED = 26, 27, 29

TKIND_ENUM: Final = 0
TKIND_DISPATCH: Final = 4
VAR_CONST: Final = 2
FUNC_DISPATCH: Final = 4
INVOKE_FUNC, INVOKE_PROPERTYGET, INVOKE_PROPERTYPUT = 1, 2, 4
CC_STDCALL: Final = 4
PARAMFLAG_FIN, PARAMFLAG_FOUT = 0x1, 0x2
FUNCFLAG_FRESTRICTED, FUNCFLAG_FHIDDEN = 0x1, 0x40
TYPEFLAG_FDUAL, TYPEFLAG_FDISPATCHABLE = 0x40, 0x1000
MEMBERID_NIL: Final = -1

TYPEDESC: ndr.Struct = ndr.Struct(
    "TYPEDESC",
    [
        (
            "_tdUnion",
            ndr.Union(
                "TYPEDESC._tdUnion",
                {
                    VT_PTR: ("lptdesc", ndr.Unique(lambda: TYPEDESC)),
                    VT_SAFEARRAY: ("lptdesc", ndr.Unique(lambda: TYPEDESC)),
                    VT_USERDEFINED: ("hreftype", ndr.u32),
                },
                discriminant=ndr.u16,
                default=("empty", None),
                arm_align=4,
            ),
        ),
        ("vt", ndr.u16),
    ],
)

PARAMDESCEX = ndr.Struct("PARAMDESCEX", [("cBytes", ndr.u32), ("varDefaultValue", VARIANT)])
PARAMDESC = ndr.Struct(
    "PARAMDESC", [("pparamdescex", ndr.Unique(PARAMDESCEX)), ("wParamFlags", ndr.u16)]
)
ELEMDESC = ndr.Struct("ELEMDESC", [("tdesc", TYPEDESC), ("paramdesc", PARAMDESC)])

TYPEATTR = ndr.Struct(
    "TYPEATTR",
    [
        ("guid", ndr.GUID),
        ("lcid", ndr.u32),
        ("dwReserved1", ndr.u32),
        ("dwReserved2", ndr.u32),
        ("dwReserved3", ndr.u32),
        ("lpstrReserved4", ndr.Unique(ndr.WString())),
        ("cbSizeInstance", ndr.u32),
        ("typekind", ndr.u32),
        ("cFuncs", ndr.u16),
        ("cVars", ndr.u16),
        ("cImplTypes", ndr.u16),
        ("cbSizeVft", ndr.u16),
        ("cbAlignment", ndr.u16),
        ("wTypeFlags", ndr.u16),
        ("wMajorVerNum", ndr.u16),
        ("wMinorVerNum", ndr.u16),
        ("tdescAlias", TYPEDESC),
        ("idldescType_dwReserved", ndr.u32),
        ("idldescType_wIDLFlags", ndr.u16),
    ],
)

FUNCDESC = ndr.Struct(
    "FUNCDESC",
    [
        ("memid", ndr.i32),
        ("lReserved1", ndr.Unique(ndr.ConformantArray(ndr.i32))),
        ("lprgelemdescParam", ndr.Unique(ndr.ConformantArray(ELEMDESC))),
        ("funckind", ndr.u32),
        ("invkind", ndr.u32),
        ("callconv", ndr.u32),
        ("cParams", ndr.i16),
        ("cParamsOpt", ndr.i16),
        ("oVft", ndr.i16),
        ("cReserved2", ndr.i16),
        ("elemdescFunc", ELEMDESC),
        ("wFuncFlags", ndr.u16),
    ],
)

VARDESC = ndr.Struct(
    "VARDESC",
    [
        ("memid", ndr.i32),
        ("lpstrReserved", ndr.Unique(ndr.WString())),
        (
            "_vdUnion",
            ndr.Union(
                "VARDESC._vdUnion",
                {VAR_CONST: ("lpvarValue", ndr.Unique(VARIANT))},
                default=("oInst", ndr.u32),
                arm_align=4,
            ),
        ),
        ("elemdescVar", ELEMDESC),
        ("wVarFlags", ndr.u16),
        ("varkind", ndr.u32),
    ],
)

GET_TYPE_ATTR_REQUEST = ndr.Params("ITypeInfo.GetTypeAttr.in", [])
GET_TYPE_ATTR_RESPONSE = ndr.Params(
    "ITypeInfo.GetTypeAttr.out",
    [
        # [out] LPTYPEATTR*: the top-level [ref] has no wire form, the inner pointer does
        ("ppTypeAttr", ndr.Unique(TYPEATTR)),
        ("pReserved", ndr.Ref(ndr.u32)),
        ("hresult", HRESULT),
    ],
)
GET_FUNC_DESC_REQUEST = ndr.Params("ITypeInfo.GetFuncDesc.in", [("index", ndr.u32)])
GET_FUNC_DESC_RESPONSE = ndr.Params(
    "ITypeInfo.GetFuncDesc.out",
    [
        ("ppFuncDesc", ndr.Unique(FUNCDESC)),
        ("pReserved", ndr.Ref(ndr.u32)),
        ("hresult", HRESULT),
    ],
)
GET_NAMES_REQUEST = ndr.Params(
    "ITypeInfo.GetNames.in", [("memid", ndr.i32), ("cMaxNames", ndr.u32)]
)
GET_NAMES_RESPONSE = ndr.Params(
    "ITypeInfo.GetNames.out",
    [
        ("rgBstrNames", ndr.Ref(ndr.ConformantVaryingArray(BSTR))),
        ("pcNames", ndr.Ref(ndr.u32)),
        ("hresult", HRESULT),
    ],
)
GET_DOCUMENTATION_REQUEST = ndr.Params(
    "ITypeInfo.GetDocumentation.in", [("memid", ndr.i32), ("refPtrFlags", ndr.u32)]
)
GET_DOCUMENTATION_RESPONSE = ndr.Params(
    "ITypeInfo.GetDocumentation.out",
    [
        # [out] BSTR*: the top-level [ref] has no wire form; a BSTR may be NULL
        ("pBstrName", BSTR),
        ("pBstrDocString", BSTR),
        ("pdwHelpContext", ndr.Ref(ndr.u32)),
        ("pBstrHelpFile", BSTR),
        ("hresult", HRESULT),
    ],
)
GET_VAR_DESC_REQUEST = ndr.Params("ITypeInfo.GetVarDesc.in", [("index", ndr.u32)])
GET_VAR_DESC_RESPONSE = ndr.Params(
    "ITypeInfo.GetVarDesc.out",
    [
        ("ppVarDesc", ndr.Unique(VARDESC)),
        ("pReserved", ndr.Ref(ndr.u32)),
        ("hresult", HRESULT),
    ],
)
GET_REF_TYPE_INFO_REQUEST = ndr.Params("ITypeInfo.GetRefTypeInfo.in", [("hRefType", ndr.u32)])
GET_REF_TYPE_INFO_RESPONSE = ndr.Params(
    "ITypeInfo.GetRefTypeInfo.out",
    [("ppTInfo", ndr.Ref(INTERFACE_POINTER)), ("hresult", HRESULT)],
)
