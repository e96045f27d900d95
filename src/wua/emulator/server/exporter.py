"""The dynamic exporter port of an emulated host: every ORPC call on its objects.

A call names its object by IPID (the PDU's object UUID). The IRemUnknown IPID reaches
the reference-count and QueryInterface calls; any other IPID must be in the object
table (else the call faults with RPC_E_DISCONNECTED, what Windows answers for an object
it has collected) and is answered by the interface that IPID was exported for:
IDispatch opnums 3-6 on every WUA interface (they are dual), the vtable slots from 7 on,
IEnumVARIANT for `_NewEnum`'s enumerator, IClassFactory for RemoteGetClassObject,
ITypeInfo for what IDispatch::GetTypeInfo hands out.

Every call must come from an authenticated administrator (a fault otherwise: the
access check of the surrogate process, before any ORPC processing).
"""

from __future__ import annotations

import asyncio
import uuid

from wua.dcom.interfaces import (
    ICLASSFACTORY,
    IID_IDISPATCH,
    IID_IENUMVARIANT,
    IID_ITYPEINFO,
    IID_IUNKNOWN,
    IREMUNKNOWN,
    IREMUNKNOWN2,
)
from wua.dcom.objref import StdObjRef
from wua.dcom.orpc import MInterfacePointer, OrpcThat
from wua.dcom.stubs.classfactory import (
    CreateInstanceRequest,
    CreateInstanceResponse,
    LockServerRequest,
    LockServerResponse,
)
from wua.dcom.stubs.remunknown import (
    RemAddRefRequest,
    RemAddRefResponse,
    RemQiResult,
    RemQueryInterface2Request,
    RemQueryInterface2Response,
    RemQueryInterfaceRequest,
    RemQueryInterfaceResponse,
    RemReleaseRequest,
    RemReleaseResponse,
)
from wua.emulator.server.direct import call_slot
from wua.emulator.server.enumvariant import call_enumerator
from wua.emulator.server.framing import read_orpcthis
from wua.emulator.server.idispatch import (
    get_ids_of_names,
    get_type_info,
    get_type_info_count,
    invoke_call,
)
from wua.emulator.server.resolver import implements
from wua.emulator.server.runtime import ClassFactory, HostRuntime
from wua.emulator.server.security import caller_of
from wua.emulator.server.typeinfo_calls import AnyTypeInfo, call_type_info
from wua.emulator.wua import EmulatedObject, Enumerator, activate
from wua.errors import WuaError
from wua.reference.hresults import E_INVALIDARG, E_NOINTERFACE, RPC_E_DISCONNECTED
from wua.reference.interfaces import interfaces_by_iid, interfaces_by_name
from wua.rpc.channel import RpcFault
from wua.rpc.connection.events import CallRequest
from wua.rpc.faults import NCA_S_FAULT_ACCESS_DENIED, NCA_S_OP_RNG_ERROR, NCA_S_UNK_IF
from wua.rpc.listener import Peer, ResetConnection
from wua.rpc.presentation import SyntaxId
from wua.rpc.security.base import AuthLevel

_NO_STD = StdObjRef(0, 0, 0, 0, uuid.UUID(int=0))


def exporter_interfaces() -> tuple[SyntaxId, ...]:
    """Every interface a client may bind on the exporter port (all version 0.0)."""
    iids = [
        IREMUNKNOWN.iid,
        IREMUNKNOWN2.iid,
        ICLASSFACTORY.iid,
        IID_IDISPATCH,
        IID_IENUMVARIANT,
        IID_ITYPEINFO,
        IID_IUNKNOWN,
    ]
    iids += [uuid.UUID(i.iid) for i in interfaces_by_name().values()]
    return tuple(SyntaxId(iid, 0, 0) for iid in iids)


