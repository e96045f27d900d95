"""IEnumVARIANT (MS-OAUT 3.3.4): Next (opnum 3), Skip (4), Reset (5), Clone (6).

Stubs are `ndr.Params` for the part after ORPCTHIS / ORPCTHAT. Next's rgVar is
`[size_is(celt), length_is(*pCeltFetched)]`: the server sends max count = celt and
actual count = fetched; pass `ndr.Varying(items, max_count=celt)` to send it that way.
"""

from __future__ import annotations

from wua.dcom.oaut.scalars import HRESULT, INTERFACE_POINTER
from wua.dcom.oaut.variant import VARIANT
from wua.rpc import ndr

__all__ = [
    "CLONE_REQUEST",
    "CLONE_RESPONSE",
    "NEXT_REQUEST",
    "NEXT_RESPONSE",
    "RESET_REQUEST",
    "RESET_RESPONSE",
    "SKIP_REQUEST",
    "SKIP_RESPONSE",
]

NEXT_REQUEST = ndr.Params("IEnumVARIANT.Next.in", [("celt", ndr.u32)])
NEXT_RESPONSE = ndr.Params(
    "IEnumVARIANT.Next.out",
    [
        ("rgVar", ndr.Ref(ndr.ConformantVaryingArray(VARIANT))),
        ("pCeltFetched", ndr.Ref(ndr.u32)),
        ("hresult", HRESULT),
    ],
)
SKIP_REQUEST = ndr.Params("IEnumVARIANT.Skip.in", [("celt", ndr.u32)])
SKIP_RESPONSE = ndr.Params("IEnumVARIANT.Skip.out", [("hresult", HRESULT)])
RESET_REQUEST = ndr.Params("IEnumVARIANT.Reset.in", [])
RESET_RESPONSE = ndr.Params("IEnumVARIANT.Reset.out", [("hresult", HRESULT)])
CLONE_REQUEST = ndr.Params("IEnumVARIANT.Clone.in", [])
CLONE_RESPONSE = ndr.Params(
    "IEnumVARIANT.Clone.out",
    [("ppEnum", ndr.Ref(INTERFACE_POINTER, name="IEnumVARIANT**")), ("hresult", HRESULT)],
)
