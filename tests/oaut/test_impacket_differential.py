"""Differential property tests against impacket's MS-OAUT / NDR implementation.

Both directions for every VARIANT type impacket handles: our bytes decode in impacket to
the same values, and impacket's bytes decode in ours to the same values. impacket's gaps
(see impacket_bridge) are left out, not imitated.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from impacket.dcerpc.v5.dcom import oaut as io
from impacket.dcerpc.v5.dtypes import NULL

from tests.oaut.impacket_bridge import (
    GetIDsOfNamesIn,
    GetIDsOfNamesOut,
    InvokeIn,
    OneBstr,
    fill,
    impacket_decode_bstr_safearray,
    impacket_decode_dispparams,
    impacket_decode_variant,
    impacket_encode_bstr_safearray,
    impacket_encode_dispparams,
    impacket_encode_variant,
    read,
)
from tests.oaut.strategies import byref_variants, scalar_variants
from wua.dcom import oaut
from wua.dcom.oaut import VT_BYREF, SafeArray, SfType, Variant, VarType
from wua.rpc import ndr

# impacket reads the NULL BSTR as "" and cannot encode characters beyond the BMP (it
# packs each Python character into one UTF-16 unit): keep both out of the comparison.
BMP_TEXTS = st.text(
    alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=40
)
# impacket declares VT_UI1 | VT_BYREF as a BYTE, not a BYTE*: left out too.
VARIANTS = scalar_variants(null_bstr=False, texts=BMP_TEXTS) | byref_variants(
    null_bstr=False, texts=BMP_TEXTS
).filter(lambda v: v.vt != VarType.VT_UI1 | VT_BYREF)
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(VARIANTS)
def test_our_variant_reads_the_same_in_impacket(variant: Variant) -> None:
    assert impacket_decode_variant(ndr.encode(oaut.VARIANT, variant)) == variant


@EXAMPLES
@given(VARIANTS)
def test_impacket_variant_reads_the_same_in_ours(variant: Variant) -> None:
    assert ndr.decode(oaut.VARIANT, impacket_encode_variant(variant)) == variant


@EXAMPLES
@given(st.lists(VARIANTS, max_size=5), st.lists(st.integers(-(1 << 31), (1 << 31) - 1), max_size=3))
def test_dispparams_agree_both_ways(variants: list[Variant], names: list[int]) -> None:
    names = names[: len(variants)]
    ours = oaut.DISPPARAMS(
        rgvarg=variants or None,
        rgdispidNamedArgs=names or None,
        cArgs=len(variants),
        cNamedArgs=len(names),
    )
    assert impacket_decode_dispparams(ndr.encode(oaut.DISPPARAMS, ours)) == (
        variants,
        names,
        len(variants),
        len(names),
    )
    assert ndr.decode(oaut.DISPPARAMS, impacket_encode_dispparams(variants, names)) == ours


@EXAMPLES
@given(BMP_TEXTS)
def test_bstr_agrees_both_ways(text: str) -> None:
    theirs = OneBstr()
    theirs["b"]["asData"] = text
    assert ndr.decode(oaut.BSTR, theirs.getData()) == text
    assert OneBstr(ndr.encode(oaut.BSTR, text))["b"]["asData"] == text


def test_impacket_reads_our_null_bstr_as_empty() -> None:
    """Documented gap: impacket ignores cBytes = 0xFFFFFFFF."""
    assert OneBstr(ndr.encode(oaut.BSTR, None))["b"]["asData"] == ""


@EXAMPLES
@given(st.lists(BMP_TEXTS, max_size=5), st.integers(-(1 << 31), (1 << 31) - 1))
def test_bstr_safearray_agrees_both_ways(items: list[str], lower_bound: int) -> None:
    """SF_BSTR is the one SAFEARRAY layout impacket 0.13.1 declares correctly."""
    ours = SafeArray(VarType.VT_BSTR, items, ((len(items), lower_bound),))
    assert impacket_decode_bstr_safearray(ndr.encode(oaut.SAFEARRAY, ours)) == (
        SfType.SF_BSTR,
        items,
        [(len(items), lower_bound)],
    )
    assert ndr.decode(
        oaut.SAFEARRAY, impacket_encode_bstr_safearray(items, lower_bound)
    ) == oaut.normalized(ours)


NAMES = st.lists(
    st.text(
        alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=20
    ),
    min_size=1,
    max_size=4,
)


@EXAMPLES
@given(NAMES, st.integers(0, 0xFFFF))
def test_get_ids_of_names_request_agrees_both_ways(names: list[str], lcid: int) -> None:
    ours = oaut.GET_IDS_OF_NAMES_REQUEST(
        riid=oaut.IID_NULL, rgszNames=names, cNames=len(names), lcid=lcid
    )
    theirs = GetIDsOfNamesIn(ndr.encode(oaut.GET_IDS_OF_NAMES_REQUEST, ours))
    assert [n["Data"].rstrip("\x00") for n in theirs["rgszNames"]] == names
    assert (theirs["cNames"], theirs["lcid"]) == (len(names), lcid)
    built = GetIDsOfNamesIn()
    built["riid"] = bytes(16)
    for name in names:
        entry = io.LPOLESTR()
        entry["Data"] = name + "\x00"
        built["rgszNames"].append(entry)
    built["cNames"] = len(names)
    built["lcid"] = lcid
    assert ndr.decode(oaut.GET_IDS_OF_NAMES_REQUEST, built.getData()) == ours


@EXAMPLES
@given(
    st.lists(st.integers(-(1 << 31), (1 << 31) - 1), min_size=1, max_size=4),
    st.integers(0, (1 << 32) - 1),
)
def test_get_ids_of_names_response_agrees_both_ways(ids: list[int], hresult: int) -> None:
    ours = oaut.GET_IDS_OF_NAMES_RESPONSE(rgDispId=ids, hresult=hresult)
    theirs = GetIDsOfNamesOut(ndr.encode(oaut.GET_IDS_OF_NAMES_RESPONSE, ours))
    assert [i & 0xFFFFFFFF for i in theirs["rgDispId"]] == [i & 0xFFFFFFFF for i in ids]
    assert theirs["ErrorCode"] == hresult
    built = GetIDsOfNamesOut()
    for i in ids:
        built["rgDispId"].append(i & 0xFFFFFFFF)
    built["ErrorCode"] = hresult
    assert ndr.decode(oaut.GET_IDS_OF_NAMES_RESPONSE, built.getData()) == ours


@EXAMPLES
@given(st.lists(VARIANTS, max_size=4), st.integers(-(1 << 31), (1 << 31) - 1), st.integers(1, 15))
def test_invoke_request_agrees_both_ways(args: list[Variant], dispid: int, flags: int) -> None:
    ours = oaut.INVOKE_REQUEST(
        dispIdMember=dispid,
        riid=oaut.IID_NULL,
        lcid=0x409,
        dwFlags=flags,
        pDispParams=oaut.dispparams(args),
        cVarRef=0,
        rgVarRefIdx=[],
        rgVarRef=[],
    )
    data = ndr.encode(oaut.INVOKE_REQUEST, ours)
    theirs = InvokeIn(data)
    assert (theirs["dispIdMember"], theirs["dwFlags"], theirs["pDispParams"]["cArgs"]) == (
        dispid,
        flags,
        len(args),
    )
    assert [read(v) for v in theirs["pDispParams"]["rgvarg"] or []] == list(reversed(args))
    built = InvokeIn()
    built["dispIdMember"] = dispid
    built["riid"] = bytes(16)
    built["lcid"] = 0x409
    built["dwFlags"] = flags
    params = built["pDispParams"]
    for variant in reversed(args):
        item = io.VARIANT(None, False)
        fill(item, variant)
        params["rgvarg"].append(item)
    if not args:
        params["rgvarg"] = NULL
    params["rgdispidNamedArgs"] = NULL
    params["cArgs"] = len(args)
    params["cNamedArgs"] = 0
    built["cVarRef"] = 0
    built["rgVarRefIdx"] = []
    built["rgVarRef"] = []
    assert ndr.decode(oaut.INVOKE_REQUEST, built.getData()) == ours