class Exporter:
    """The call handler of one host's exporter listener."""

    def __init__(self, runtime: HostRuntime) -> None:
        self.runtime = runtime

    async def __call__(self, call: CallRequest, peer: Peer) -> bytes:
        runtime = self.runtime
        runtime.calls += 1
        every = runtime.config.faults.reset_every
        if every is not None and runtime.calls % every == 0:
            raise ResetConnection(f"reset on call {runtime.calls}")
        try:
            caller_of(peer.security(call.auth_context_id), runtime.state, AuthLevel.CONNECT)
        except WuaError:
            raise RpcFault(NCA_S_FAULT_ACCESS_DENIED) from None
        latency = runtime.state.behaviour.call_latency_seconds
        if latency > 0:
            await asyncio.sleep(latency)
        syntax = peer.interface_of(call.context_id)
        if syntax is None:
            raise RpcFault(NCA_S_UNK_IF)
        _, offset = read_orpcthis(call.stub)
        if call.object_uuid == runtime.ipid_rem_unknown:
            if syntax.uuid not in (IREMUNKNOWN.iid, IREMUNKNOWN2.iid):
                raise RpcFault(NCA_S_UNK_IF)
            return self._rem_unknown(call)
        found = runtime.table.lookup(call.object_uuid) if call.object_uuid else None
        if found is None:
            raise RpcFault(RPC_E_DISCONNECTED)
        target, exported = found
        if syntax.uuid != exported.iid:
            raise RpcFault(NCA_S_UNK_IF)
        return await self._object_call(target, exported.iid, call, offset)

    async def _object_call(
        self, target: object, iid: uuid.UUID, call: CallRequest, offset: int
    ) -> bytes:
        runtime = self.runtime
        if isinstance(target, Enumerator):
            return call_enumerator(runtime, target, call.opnum, call.stub, offset)
        if isinstance(target, ClassFactory):
            return self._class_factory(target, call)
        if isinstance(target, AnyTypeInfo):
            return call_type_info(target, call.opnum, call.stub, offset, runtime.export_type_info)
        if not isinstance(target, EmulatedObject):
            raise RpcFault(NCA_S_OP_RNG_ERROR)
        if call.opnum == 3:
            return get_type_info_count(call.stub, offset)
        if call.opnum == 4:
            return get_type_info(runtime, target, call.stub, offset)
        if call.opnum == 5:
            return get_ids_of_names(target, call.stub, offset)
        if call.opnum == 6:
            return await invoke_call(runtime, target, call.stub, offset)
        wua_interface = interfaces_by_iid().get(str(iid))
        if wua_interface is None or call.opnum < 7:
            raise RpcFault(NCA_S_OP_RNG_ERROR)
        return await call_slot(runtime, target, wua_interface.name, call.opnum, call.stub, offset)

    # --- IRemUnknown / IRemUnknown2 ---------------------------------------------------

    def _rem_unknown(self, call: CallRequest) -> bytes:
        runtime = self.runtime
        table, now = runtime.table, runtime.now()
        if call.opnum == IREMUNKNOWN.opnum("RemQueryInterface"):
            query = RemQueryInterfaceRequest.decode(call.stub)
            found = table.lookup(query.ripid)
            if found is None:
                return RemQueryInterfaceResponse(OrpcThat(), None, RPC_E_DISCONNECTED).encode()
            results = []
            for iid in query.iids:
                if implements(found[0], iid):
                    refs = max(1, query.cRefs)
                    std = runtime.marshaler.standard(found[0], iid, now, refs).std
                    results.append(RemQiResult(0, std))
                else:
                    results.append(RemQiResult(E_NOINTERFACE, _NO_STD))
            status = 0 if any(r.hResult == 0 for r in results) else E_NOINTERFACE
            return RemQueryInterfaceResponse(OrpcThat(), results, status).encode()
        if call.opnum == IREMUNKNOWN.opnum("RemAddRef"):
            add = RemAddRefRequest.decode(call.stub)
            added = [
                0 if table.add_ref(ref.ipid, ref.cPublicRefs) else E_INVALIDARG
                for ref in add.InterfaceRefs
            ]
            status = 0 if all(code == 0 for code in added) else E_INVALIDARG
            return RemAddRefResponse(OrpcThat(), added, status).encode()
        if call.opnum == IREMUNKNOWN.opnum("RemRelease"):
            release = RemReleaseRequest.decode(call.stub)
            released = [table.release(ref.ipid, ref.cPublicRefs) for ref in release.InterfaceRefs]
            return RemReleaseResponse(OrpcThat(), 0 if all(released) else E_INVALIDARG).encode()
        if call.opnum == IREMUNKNOWN2.opnum("RemQueryInterface2"):
            query2 = RemQueryInterface2Request.decode(call.stub)
            found = table.lookup(query2.ripid)
            if found is None:
                return RemQueryInterface2Response(OrpcThat(), [], [], RPC_E_DISCONNECTED).encode()
            codes: list[int] = []
            pointers: list[MInterfacePointer | None] = []
            for iid in query2.iids:
                if implements(found[0], iid):
                    objref = runtime.marshaler.standard(found[0], iid, now)
                    codes.append(0)
                    pointers.append(MInterfacePointer.of(objref))
                else:
                    codes.append(E_NOINTERFACE)
                    pointers.append(None)
            status = 0 if 0 in codes else E_NOINTERFACE
            return RemQueryInterface2Response(OrpcThat(), codes, pointers, status).encode()
        raise RpcFault(NCA_S_OP_RNG_ERROR)

    # --- IClassFactory ----------------------------------------------------------------

    def _class_factory(self, factory: ClassFactory, call: CallRequest) -> bytes:
        runtime = self.runtime
        if call.opnum == ICLASSFACTORY.opnum("CreateInstance"):
            create = CreateInstanceRequest.decode(call.stub)
            try:
                target = activate(runtime.state, factory.clsid)
            except WuaError as exc:
                return CreateInstanceResponse(OrpcThat(), None, exc.hresult).encode()
            if not implements(target, create.riid):
                return CreateInstanceResponse(OrpcThat(), None, E_NOINTERFACE).encode()
            objref = runtime.marshaler.standard(target, create.riid, runtime.now())
            return CreateInstanceResponse(OrpcThat(), MInterfacePointer.of(objref), 0).encode()
        if call.opnum == ICLASSFACTORY.opnum("LockServer"):
            LockServerRequest.decode(call.stub)
            return LockServerResponse(OrpcThat(), 0).encode()
        raise RpcFault(NCA_S_OP_RNG_ERROR)
