"""MS-OAUT for DCOM: BSTR, VARIANT, SAFEARRAY, DISPPARAMS, EXCEPINFO, and the IDispatch
and IEnumVARIANT stubs, on top of `wua.rpc.ndr`.

    from wua.dcom import oaut
    from wua.rpc import ndr

    request = oaut.INVOKE_REQUEST(
        dispIdMember=7, riid=oaut.IID_NULL, lcid=0x409,
        dwFlags=oaut.DISPATCH_METHOD | oaut.DISPATCH_PROPERTYGET,
        pDispParams=oaut.dispparams(["IsInstalled=0"]),
        cVarRef=0, rgVarRefIdx=[], rgVarRef=[],
    )
    stub = ndr.encode(oaut.INVOKE_REQUEST, request)      # goes after the ORPCTHIS
    answer = ndr.decode(oaut.INVOKE_RESPONSE, reply_stub) # reply_stub: after the ORPCTHAT
    answer.pVarResult                                     # Variant(vt=VT_DISPATCH, ...)

Python values are described in `wua.dcom.oaut.values`.
"""

from wua.dcom.interfaces import IID_IDISPATCH, IID_IENUMVARIANT, IID_NULL
from wua.dcom.oaut.dispatch import (
    DISPATCH_METHOD,
    DISPATCH_PROPERTYGET,
    DISPATCH_PROPERTYPUT,
    DISPATCH_PROPERTYPUTREF,
    DISPATCH_ZERO_ARG_ERR,
    DISPATCH_ZERO_EXCEP_INFO,
    DISPATCH_ZERO_VAR_RESULT,
    DISPID_PROPERTYPUT,
    DISPPARAMS,
    EXCEPINFO,
    GET_IDS_OF_NAMES_REQUEST,
    GET_IDS_OF_NAMES_RESPONSE,
    GET_TYPE_INFO_COUNT_REQUEST,
    GET_TYPE_INFO_COUNT_RESPONSE,
    GET_TYPE_INFO_REQUEST,
    GET_TYPE_INFO_RESPONSE,
    INVOKE_REQUEST,
    INVOKE_RESPONSE,
    call_arguments,
    dispparams,
)
from wua.dcom.oaut.enumvariant import (
    CLONE_REQUEST,
    CLONE_RESPONSE,
    NEXT_REQUEST,
    NEXT_RESPONSE,
    RESET_REQUEST,
    RESET_RESPONSE,
    SKIP_REQUEST,
    SKIP_RESPONSE,
)
from wua.dcom.oaut.safearray import SAFEARRAY, WIRE_SAFEARRAY, normalized, safearray_of
from wua.dcom.oaut.scalars import (
    BSTR,
    CURRENCY,
    DATE,
    DECIMAL,
    FLAGGED_WORD_BLOB,
    HRESULT,
    INTERFACE_POINTER,
    MINTERFACE_POINTER,
    VARIANT_BOOL,
)
from wua.dcom.oaut.values import InterfacePointer, SafeArray, Variant
from wua.dcom.oaut.variant import VARIANT, WIRE_VARIANT, supported_vts
from wua.dcom.oaut.vartype import VT_ARRAY, VT_BYREF, VT_TYPEMASK, Fadf, SfType, VarType

__all__ = [
    "BSTR",
    "CLONE_REQUEST",
    "CLONE_RESPONSE",
    "CURRENCY",
    "DATE",
    "DECIMAL",
    "DISPATCH_METHOD",
    "DISPATCH_PROPERTYGET",
    "DISPATCH_PROPERTYPUT",
    "DISPATCH_PROPERTYPUTREF",
    "DISPATCH_ZERO_ARG_ERR",
    "DISPATCH_ZERO_EXCEP_INFO",
    "DISPATCH_ZERO_VAR_RESULT",
    "DISPID_PROPERTYPUT",
    "DISPPARAMS",
    "EXCEPINFO",
    "FLAGGED_WORD_BLOB",
    "GET_IDS_OF_NAMES_REQUEST",
    "GET_IDS_OF_NAMES_RESPONSE",
    "GET_TYPE_INFO_COUNT_REQUEST",
    "GET_TYPE_INFO_COUNT_RESPONSE",
    "GET_TYPE_INFO_REQUEST",
    "GET_TYPE_INFO_RESPONSE",
    "HRESULT",
    "IID_IDISPATCH",
    "IID_IENUMVARIANT",
    "IID_NULL",
    "INTERFACE_POINTER",
    "INVOKE_REQUEST",
    "INVOKE_RESPONSE",
    "MINTERFACE_POINTER",
    "NEXT_REQUEST",
    "NEXT_RESPONSE",
    "RESET_REQUEST",
    "RESET_RESPONSE",
    "SAFEARRAY",
    "SKIP_REQUEST",
    "SKIP_RESPONSE",
    "VARIANT",
    "VARIANT_BOOL",
    "VT_ARRAY",
    "VT_BYREF",
    "VT_TYPEMASK",
    "WIRE_SAFEARRAY",
    "WIRE_VARIANT",
    "Fadf",
    "InterfacePointer",
    "SafeArray",
    "SfType",
    "VarType",
    "Variant",
    "call_arguments",
    "dispparams",
    "normalized",
    "safearray_of",
    "supported_vts",
]
