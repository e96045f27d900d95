"""A host session (asyncio): activation, the object table, calls, pings, releases.

Everything a session uses belongs to it — connections, the objects it holds references
on, its ping set — so any number of sessions, to one host or many, live side by side in
one process. `connect` in `wua.aio` (and its synchronous twin in `wua.client.sync`) is
how users get one. Its parts live beside it: activation in `activation`, the exporter
connections in `exporter_calls`, references and their release in `object_table`.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from wua.client.activation import activate
from wua.client.exporter_calls import ExporterCalls
from wua.client.object_table import ObjectRef, ObjectTable
from wua.client.objects import RemoteObject, object_class
from wua.client.orpc import invoke_error, read_reply, request_stub
from wua.client.ping import Pinger, PingUpdate
from wua.client.releases import ReleaseQueue
from wua.client.session_options import DEFAULT_POOL_SIZE, CallCounter, SessionOptions
from wua.client.transport import (
    ACTIVATOR_CONTEXT,
    OXID_RESOLVER_CONTEXT,
    STAGE_AUTH,
    STAGE_RESOLVER,
    HostAddress,
    SecurityMaker,
    open_bound,
)
from wua.dcom import oaut
from wua.dcom.interfaces import IOBJECTEXPORTER, IREMUNKNOWN
from wua.dcom.objref import ObjRefStandard, StdObjRef, decode_objref
from wua.dcom.orpc import OrpcThis
from wua.dcom.stubs.exporter import (
    ComplexPingRequest,
    ComplexPingResponse,
    SimplePingRequest,
    StatusResponse,
)
from wua.dcom.stubs.remunknown import (
    RemInterfaceRef,
    RemQueryInterfaceRequest,
    RemQueryInterfaceResponse,
    RemReleaseRequest,
)
from wua.errors import AuthenticationFailed, HostUnreachable, ProtocolError, WuaError, error_for
from wua.reference.coclasses import coclass
from wua.rpc.channel import Endpoint, RpcChannel
from wua.rpc.security.kerberos_tickets import SessionTickets

# where they have always been imported from
__all__ = [
    "DEFAULT_POOL_SIZE",
    "AsyncSession",
    "CallCounter",
    "ObjectRef",
    "SessionOptions",
]

LCID_EN_US = 0x409
S_FALSE = 1
ENUM_BATCH = 64


class AsyncSession:
    """One host: use `await wua.aio.connect(...)` rather than building it directly."""

    def __init__(
        self,
        address: HostAddress,
        security: SecurityMaker,
        options: SessionOptions,
        tickets: SessionTickets | None = None,
    ) -> None:
        """`tickets`, for Kerberos: fetched once in a worker thread when the session opens
        (the contexts `security` makes then find them cached), destroyed when it closes."""
        self.address = address
        self.host = address.host
        self.options = options
        self._security = security
        self._tickets = tickets
        self._resolver: RpcChannel | None = None
        self._pinger = Pinger(self._complex_ping, self._simple_ping, period=options.ping_period)
        self._ping_task: asyncio.Task[None] | None = None
        self._objects = ObjectTable(self._pinger, self._rem_release)
        self.calls = CallCounter()
        self._exporter = ExporterCalls(self.host, options, self.calls, on_idle=self._objects.idle)
        self._rem_unknown = uuid.UUID(int=0)

    # --- opening ----------------------------------------------------------------------

    async def open(self) -> None:
        options = self.options
        if self._tickets is not None:
            try:
                await asyncio.to_thread(self._tickets.acquire)
            except AuthenticationFailed as exc:
                raise AuthenticationFailed(
                    exc.detail, hresult=exc.hresult, host=self.host, stage=STAGE_AUTH
                ) from exc
        resolver = Endpoint(self.host, self.address.port)
        self._objects.start(asyncio.get_running_loop(), busy=lambda: self._exporter.busy)
        self._resolver = await open_bound(
            resolver,
            (ACTIVATOR_CONTEXT, OXID_RESOLVER_CONTEXT),
            self._security(),
            timeout=options.connect_timeout,
            stage=STAGE_RESOLVER,
        )
        try:
            await self._activate_session_coclasses()
        except BaseException:
            await self.close()
            raise
        self._ping_task = asyncio.get_running_loop().create_task(self._pinger.run())

    async def _activate_session_coclasses(self) -> None:
        self.update_session: Any = await self.create("Microsoft.Update.Session", first=True)

    async def service_manager(self) -> Any:
        """A new Microsoft.Update.ServiceManager (IUpdateServiceManager)."""
        return await self.create("Microsoft.Update.ServiceManager")

    async def automatic_updates(self) -> Any:
        """A new Microsoft.Update.AutoUpdate (IAutomaticUpdates)."""
        return await self.create("Microsoft.Update.AutoUpdate")

    async def agent_info(self) -> Any:
        """A new Microsoft.Update.AgentInfo (IWindowsUpdateAgentInfo)."""
        return await self.create("Microsoft.Update.AgentInfo")

    async def create(self, progid: str, *, first: bool = False) -> Any:
        """Activate a remotely creatable coclass (RemoteCreateInstance on TCP 135).

        The first activation also tells where the exporter listens: the session's
        exporter connections open then.
        """
        info = coclass(progid)
        resolver = self._resolver
        if resolver is None:
            raise HostUnreachable("the session is closed", host=self.host, stage=STAGE_RESOLVER)
        activated = await activate(
            resolver,
            info,
            host=self.host,
            auth_level=self.options.auth_level,
            timeout=self.options.connect_timeout,
            calls=self.calls,
        )
        if first:
            self._rem_unknown = activated.rem_unknown
            exporter = Endpoint(self.host, activated.exporter_port())
            await self._exporter.open(exporter, self._security)
        objref = activated.objref
        return self.adopt(objref.std, objref.iid, info.default_interface)

    # --- the object table -------------------------------------------------------------

    def adopt(self, std: StdObjRef, iid: uuid.UUID, interface: str | None) -> RemoteObject:
        """Take ownership of the references an OBJREF carries and type the object."""
        ref = self._objects.adopt(ObjectRef(std.ipid, std.oid, iid, std.public_refs))
        return object_class(interface)(self, ref)

    @property
    def held_references(self) -> int:
        """Public references this session holds on the host (what close gives back)."""
        return self._objects.total

    def make(self, pointer: oaut.InterfacePointer, interface: str | None) -> RemoteObject:
        objref = decode_objref(pointer.objref)
        if not isinstance(objref, ObjRefStandard):
            raise ProtocolError("expected an OBJREF_STANDARD", structure="OBJREF", offset=4)
        return self.adopt(objref.std, objref.iid, interface)

    # --- calls ------------------------------------------------------------------------

    async def invoke(
        self,
        ref: ObjectRef,
        dispid: int,
        flags: int,
        args: list[oaut.Variant],
        *,
        what: str,
        put: bool = False,
    ) -> oaut.Variant:
        """IDispatch::Invoke with the reference's DISPID (no GetIDsOfNames)."""
        named = {oaut.DISPID_PROPERTYPUT: args[-1]} if put else None
        positional = args[:-1] if put else args
        request = oaut.INVOKE_REQUEST(
            dispIdMember=dispid,
            riid=oaut.IID_NULL,
            lcid=LCID_EN_US,
            dwFlags=flags,
            pDispParams=oaut.dispparams(positional, named),
            cVarRef=0,
            rgVarRefIdx=[],
            rgVarRef=[],
        )
        stub = request_stub(oaut.INVOKE_REQUEST, request, uuid.uuid4())
        self.calls.by_member[what] += 1
        answer = read_reply(
            oaut.INVOKE_RESPONSE,
            await self._exporter.call(oaut.IID_IDISPATCH, ref.ipid, 6, stub, "Invoke", what),
        )
        if answer.hresult != 0:
            raise invoke_error(answer.hresult, answer.pExcepInfo, host=self.host, what=what)
        result: oaut.Variant = answer.pVarResult
        return result

    async def enumerate(self, enumerator: RemoteObject) -> list[oaut.Variant]:
        """Every item of an IEnumVARIANT, ENUM_BATCH per Next call."""
        ref = await self.query_interface(enumerator.ref, oaut.IID_IENUMVARIANT)
        items: list[oaut.Variant] = []
        while True:
            stub = request_stub(oaut.NEXT_REQUEST, oaut.NEXT_REQUEST(celt=ENUM_BATCH), uuid.uuid4())
            answer = read_reply(
                oaut.NEXT_RESPONSE,
                await self._exporter.call(oaut.IID_IENUMVARIANT, ref.ipid, 3, stub, "Next"),
            )
            if answer.hresult not in (0, S_FALSE):
                raise error_for(answer.hresult, "IEnumVARIANT::Next", host=self.host, stage="call")
            batch = list(answer.rgVar or [])[: answer.pCeltFetched]
            items.extend(batch)
            if answer.hresult == S_FALSE or len(batch) < ENUM_BATCH:
                return items

    async def query_interface(self, ref: ObjectRef, iid: uuid.UUID) -> ObjectRef:
        request = RemQueryInterfaceRequest(OrpcThis(cid=uuid.uuid4()), ref.ipid, 1, [iid])
        raw = await self._exporter.call(
            IREMUNKNOWN.iid,
            self._rem_unknown,
            IREMUNKNOWN.opnum("RemQueryInterface"),
            request.encode(),
            "RemQueryInterface",
        )
        answer = RemQueryInterfaceResponse.decode(raw)
        results = answer.ppQIResults or []
        if answer.hresult != 0 or not results or results[0].hResult != 0:
            code = results[0].hResult if results else answer.hresult
            raise error_for(code or answer.hresult, "QueryInterface", host=self.host, stage="call")
        std = results[0].std
        return self._objects.hold(ObjectRef(std.ipid, std.oid, iid, std.public_refs))

    async def release(self, refs: list[ObjectRef] | None = None) -> None:
        """RemRelease the given references (all the session holds when None)."""
        await self._objects.release(refs)

    async def _rem_release(self, batch: list[RemInterfaceRef]) -> None:
        request = RemReleaseRequest(OrpcThis(cid=uuid.uuid4()), batch)
        await self._exporter.call(
            IREMUNKNOWN.iid,
            self._rem_unknown,
            IREMUNKNOWN.opnum("RemRelease"),
            request.encode(),
            "RemRelease",
        )

    async def flush_releases(self) -> None:
        """Send now the releases of objects already garbage-collected (they otherwise wait
        for the session to be idle or for a full batch): for code counting calls or bytes."""
        await asyncio.sleep(0)  # finalizers' wake-ups queued with call_soon_threadsafe run
        await self._objects.drain(send_pending=True)

    @property
    def releases(self) -> ReleaseQueue | None:
        """Releases of garbage-collected objects (batches sent, last error)."""
        return self._objects.releases

    # --- pings (on TCP 135, IObjectExporter) ------------------------------------------

    async def _complex_ping(self, update: PingUpdate) -> int:
        request = ComplexPingRequest(
            update.set_id, update.sequence, list(update.add) or None, list(update.remove) or None
        )
        raw = await self._resolver_call(IOBJECTEXPORTER.opnum("ComplexPing"), request.encode())
        answer = ComplexPingResponse.decode(raw)
        if answer.status != 0:
            raise error_for(answer.status, "ComplexPing", host=self.host, stage="call")
        return answer.pSetId

    async def _simple_ping(self, set_id: int) -> None:
        raw = await self._resolver_call(
            IOBJECTEXPORTER.opnum("SimplePing"), SimplePingRequest(set_id).encode()
        )
        StatusResponse.decode(raw)

    async def _resolver_call(self, opnum: int, stub: bytes) -> bytes:
        if self._resolver is None:
            raise HostUnreachable("the session is closed", host=self.host, stage=STAGE_RESOLVER)
        self.calls.by_kind["ping"] += 1
        return await self._resolver.call(1, opnum, stub, timeout=self.options.connect_timeout)

    @property
    def pinger(self) -> Pinger:
        return self._pinger

    # --- closing ----------------------------------------------------------------------

    @property
    def bytes_sent(self) -> int:
        resolver = self._resolver.bytes_sent if self._resolver is not None else 0
        return resolver + self._exporter.bytes_sent

    async def close(self) -> None:
        """Release every reference, stop pinging, close the connections."""
        if self._ping_task is not None:
            self._ping_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ping_task
            self._ping_task = None
        await self._objects.drain()  # its send errors are kept, not raised
        if self._exporter.opened and not self._exporter.closed:
            # a host that is gone cannot take releases; its exporter collects our objects
            # after three ping periods anyway, so closing goes on
            with contextlib.suppress(WuaError, OSError):
                await self.release()
        self._objects.close()
        await self._exporter.close()
        if self._resolver is not None:
            await self._resolver.close()
        if self._tickets is not None:
            self._tickets.close()

    async def __aenter__(self) -> AsyncSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
