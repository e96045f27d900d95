"""Activating a coclass: RemoteCreateInstance on the resolver connection (TCP 135).

Its own module because a refusal here is the user's most common failure, and the error
must name the likelier cause: on a hardened host an authentication level below
PKT_INTEGRITY is refused with the same E_ACCESSDENIED as a non-administrator.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from wua.client.session_options import CallCounter
from wua.client.transport import STAGE_ACTIVATION, activation_refusal_cause, auth_error
from wua.dcom import oaut
from wua.dcom.activation.builders import create_instance_request
from wua.dcom.activation.builders import read_reply as read_activation
from wua.dcom.interfaces import IREMOTESCMACTIVATOR
from wua.dcom.objref import ObjRefStandard
from wua.dcom.stubs.scm import RemoteCreateInstanceResponse
from wua.errors import AccessDenied, ProtocolError, WuaError, error_for
from wua.reference.coclasses import Coclass
from wua.reference.hresults import E_ACCESSDENIED
from wua.rpc.channel import RpcChannel, RpcFault

_UAC_HINT = (
    "the account must be an administrator of the host; a local administrator other than "
    "the built-in one is also refused while UAC remote restrictions apply "
    "(LocalAccountTokenFilterPolicy=0)"
)


@dataclass(frozen=True)
class Activated:
    """The new object's IDispatch and where the exporter that owns it answers."""

    objref: ObjRefStandard
    rem_unknown: uuid.UUID
    port: int | None  # of the first string binding that names one

    def exporter_port(self) -> int:
        """Where to open the exporter connections; paired with the address the user gave,
        since the binding's own address may be unreachable from here."""
        if self.port is None:
            raise ProtocolError(
                "the activation reply names no exporter port", structure="ScmReplyInfoData"
            )
        return self.port


async def activate(
    resolver: RpcChannel,
    info: Coclass,
    *,
    host: str,
    auth_level: int,
    timeout: float | None,
    calls: CallCounter,
) -> Activated:
    """Create one instance of `info` on the host, asking for IDispatch."""
    request = create_instance_request(
        uuid.UUID(info.clsid),
        [oaut.IID_IDISPATCH],
        cid=uuid.uuid4(),
        server_name=host,
        authn_level=auth_level,
    )
    try:
        raw = await resolver.call(
            0,
            IREMOTESCMACTIVATOR.opnum("RemoteCreateInstance"),
            request.encode(),
            timeout=timeout,
        )
    except RpcFault as fault:
        raise auth_error(fault, host) from fault
    calls.by_kind["activation"] += 1
    reply = RemoteCreateInstanceResponse.decode(raw)
    if reply.hresult != 0:
        raise activation_error(reply.hresult, info.progid, auth_level=auth_level, host=host)
    result = read_activation(reply.ppActProperties)
    item = result.interfaces[0]
    if item.hresult != 0 or not isinstance(item.objref, ObjRefStandard):
        raise error_for(
            item.hresult or E_ACCESSDENIED,
            f"{info.progid}: no IDispatch",
            host=host,
            stage=STAGE_ACTIVATION,
        )
    port = next((b.port for b in result.bindings.string_bindings if b.port), None)
    return Activated(item.objref, result.ipid_rem_unknown, port)


def activation_error(hresult: int, progid: str, *, auth_level: int, host: str) -> WuaError:
    cause = activation_refusal_cause(auth_level)
    if hresult == E_ACCESSDENIED and cause == "auth_level":
        # Hardened hosts answer a low level with the same E_ACCESSDENIED as a
        # non-administrator; the level is known here, so name the likelier cause first.
        return AccessDenied(
            f"activation of {progid} refused: this session asked for authentication "
            f"level {auth_level}, below PKT_INTEGRITY, which DCOM hardening "
            f"(KB5004442) refuses; use auth level privacy (--auth-level privacy). "
            f"If the level is not the cause: {_UAC_HINT}",
            host=host,
            stage=STAGE_ACTIVATION,
            cause=cause,
        )
    if hresult == E_ACCESSDENIED:
        return AccessDenied(
            f"activation of {progid} refused: {_UAC_HINT}",
            host=host,
            stage=STAGE_ACTIVATION,
            cause=cause,
        )
    return error_for(hresult, f"activation of {progid} failed", host=host, stage=STAGE_ACTIVATION)
