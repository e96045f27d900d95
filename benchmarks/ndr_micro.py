"""Micro-benchmark of the NDR / MS-OAUT codec against impacket's NDR on the same work.

Measures, per operation (CPU time, best of several runs):
  1. DISPPARAMS holding 3 VARIANTs (BSTR, I4, BOOL): encode + decode;
  2. an IDispatch::Invoke response whose VARIANT holds an OBJREF (174-byte
     OBJREF_STANDARD from a real Windows capture) plus EXCEPINFO: encode + decode;
  3. the client side of one Invoke: encode the request + decode that response.

Run: .venv/bin/python benchmarks/ndr_micro.py
"""

from __future__ import annotations

from collections.abc import Callable

from _common import OBJECT_RESPONSE, OBJREF, ImpInvokeResponse, best_per_call_us
from impacket.dcerpc.v5.dcom import oaut as io
from impacket.dcerpc.v5.dtypes import NULL
from impacket.dcerpc.v5.ndr import NDRCALL

from wua.dcom import oaut
from wua.dcom.oaut import Variant, VarType
from wua.rpc import ndr

ARGS = [
    Variant(VarType.VT_BSTR, "IsInstalled=0 and Type='Software'"),
    Variant(VarType.VT_I4, 5),
    Variant(VarType.VT_BOOL, True),
]


def best_cpu_us(fn: Callable[[], object], rounds: int = 7, loops: int = 2000) -> float:
    """Best per-call CPU time in microseconds over `rounds` batches of `loops` calls."""

    def batch(_: int) -> None:
        for _ in range(loops):
            fn()

    return best_per_call_us(batch, rounds, loops)


# --- ours -----------------------------------------------------------------------------


def ours_dispparams() -> None:
    data = ndr.encode(oaut.DISPPARAMS, oaut.dispparams(list(reversed(ARGS))))
    ndr.decode(oaut.DISPPARAMS, data)


RESPONSE_BYTES = ndr.encode(oaut.INVOKE_RESPONSE, OBJECT_RESPONSE)


def ours_response() -> None:
    ndr.decode(oaut.INVOKE_RESPONSE, ndr.encode(oaut.INVOKE_RESPONSE, OBJECT_RESPONSE))


def ours_client_round() -> None:
    request = oaut.INVOKE_REQUEST(
        dispIdMember=0x60020001,
        riid=oaut.IID_NULL,
        lcid=0x409,
        dwFlags=oaut.DISPATCH_METHOD | oaut.DISPATCH_PROPERTYGET,
        pDispParams=oaut.dispparams(ARGS),
        cVarRef=0,
        rgVarRefIdx=[],
        rgVarRef=[],
    )
    ndr.encode(oaut.INVOKE_REQUEST, request)
    ndr.decode(oaut.INVOKE_RESPONSE, RESPONSE_BYTES)


# --- impacket ----------------------------------------------------------------------------


class ImpDispParams(NDRCALL):  # type: ignore[misc]
    structure = (("p", io.DISPPARAMS),)


class ImpInvokeRequest(NDRCALL):  # type: ignore[misc]
    """IDispatch_Invoke without its ORPCTHIS, like our stub."""

    structure = tuple(f for f in io.IDispatch_Invoke.structure if f[0] != "ORPCthis")


def _imp_variant(variant: Variant) -> io.VARIANT:
    item = io.VARIANT(None, False)
    item["clSize"] = 5
    item["rpcReserved"] = 0
    item["vt"] = variant.vt
    item["wReserved1"] = item["wReserved2"] = item["wReserved3"] = 0
    item["_varUnion"]["tag"] = variant.vt
    if variant.vt == VarType.VT_BSTR:
        item["_varUnion"]["bstrVal"]["asData"] = variant.value
    elif variant.vt == VarType.VT_I4:
        item["_varUnion"]["lVal"] = variant.value
    elif variant.vt == VarType.VT_BOOL:
        item["_varUnion"]["boolVal"] = 0xFFFF if variant.value else 0
    return item


def _imp_fill_dispparams(params: io.DISPPARAMS) -> None:
    for variant in ARGS:
        params["rgvarg"].append(_imp_variant(variant))
    params["rgdispidNamedArgs"] = NULL
    params["cArgs"] = len(ARGS)
    params["cNamedArgs"] = 0


def imp_dispparams() -> None:
    call = ImpDispParams()
    _imp_fill_dispparams(call["p"])
    ImpDispParams(call.getData())


def imp_response() -> None:
    answer = ImpInvokeResponse()
    result = answer["pVarResult"]
    result["clSize"] = 0
    result["rpcReserved"] = 0
    result["vt"] = VarType.VT_DISPATCH
    result["wReserved1"] = result["wReserved2"] = result["wReserved3"] = 0
    result["_varUnion"]["tag"] = VarType.VT_DISPATCH
    result["_varUnion"]["pdispVal"]["ulCntData"] = len(OBJREF)
    result["_varUnion"]["pdispVal"]["abData"] = list(OBJREF)
    info = answer["pExcepInfo"]
    info["wCode"] = info["wReserved"] = 0
    info["bstrSource"] = info["bstrDescription"] = info["bstrHelpFile"] = NULL
    info["dwHelpContext"] = info["pvReserved"] = info["pfnDeferredFillIn"] = info["scode"] = 0
    answer["pArgErr"] = 0
    answer["ErrorCode"] = 0
    ImpInvokeResponse(answer.getData())


def imp_client_round() -> None:
    request = ImpInvokeRequest()
    request["dispIdMember"] = 0x60020001
    request["riid"] = io.IID_NULL
    request["lcid"] = 0x409
    request["dwFlags"] = 3
    _imp_fill_dispparams(request["pDispParams"])
    request["cVarRef"] = 0
    request["rgVarRefIdx"] = []
    request["rgVarRef"] = []
    request.getData()
    ImpInvokeResponse(RESPONSE_BYTES)


def main() -> None:
    rows = [
        ("DISPPARAMS, 3 VARIANTs: encode+decode", ours_dispparams, imp_dispparams),
        ("Invoke response, VARIANT(OBJREF): encode+decode", ours_response, imp_response),
        (
            "Client Invoke round: encode request + decode response",
            ours_client_round,
            imp_client_round,
        ),
    ]
    print(f"{'operation':58} {'wua µs':>9} {'impacket µs':>12} {'ratio':>7}")
    for label, ours, theirs in rows:
        a = best_cpu_us(ours)
        b = best_cpu_us(theirs, loops=300)
        print(f"{label:58} {a:9.1f} {b:12.1f} {b / a:6.1f}x")


if __name__ == "__main__":
    main()
