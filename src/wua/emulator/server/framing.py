"""ORPC call bodies: ORPCTHIS + [in] parameters, ORPCTHAT + [out] parameters.

Every ORPC request stub starts with an ORPCTHIS and every reply with an ORPCTHAT
(MS-DCOM 2.2.13); the parameter tables in `wua.dcom.oaut`, `wua.dcom.uamg` and the
enumerator leave them out, so the exporter reads and writes them here, once. NDR
alignment counts from the start of the stub, so the parameters are decoded in place
after the ORPCTHIS rather than from a slice.
"""

from __future__ import annotations

from typing import Any

from wua.dcom.orpc import ORPCTHAT, ORPCTHIS, OrpcThat, OrpcThis, check_counts
from wua.rpc import ndr

_THAT = ndr.Params("ORPCTHAT", [("orpcthat", ndr.Ref(ORPCTHAT))])
# An ORPCTHAT without extensions is 8 bytes: the parameters after it stay 8-aligned.
EMPTY_ORPCTHAT = ndr.encode(_THAT, _THAT(orpcthat=OrpcThat()))


def read_orpcthis(stub: bytes) -> tuple[OrpcThis, int]:
    """The ORPCTHIS at the start of a request stub and where the parameters start."""
    this, offset = ndr.decode_prefix(ndr.Ref(ORPCTHIS), stub, 0)
    check_counts(this, "ORPCTHIS")
    return this, offset


def read_params(params: ndr.Params, stub: bytes, offset: int) -> Any:
    """The [in] parameters from `offset` to the end of the stub; nothing may be left."""
    record, end = ndr.decode_prefix(params, stub, offset)
    if end != len(stub):
        raise ndr.fail(f"{len(stub) - end} bytes left after the parameters", params.name, end)
    check_counts(record, params.name)
    return record


def reply(params: ndr.Params, **values: Any) -> bytes:
    """An ORPC reply stub: an empty ORPCTHAT, then the [out] parameters."""
    return EMPTY_ORPCTHAT + ndr.encode(params, params(**values))
