"""TCP 135 of an emulated host: IRemoteSCMActivator and IObjectExporter (RPCSS).

Activation checks what Windows checks before any object exists: the call's
authentication level (DCOM hardening refuses anything below PKT_INTEGRITY) and the
caller's rights (administrators; UAC's remote restrictions). Failures are the HRESULT of
RemoteCreateInstance, as Windows answers them, not faults. The exporter's string
bindings carry the address the client used to reach us and the dynamic port.

IObjectExporter needs no authentication, as on Windows (ServerAlive2 is how scanners
fingerprint a host); its six calls answer from the host's object table.
"""

from __future__ import annotations

import uuid

from wua.dcom.activation.builders import (
    ActivatedInterface,
    ActivationResult,
    create_instance_response,
    get_class_object_response,
    read_request,
)
from wua.dcom.interfaces import (
    ICLASSFACTORY,
    IID_ITYPEINFO,
    IID_IUNKNOWN,
    IOBJECTEXPORTER,
    IREMOTESCMACTIVATOR,
)
from wua.dcom.orpc import ORPCF_LOCAL, ComVersion, OrpcThat
from wua.dcom.stubs.codec import Stub
from wua.dcom.stubs.exporter import (
    ComplexPingRequest,
    ComplexPingResponse,
    EmptyRequest,
    ResolveOxid2Request,
    ResolveOxid2Response,
    ResolveOxidRequest,
    ResolveOxidResponse,
    ServerAlive2Response,
    SimplePingRequest,
    StatusResponse,
)
from wua.dcom.stubs.scm import (
    RemoteCreateInstanceRequest,
    RemoteCreateInstanceResponse,
    RemoteGetClassObjectRequest,
    RemoteGetClassObjectResponse,
)
from wua.emulator.server.runtime import ClassFactory, HostRuntime
from wua.emulator.server.security import caller_of
from wua.emulator.server.typeinfo_calls import AnyTypeInfo
from wua.emulator.wua import EmulatedObject, Enumerator, activate, query_interface
from wua.errors import WuaError
from wua.reference.hresults import E_NOINTERFACE
from wua.rpc.channel import RpcFault
from wua.rpc.connection.events import CallRequest
from wua.rpc.faults import NCA_S_OP_RNG_ERROR, NCA_S_UNK_IF
from wua.rpc.listener import Peer
from wua.rpc.presentation import SyntaxId
from wua.rpc.security.base import AuthLevel

OR_INVALID_OXID = 0x00000776  # 1910: "the object exporter specified was not found"
TOWER_NCACN_IP_TCP = 7

RESOLVER_INTERFACES = (
    SyntaxId(IREMOTESCMACTIVATOR.iid, 0, 0),
    SyntaxId(IOBJECTEXPORTER.iid, 0, 0),
)


