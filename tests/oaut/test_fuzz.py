"""Fuzz every MS-OAUT decoder: VARIANT (all kinds), BSTR, SAFEARRAY, DISPPARAMS,
EXCEPINFO and each IDispatch / IEnumVARIANT request and response stub."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.ndr.fuzzing import INPUTS, Counter, Target, run
from wua.dcom import oaut
from wua.dcom.oaut import VT_ARRAY, VT_BYREF, InterfacePointer, SafeArray, Variant, VarType
from wua.rpc import ndr

V = VarType
SAMPLE_VARIANTS = [
    Variant(V.VT_EMPTY),
    Variant(V.VT_I4, -7),
    Variant(V.VT_UI8, 1 << 40),
    Variant(V.VT_R8, 2.5),
    Variant(V.VT_CY, Decimal("3.5")),
    Variant(V.VT_DATE, dt.datetime(2024, 2, 29, 13, 5)),
    Variant(V.VT_BOOL, True),
    Variant(V.VT_ERROR, 0x80240024),
    Variant(V.VT_DECIMAL, Decimal("-12.345")),
    Variant(V.VT_BSTR, "KB5034441"),
    Variant(V.VT_BSTR, None),
    Variant(V.VT_DISPATCH, InterfacePointer(b"MEOW" + bytes(40))),
    Variant(V.VT_I2 | VT_BYREF, 3),
    Variant(V.VT_BSTR | VT_BYREF, "x"),
    Variant(V.VT_VARIANT | VT_BYREF, Variant(V.VT_VARIANT | VT_BYREF, Variant(V.VT_BSTR, "deep"))),
    Variant(VT_ARRAY | V.VT_I4, SafeArray(V.VT_I4, [1, 2, 3, 4], ((2, 0), (2, 1)))),
    Variant(VT_ARRAY | V.VT_BSTR, SafeArray(V.VT_BSTR, ["a", None])),
    Variant(
        VT_ARRAY | V.VT_VARIANT,
        SafeArray(V.VT_VARIANT, [Variant(V.VT_BSTR, "v"), Variant(V.VT_R4, 1.0)]),
    ),
    Variant(VT_ARRAY | V.VT_UNKNOWN, SafeArray(V.VT_UNKNOWN, [InterfacePointer(b"MEOW"), None])),
    Variant(VT_ARRAY | VT_BYREF | V.VT_DATE, SafeArray(V.VT_DATE, [dt.datetime(2000, 1, 1)])),
]
EXCEPINFO = oaut.EXCEPINFO(
    wCode=0,
    wReserved=0,
    bstrSource="Microsoft.Update",
    bstrDescription="fail",
    bstrHelpFile=None,
    dwHelpContext=0,
    pvReserved=0,
    pfnDeferredFillIn=0,
    scode=0x80240024,
)
OBJREF = InterfacePointer(b"MEOW\x01\x00\x00\x00" + bytes(60))


def _stub_samples() -> list[tuple[str, ndr.NdrType[object], object]]:
    return [
        (
            "GetTypeInfoCount.in",
            oaut.GET_TYPE_INFO_COUNT_REQUEST,
            oaut.GET_TYPE_INFO_COUNT_REQUEST(),
        ),
        (
            "GetTypeInfoCount.out",
            oaut.GET_TYPE_INFO_COUNT_RESPONSE,
            oaut.GET_TYPE_INFO_COUNT_RESPONSE(pctinfo=1, hresult=0),
        ),
        (
            "GetTypeInfo.in",
            oaut.GET_TYPE_INFO_REQUEST,
            oaut.GET_TYPE_INFO_REQUEST(iTInfo=0, lcid=0x409),
        ),
        (
            "GetTypeInfo.out",
            oaut.GET_TYPE_INFO_RESPONSE,
            oaut.GET_TYPE_INFO_RESPONSE(ppTInfo=OBJREF, hresult=0),
        ),
        (
            "GetIDsOfNames.in",
            oaut.GET_IDS_OF_NAMES_REQUEST,
            oaut.GET_IDS_OF_NAMES_REQUEST(
                riid=oaut.IID_NULL, rgszNames=["Search", "x"], cNames=2, lcid=0
            ),
        ),
        (
            "GetIDsOfNames.out",
            oaut.GET_IDS_OF_NAMES_RESPONSE,
            oaut.GET_IDS_OF_NAMES_RESPONSE(rgDispId=[7, -1], hresult=0),
        ),
        (
            "Invoke.in",
            oaut.INVOKE_REQUEST,
            oaut.INVOKE_REQUEST(
                dispIdMember=7,
                riid=oaut.IID_NULL,
                lcid=0,
                dwFlags=3,
                pDispParams=oaut.dispparams(["IsInstalled=0", 5], {oaut.DISPID_PROPERTYPUT: True}),
                cVarRef=1,
                rgVarRefIdx=[0],
                rgVarRef=[Variant(V.VT_I4 | VT_BYREF, 1)],
            ),
        ),
        (
            "Invoke.out",
            oaut.INVOKE_RESPONSE,
            oaut.INVOKE_RESPONSE(
                pVarResult=Variant(V.VT_DISPATCH, OBJREF),
                pExcepInfo=EXCEPINFO,
                pArgErr=0,
                rgVarRef=[],
                hresult=0,
            ),
        ),
        ("Next.in", oaut.NEXT_REQUEST, oaut.NEXT_REQUEST(celt=4)),
        (
            "Next.out",
            oaut.NEXT_RESPONSE,
            oaut.NEXT_RESPONSE(
                rgVar=ndr.Varying(SAMPLE_VARIANTS[:3], 4), pCeltFetched=3, hresult=1
            ),
        ),
        ("Skip.in", oaut.SKIP_REQUEST, oaut.SKIP_REQUEST(celt=2)),
        ("Skip.out", oaut.SKIP_RESPONSE, oaut.SKIP_RESPONSE(hresult=0)),
        ("Reset.in", oaut.RESET_REQUEST, oaut.RESET_REQUEST()),
        ("Reset.out", oaut.RESET_RESPONSE, oaut.RESET_RESPONSE(hresult=0)),
        ("Clone.in", oaut.CLONE_REQUEST, oaut.CLONE_REQUEST()),
        ("Clone.out", oaut.CLONE_RESPONSE, oaut.CLONE_RESPONSE(ppEnum=OBJREF, hresult=0)),
    ]


TARGETS = [
    Target("VARIANT", oaut.VARIANT, [ndr.encode(oaut.VARIANT, v) for v in SAMPLE_VARIANTS]),
    Target("BSTR", oaut.BSTR, [ndr.encode(oaut.BSTR, s) for s in ("abc", "", None)]),
    Target(
        "SAFEARRAY",
        oaut.SAFEARRAY,
        [ndr.encode(oaut.SAFEARRAY, v.value) for v in SAMPLE_VARIANTS if v.vt & VT_ARRAY],
    ),
    Target(
        "DISPPARAMS",
        oaut.DISPPARAMS,
        [ndr.encode(oaut.DISPPARAMS, oaut.dispparams(SAMPLE_VARIANTS[:6]))],
    ),
    Target("EXCEPINFO", oaut.EXCEPINFO, [ndr.encode(oaut.EXCEPINFO, EXCEPINFO)]),
    Target(
        "MInterfacePointer", oaut.INTERFACE_POINTER, [ndr.encode(oaut.INTERFACE_POINTER, OBJREF)]
    ),
] + [Target(name, kind, [ndr.encode(kind, value)]) for name, kind, value in _stub_samples()]


def test_every_sample_round_trips() -> None:
    """The seeds are valid: each decodes to what was encoded."""
    for _name, kind, value in _stub_samples():
        assert ndr.decode(kind, ndr.encode(kind, value)) is not None
    for target in TARGETS:
        for seed in target.seeds:
            ndr.decode(target.kind, seed)


@pytest.mark.slow
def test_only_protocol_errors_escape_oaut_decoders(record_property: pytest.RecordProperty) -> None:
    counter = Counter()
    run(TARGETS, counter)
    record_property("fuzz_inputs", counter.inputs)
    print(
        f"\noaut fuzz: {counter.inputs} inputs, {counter.accepted} accepted, per target refused {counter.refused}"
    )
    assert counter.inputs >= min(INPUTS, 100)
