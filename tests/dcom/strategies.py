"""Hypothesis strategies for MS-DCOM values, shared by the differential and fuzz tests."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st

from wua.dcom.bindings import DualStringArray, SecurityBinding, StringBinding
from wua.dcom.objref import (
    DataElement,
    ObjRef,
    ObjRefCustom,
    ObjRefExtended,
    ObjRefHandler,
    ObjRefStandard,
    StdObjRef,
)

u16_nonzero = st.integers(1, 0xFFFF)
u32 = st.integers(0, 0xFFFF_FFFF)
u64 = st.integers(0, 0xFFFF_FFFF_FFFF_FFFF)
guids = st.uuids()

# Host and principal names as Windows writes them. impacket's WIDESTR finds the end of a
# string by searching for three zero bytes, which misreads some non-ASCII text, so the
# differential tests keep to printable ASCII.
names = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=24
)
any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)

string_bindings = st.builds(StringBinding, u16_nonzero, names)
std_objrefs = st.builds(StdObjRef, u32, u32, u64, u64, guids)
data_elements = st.builds(DataElement, guids, st.binary(min_size=1, max_size=40))


def dual_string_arrays(principals: st.SearchStrategy[str]) -> st.SearchStrategy[DualStringArray]:
    security = st.builds(SecurityBinding, u16_nonzero, principals, st.integers(0, 0xFFFF))
    return st.builds(
        DualStringArray,
        st.lists(string_bindings, max_size=4).map(tuple),
        st.lists(security, max_size=4).map(tuple),
    )


def objref_strategy(resolvers: st.SearchStrategy[DualStringArray]) -> st.SearchStrategy[ObjRef]:
    return st.one_of(
        st.builds(ObjRefStandard, guids, std_objrefs, resolvers),
        st.builds(ObjRefHandler, guids, std_objrefs, guids, resolvers),
        st.builds(ObjRefCustom, guids, guids, st.binary(max_size=64), u32),
        st.builds(ObjRefExtended, guids, std_objrefs, data_elements, resolvers),
    )


any_dual_string_arrays = dual_string_arrays(names | st.just(""))
impacket_dual_string_arrays = dual_string_arrays(names)
objrefs = objref_strategy(any_dual_string_arrays)
objrefs_impacket_reads = objref_strategy(impacket_dual_string_arrays)

# Differential tests call into impacket, whose first calls are slow enough to trip
# hypothesis' per-example deadline on a loaded 2-core machine; time is not what they test.
relaxed = settings(deadline=None)