class Resolver:
    """The call handler of one host's TCP 135 listener."""

    def __init__(self, runtime: HostRuntime) -> None:
        self.runtime = runtime

    async def __call__(self, call: CallRequest, peer: Peer) -> bytes:
        syntax = peer.interface_of(call.context_id)
        if syntax is None:
            raise RpcFault(NCA_S_UNK_IF)
        if syntax.uuid == IREMOTESCMACTIVATOR.iid:
            return self._activator(call, peer)
        if syntax.uuid == IOBJECTEXPORTER.iid:
            return self._exporter(call, peer)
        raise RpcFault(NCA_S_UNK_IF)

    # --- IRemoteSCMActivator ----------------------------------------------------------

    def _activator(self, call: CallRequest, peer: Peer) -> bytes:
        if call.opnum == IREMOTESCMACTIVATOR.opnum("RemoteCreateInstance"):
            create = RemoteCreateInstanceRequest.decode(call.stub)
            pointer = create.pActProperties
            by_factory = False
        elif call.opnum == IREMOTESCMACTIVATOR.opnum("RemoteGetClassObject"):
            get = RemoteGetClassObjectRequest.decode(call.stub)
            pointer = get.pActProperties
            by_factory = True
        else:
            raise RpcFault(NCA_S_OP_RNG_ERROR)
        request = read_request(pointer)
        try:
            caller_of(
                peer.security(call.auth_context_id), self.runtime.state, AuthLevel.PKT_INTEGRITY
            )
            result = self._activate(request.clsid, request.iids, peer, call, by_factory)
        except WuaError as exc:
            return self._refusal(exc.hresult, by_factory)
        if by_factory:
            return get_class_object_response(result).encode()
        return create_instance_response(result).encode()

    def _activate(
        self,
        clsid: uuid.UUID,
        iids: list[uuid.UUID],
        peer: Peer,
        call: CallRequest,
        by_factory: bool,
    ) -> ActivationResult:
        runtime = self.runtime
        target: object = activate(runtime.state, str(clsid))
        if by_factory:
            target = ClassFactory(str(clsid))
        now = runtime.now()
        interfaces = []
        for iid in iids:
            if implements(target, iid):
                objref = runtime.marshaler.standard(target, iid, now)
                interfaces.append(ActivatedInterface(iid, 0, objref))
            else:
                interfaces.append(ActivatedInterface(iid, E_NOINTERFACE, None))
        if not any(item.hresult == 0 for item in interfaces):
            raise WuaError("no requested interface is implemented", hresult=E_NOINTERFACE)
        security = peer.security(call.auth_context_id)
        hint = int(security.auth_level) if security is not None else int(AuthLevel.CONNECT)
        return ActivationResult(
            interfaces,
            runtime.oxid,
            runtime.exporter_bindings(peer.local[0]),
            runtime.ipid_rem_unknown,
            hint,
            ComVersion(5, 7),
        )

    @staticmethod
    def _refusal(hresult: int, by_factory: bool) -> bytes:
        answer: Stub
        if by_factory:
            answer = RemoteGetClassObjectResponse(OrpcThat(flags=ORPCF_LOCAL), None, hresult)
        else:
            answer = RemoteCreateInstanceResponse(OrpcThat(flags=ORPCF_LOCAL), None, hresult)
        return answer.encode()

    # --- IObjectExporter --------------------------------------------------------------

    def _exporter(self, call: CallRequest, peer: Peer) -> bytes:
        runtime = self.runtime
        method = IOBJECTEXPORTER.method(call.opnum)
        now = runtime.now()
        if method in ("ResolveOxid", "ResolveOxid2"):
            two = method == "ResolveOxid2"
            resolve = (ResolveOxid2Request if two else ResolveOxidRequest).decode(call.stub)
            known = resolve.pOxid == runtime.oxid and TOWER_NCACN_IP_TCP in (
                resolve.arRequestedProtseqs or []
            )
            bindings = runtime.exporter_bindings(peer.local[0]) if known else None
            status = 0 if known else OR_INVALID_OXID
            ipid = runtime.ipid_rem_unknown if known else uuid.UUID(int=0)
            if two:
                return ResolveOxid2Response(
                    bindings, ipid, int(AuthLevel.CONNECT), ComVersion(5, 7), status
                ).encode()
            return ResolveOxidResponse(bindings, ipid, int(AuthLevel.CONNECT), status).encode()
        if method == "SimplePing":
            ping = SimplePingRequest.decode(call.stub)
            return StatusResponse(runtime.table.simple_ping(ping.pSetId, now)).encode()
        if method == "ComplexPing":
            complex_ping = ComplexPingRequest.decode(call.stub)
            set_id, status = runtime.table.complex_ping(
                complex_ping.pSetId, complex_ping.AddToSet or [], complex_ping.DelFromSet or [], now
            )
            return ComplexPingResponse(set_id, 0, status).encode()
        if method == "ServerAlive":
            EmptyRequest.decode(call.stub)
            return StatusResponse(0).encode()
        if method == "ServerAlive2":
            EmptyRequest.decode(call.stub)
            return ServerAlive2Response(ComVersion(5, 7), runtime.resolver_bindings()).encode()
        raise RpcFault(NCA_S_OP_RNG_ERROR)


def implements(target: object, iid: uuid.UUID) -> bool:
    """QueryInterface on anything the host exports (WUA objects, enumerators, factories)."""
    if isinstance(target, ClassFactory):
        return iid in (ICLASSFACTORY.iid, IID_IUNKNOWN)
    if isinstance(target, AnyTypeInfo):
        return iid in (IID_ITYPEINFO, IID_IUNKNOWN)
    if isinstance(target, EmulatedObject | Enumerator):
        return query_interface(target, str(iid))
    return False
