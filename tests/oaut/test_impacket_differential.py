"""Differential property tests against impacket's MS-OAUT / NDR implementation.

Both directions for every VARIANT type impacket handles: our bytes decode in impacket to
the same values, and impacket's bytes decode in ours to the same values. impacket's gaps
(see impacket_bridge) are left out, not imitated.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.oaut.impacket_bridge import (
    OneBstr,
    impacket_decode_bstr_safearray,
    impacket_decode_dispparams,
    impacket_decode_variant,
    impacket_encode_bstr_safearray,
    impacket_encode_dispparams,
    impacket_encode_variant,
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
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
