"""IDispatch (MS-OAUT 3.1.4): DISPPARAMS, EXCEPINFO and the request/response stubs of
GetTypeInfoCount (opnum 3), GetTypeInfo (4), GetIDsOfNames (5) and Invoke (6).

Each stub is an `ndr.Params`: the part of the stub after the ORPCTHIS (requests) or
ORPCTHAT (responses), which the DCOM layer encodes and strips itself. Responses end with
the method's HRESULT.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wua.dcom.oaut.scalars import BSTR, HRESULT, INTERFACE_POINTER
from wua.dcom.oaut.values import Variant
from wua.dcom.oaut.variant import VARIANT
from wua.reference.interfaces import (
    DISPATCH_METHOD,
    DISPATCH_PROPERTYGET,
    DISPATCH_PROPERTYPUT,
    DISPATCH_PROPERTYPUTREF,
    DISPID_PROPERTYPUT,
)
from wua.rpc import ndr
from wua.rpc.ndr import fail

__all__ = [
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
    "GET_IDS_OF_NAMES_REQUEST",
    "GET_IDS_OF_NAMES_RESPONSE",
    "GET_TYPE_INFO_COUNT_REQUEST",
    "GET_TYPE_INFO_COUNT_RESPONSE",
    "GET_TYPE_INFO_REQUEST",
    "GET_TYPE_INFO_RESPONSE",
    "INVOKE_REQUEST",
    "INVOKE_RESPONSE",
    "call_arguments",
    "dispparams",
]

# Extra dwFlags bits a client sets when it passes no pVarResult / pExcepInfo / pArgErr
# (MS-OAUT 3.1.4.4): the server must then not fill them in.
DISPATCH_ZERO_VAR_RESULT = 0x00020000
DISPATCH_ZERO_EXCEP_INFO = 0x00040000
DISPATCH_ZERO_ARG_ERR = 0x00080000

DISPPARAMS = ndr.Struct(
    "DISPPARAMS",
    [
        ("rgvarg", ndr.Unique(ndr.ConformantArray(VARIANT))),
        ("rgdispidNamedArgs", ndr.Unique(ndr.ConformantArray(ndr.i32))),
        ("cArgs", ndr.u32),
        ("cNamedArgs", ndr.u32),
    ],
)

EXCEPINFO = ndr.Struct(
    "EXCEPINFO",
    [
        ("wCode", ndr.u16),
        ("wReserved", ndr.u16),
        ("bstrSource", BSTR),
        ("bstrDescription", BSTR),
        ("bstrHelpFile", BSTR),
        ("dwHelpContext", ndr.u32),
        ("pvReserved", ndr.u32),
        ("pfnDeferredFillIn", ndr.u32),
        ("scode", HRESULT),
    ],
)


def dispparams(args: Sequence[Any] = (), named: Mapping[int, Any] | None = None) -> Any:
    """DISPPARAMS for a call with `args` in call order and `named` {DISPID: value}.

    rgvarg holds the named arguments first (in rgdispidNamedArgs order), then the
    positional ones in reverse order (MS-OAUT 3.1.4.4). Plain Python values become
    `Variant.of(value)`. Empty arrays travel as NULL pointers, as Windows sends them.
    """
    named = dict(named or {})
    variants = [Variant.of(v) for v in named.values()]
    variants += [Variant.of(v) for v in reversed(args)]
    return DISPPARAMS(
        rgvarg=variants or None,
        rgdispidNamedArgs=list(named) or None,
        cArgs=len(variants),
        cNamedArgs=len(named),
    )


def call_arguments(params: Any) -> tuple[list[Variant], dict[int, Variant]]:
    """The positional arguments (call order) and named ones of a decoded DISPPARAMS."""
    rgvarg = params.rgvarg or []
    names = params.rgdispidNamedArgs or []
    if params.cArgs != len(rgvarg) or params.cNamedArgs != len(names):
        raise fail(
            f"cArgs {params.cArgs} / cNamedArgs {params.cNamedArgs} disagree with "
            f"{len(rgvarg)} arguments / {len(names)} names",
            "DISPPARAMS",
        )
    if len(names) > len(rgvarg):
        raise fail(f"{len(names)} named arguments but {len(rgvarg)} arguments", "DISPPARAMS")
    named = dict(zip(names, rgvarg[: len(names)], strict=True))
    positional = list(reversed(rgvarg[len(names) :]))
    return positional, named


_IID = ndr.Ref(ndr.GUID, name="REFIID")
_TYPE_INFO = ndr.Ref(INTERFACE_POINTER, name="ITypeInfo**")

GET_TYPE_INFO_COUNT_REQUEST = ndr.Params("IDispatch.GetTypeInfoCount.in", [])
GET_TYPE_INFO_COUNT_RESPONSE = ndr.Params(
    "IDispatch.GetTypeInfoCount.out", [("pctinfo", ndr.Ref(ndr.u32)), ("hresult", HRESULT)]
)
GET_TYPE_INFO_REQUEST = ndr.Params(
    "IDispatch.GetTypeInfo.in", [("iTInfo", ndr.u32), ("lcid", ndr.u32)]
)
GET_TYPE_INFO_RESPONSE = ndr.Params(
    "IDispatch.GetTypeInfo.out", [("ppTInfo", _TYPE_INFO), ("hresult", HRESULT)]
)
GET_IDS_OF_NAMES_REQUEST = ndr.Params(
    "IDispatch.GetIDsOfNames.in",
    [
        ("riid", _IID),
        ("rgszNames", ndr.Ref(ndr.ConformantArray(ndr.Unique(ndr.WString())))),
        ("cNames", ndr.u32),
        ("lcid", ndr.u32),
    ],
)
GET_IDS_OF_NAMES_RESPONSE = ndr.Params(
    "IDispatch.GetIDsOfNames.out",
    [("rgDispId", ndr.Ref(ndr.ConformantArray(ndr.i32))), ("hresult", HRESULT)],
)
INVOKE_REQUEST = ndr.Params(
    "IDispatch.Invoke.in",
    [
        ("dispIdMember", ndr.i32),
        ("riid", _IID),
        ("lcid", ndr.u32),
        ("dwFlags", ndr.u32),
        ("pDispParams", ndr.Ref(DISPPARAMS)),
        ("cVarRef", ndr.u32),
        ("rgVarRefIdx", ndr.Ref(ndr.ConformantArray(ndr.u32))),
        ("rgVarRef", ndr.Ref(ndr.ConformantArray(VARIANT))),
    ],
)
INVOKE_RESPONSE = ndr.Params(
    "IDispatch.Invoke.out",
    [
        ("pVarResult", ndr.Ref(VARIANT)),
        ("pExcepInfo", ndr.Ref(EXCEPINFO)),
        ("pArgErr", ndr.Ref(ndr.u32)),
        ("rgVarRef", ndr.Ref(ndr.ConformantArray(VARIANT))),
        ("hresult", HRESULT),
    ],
)
