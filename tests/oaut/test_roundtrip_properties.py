"""Property tests: every VARIANT kind, DISPPARAMS and the stubs survive encode/decode."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.oaut.strategies import any_variant, safearrays, scalar_variants, texts
from wua.dcom import oaut
from wua.dcom.oaut import SafeArray, Variant
from wua.rpc import ndr

SETTINGS = settings(max_examples=250, deadline=None)


def normal(value: Any) -> Any:
    """What decoding gives back for `value`: SAFEARRAY defaults spelled out."""
    if isinstance(value, Variant):
        return Variant(value.vt, normal(value.value))
    if isinstance(value, SafeArray):
        full = oaut.normalized(value)
        return SafeArray(
            full.vt, [normal(i) for i in full.items], full.bounds, full.features, full.iid
        )
    return value


@SETTINGS
@given(any_variant())
def test_every_variant_round_trips_with_its_exact_vt(variant: Variant) -> None:
    decoded = ndr.decode(oaut.VARIANT, ndr.encode(oaut.VARIANT, variant))
    assert decoded == normal(variant)
    assert decoded.vt == variant.vt


@SETTINGS
@given(safearrays(), st.integers(-1000, 1000))
def test_safearray_bounds_and_features_round_trip(array: SafeArray, lower: int) -> None:
    array = SafeArray(array.vt, array.items, ((len(array.items), lower),), 0x0080 | 0x0010)
    kind = oaut.safearray_of(array.vt)
    assert ndr.decode(kind, ndr.encode(kind, array)) == normal(array)


@SETTINGS
@given(st.lists(scalar_variants(), max_size=4), st.lists(scalar_variants(), max_size=3))
def test_dispparams_helpers_round_trip(args: list[Variant], named_values: list[Variant]) -> None:
    named = {-3 - i: v for i, v in enumerate(named_values)}
    decoded = ndr.decode(oaut.DISPPARAMS, ndr.encode(oaut.DISPPARAMS, oaut.dispparams(args, named)))
    assert oaut.call_arguments(decoded) == (args, named)


@SETTINGS
@given(
    any_variant(),
    st.none() | texts,
    st.integers(0, (1 << 32) - 1),
    st.lists(any_variant(), max_size=3),
)
def test_invoke_response_round_trips(
    result: Variant, source: str | None, scode: int, refs: list[Variant]
) -> None:
    response = oaut.INVOKE_RESPONSE(
        pVarResult=result,
        pExcepInfo=oaut.EXCEPINFO(
            wCode=0,
            wReserved=0,
            bstrSource=source,
            bstrDescription="d",
            bstrHelpFile=None,
            dwHelpContext=1,
            pvReserved=0,
            pfnDeferredFillIn=0,
            scode=scode,
        ),
        pArgErr=0,
        rgVarRef=refs,
        hresult=scode,
    )
    decoded = ndr.decode(oaut.INVOKE_RESPONSE, ndr.encode(oaut.INVOKE_RESPONSE, response))
    assert decoded.pVarResult == normal(result)
    assert decoded.rgVarRef == [normal(r) for r in refs]
    assert decoded.pExcepInfo == response.pExcepInfo
    assert decoded.hresult == scode


@SETTINGS
@given(st.lists(st.none() | texts, min_size=1, max_size=4), st.integers(0, 0xFFFF))
def test_get_ids_of_names_round_trips(names: list[str | None], lcid: int) -> None:
    request = oaut.GET_IDS_OF_NAMES_REQUEST(
        riid=oaut.IID_NULL, rgszNames=names, cNames=len(names), lcid=lcid
    )
    data = ndr.encode(oaut.GET_IDS_OF_NAMES_REQUEST, request)
    assert ndr.decode(oaut.GET_IDS_OF_NAMES_REQUEST, data) == request
