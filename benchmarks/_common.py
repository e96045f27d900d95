"""What the codec benchmarks measure with alike, so their figures compare: the same
Windows OBJREF, the same Invoke answer carrying it, impacket's full [out] table for that
answer, and one way of timing (best CPU time of several batches, since the slowest
batches measure the machine's other work, not the code)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from impacket.dcerpc.v5.dcom import oaut as io
from impacket.dcerpc.v5.ndr import NDRCALL

from wua.dcom import oaut
from wua.dcom.oaut import InterfacePointer, Variant, VarType

STUB_HEX = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "ndr"
    / "data"
    / "zeek_kerberos135_frame11_stub.hex"
)
OBJREF_SIGNATURE = b"MEOW\x01\x00\x00\x00"  # "MEOW", flags OBJREF_STANDARD
OBJREF_SIZE = 174


def _windows_objref() -> bytes:
    """The OBJREF_STANDARD a Windows host returned in the Zeek capture's frame 11."""
    stub = bytes.fromhex(STUB_HEX.read_text().strip())
    at = stub.find(OBJREF_SIGNATURE)
    return stub[at : at + OBJREF_SIZE]


OBJREF = _windows_objref()
EMPTY_EXCEPINFO = oaut.EXCEPINFO(
    wCode=0,
    wReserved=0,
    bstrSource=None,
    bstrDescription=None,
    bstrHelpFile=None,
    dwHelpContext=0,
    pvReserved=0,
    pfnDeferredFillIn=0,
    scode=0,
)
OBJECT_RESPONSE = oaut.INVOKE_RESPONSE(
    pVarResult=Variant(VarType.VT_DISPATCH, InterfacePointer(OBJREF)),
    pExcepInfo=EMPTY_EXCEPINFO,
    pArgErr=0,
    rgVarRef=[],
    hresult=0,
)
"""IDispatch::Invoke [out] of a member returning an object, as a host answers it."""


class ImpInvokeResponse(NDRCALL):  # type: ignore[misc]
    """The full [out] list (impacket's own class lacks rgVarRef)."""

    structure = (
        ("pVarResult", io.VARIANT),
        ("pExcepInfo", io.EXCEPINFO),
        ("pArgErr", io.UINT),
        ("rgVarRef", io.VARIANT_ARRAY),
        ("ErrorCode", io.HRESULT),
    )


def best_per_call_us(batch: Callable[[int], object], batches: int, calls: int) -> float:
    """Best CPU time per call, in microseconds, where `batch(index)` makes `calls` calls."""
    best = float("inf")
    for index in range(batches):
        began = time.process_time()
        batch(index)
        best = min(best, (time.process_time() - began) / calls)
    return best * 1e6
