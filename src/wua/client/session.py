"""A host session (asyncio): activation, the object table, calls, pings, releases.

Everything a session uses belongs to it — connections, the objects it holds references
on, its ping set — so any number of sessions, to one host or many, live side by side in
one process. `connect` in `wua.aio` (and its synchronous twin in `wua.client.sync`) is
how users get one.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from wua.client.objects import RemoteObject, object_class
from wua.client.orpc import invoke_error, read_reply, request_stub
from wua.client.ping import DEFAULT_PING_PERIOD, Pinger, PingUpdate
from wua.client.references import Giveback, HeldReferences
from wua.client.releases import Counts, ReleaseQueue
from wua.client.transport import (
    ACTIVATOR_CONTEXT,
    CONTEXT_OF,
    OXID_RESOLVER_CONTEXT,
    STAGE_ACTIVATION,
    STAGE_RESOLVER,
    ExporterPool,
    HostAddress,
    SecurityMaker,
    auth_error,
    open_bound,
)
from wua.dcom import oaut
from wua.dcom.activation.builders import create_instance_request
from wua.dcom.activation.builders import read_reply as read_activation
from wua.dcom.interfaces import IOBJECTEXPORTER, IREMOTESCMACTIVATOR, IREMUNKNOWN
from wua.dcom.objref import ObjRefStandard, StdObjRef, decode_objref
from wua.dcom.orpc import OrpcThis
from wua.dcom.stubs.exporter import (
    ComplexPingRequest,
    ComplexPingResponse,
    SimplePingRequest,
    StatusResponse,
)
from wua.dcom.stubs.remunknown import (
    RemQueryInterfaceRequest,
    RemQueryInterfaceResponse,
    RemReleaseRequest,
)
from wua.dcom.stubs.scm import RemoteCreateInstanceResponse
from wua.errors import AccessDenied, HostUnreachable, ProtocolError, WuaError, error_for
from wua.reference.coclasses import coclass
from wua.reference.hresults import E_ACCESSDENIED
from wua.rpc.channel import Endpoint, RpcChannel, RpcFault

LCID_EN_US = 0x409
RPC_C_AUTHN_LEVEL_PKT_INTEGRITY = 5
HRESULT_ERROR_TIMEOUT = 0x800705B4  # HRESULT_FROM_WIN32(ERROR_TIMEOUT)
S_FALSE = 1
ENUM_BATCH = 64
RELEASE_BATCH = 256
DEFAULT_POOL_SIZE = 6
_UAC_HINT = (
    "the account must be an administrator of the host; a local administrator other than "
    "the built-in one is also refused while UAC remote restrictions apply "
    "(LocalAccountTokenFilterPolicy=0)"
)


@dataclass(frozen=True)
class ObjectRef:
    """An interface pointer the session holds: where to call it and what to release."""

    ipid: uuid.UUID
    oid: int
    iid: uuid.UUID
    public_refs: int


@dataclass
class SessionOptions:
    """Knobs of one session; no timeout is hard-coded: `None` waits as long as it takes."""

    connect_timeout: float | None = 10.0
    call_timeout: float | None = 900.0
    ping_period: float = DEFAULT_PING_PERIOD
    pool_size: int = DEFAULT_POOL_SIZE
    auth_level: int = 6  # RPC_C_AUTHN_LEVEL_PKT_PRIVACY, announced in the activation blob


@dataclass
class CallCounter:
    """Calls sent by kind: what the benchmark reports per update."""

    by_kind: Counter[str] = field(default_factory=Counter)
    by_member: Counter[str] = field(default_factory=Counter)  # Invoke by "IFoo::Member"

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


class AsyncSession:
    """One host: use `await wua.aio.connect(...)` rather than building it directly."""

    def __init__(
        self, address: HostAddress, security: SecurityMaker, options: SessionOptions
    ) -> None:
        self.address = address
        self.host = address.host
        self.options = options
        self._security = security
        self._resolver: RpcChannel | None = None
        self._pool: ExporterPool | None = None
        self._pinger = Pinger(self._complex_ping, self._simple_ping, period=options.ping_period)
        self._ping_task: asyncio.Task[None] | None = None
        self._held = HeldReferences()
        self._releases: ReleaseQueue | None = None
        self._in_flight = 0  # calls on the exporter connections (releases wait for 0)
        self._rem_unknown = uuid.UUID(int=0)
        self.calls = CallCounter()
        self._closed = False

    # --- opening ----------------------------------------------------------------------

    async def open(self) -> None:
        options = self.options
        resolver = Endpoint(self.host, self.address.port)
        self._releases = ReleaseQueue(
            asyncio.get_running_loop(),
            self._release_counts,
            busy=lambda: self._in_flight > 0,
            batch=RELEASE_BATCH,
        )
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
        """Activate a remotely creatable coclass (RemoteCreateInstance on TCP 135)."""
        info = coclass(progid)
        clsid = uuid.UUID(info.clsid)
        request = create_instance_request(
            clsid,
            [oaut.IID_IDISPATCH],
            cid=uuid.uuid4(),
            server_name=self.host,
            authn_level=self.options.auth_level,
        )
        resolver = self._resolver
        if resolver is None:
            raise HostUnreachable("the session is closed", host=self.host, stage=STAGE_RESOLVER)
        try:
            raw = await resolver.call(
                0,
                IREMOTESCMACTIVATOR.opnum("RemoteCreateInstance"),
                request.encode(),
                timeout=self.options.connect_timeout,
            )
        except RpcFault as fault:
            raise auth_error(fault, self.host) from fault
        self.calls.by_kind["activation"] += 1
        reply = RemoteCreateInstanceResponse.decode(raw)
        if reply.hresult != 0:
            raise self._activation_error(reply.hresult, info.progid)
        result = read_activation(reply.ppActProperties)
        item = result.interfaces[0]
        if item.hresult != 0 or not isinstance(item.objref, ObjRefStandard):
            raise error_for(
                item.hresult or E_ACCESSDENIED,
                f"{info.progid}: no IDispatch",
                host=self.host,
                stage=STAGE_ACTIVATION,
            )
        if first:
            self._rem_unknown = result.ipid_rem_unknown
            port = next((b.port for b in result.bindings.string_bindings if b.port), None)
            if port is None:
                raise ProtocolError(
                    "the activation reply names no exporter port", structure="ScmReplyInfoData"
                )
            # the address the user gave + the port from the string binding
            self._pool = ExporterPool(
                Endpoint(self.host, port),
                self._security,
                size=self.options.pool_size,
                timeout=self.options.connect_timeout,
            )
            await self._pool.start()
        return self.adopt(item.objref.std, item.objref.iid, info.default_interface)

    def _activation_error(self, hresult: int, progid: str) -> WuaError:
        if hresult == E_ACCESSDENIED and self.options.auth_level < RPC_C_AUTHN_LEVEL_PKT_INTEGRITY:
            # Hardened hosts answer a low level with the same E_ACCESSDENIED as a
            # non-administrator; the level is known here, so name the likelier cause first.
            return AccessDenied(
                f"activation of {progid} refused: this session asked for authentication "
                f"level {self.options.auth_level}, below PKT_INTEGRITY, which DCOM hardening "
                f"(KB5004442) refuses; use auth level privacy (--auth-level privacy). "
                f"If the level is not the cause: {_UAC_HINT}",
                host=self.host,
                stage=STAGE_ACTIVATION,
            )
        if hresult == E_ACCESSDENIED:
            return AccessDenied(
                f"activation of {progid} refused: {_UAC_HINT}",
                host=self.host,
                stage=STAGE_ACTIVATION,
            )
        return error_for(
            hresult, f"activation of {progid} failed", host=self.host, stage=STAGE_ACTIVATION
        )

    # --- the object table -------------------------------------------------------------

    def adopt(self, std: StdObjRef, iid: uuid.UUID, interface: str | None) -> RemoteObject:
        """Take ownership of the references an OBJREF carries and type the object."""
        ref = self._hold(ObjectRef(std.ipid, std.oid, iid, std.public_refs))
        self._pinger.add(std.oid)
        return object_class(interface)(self, ref)

    def _hold(self, ref: ObjectRef) -> ObjectRef:
        """Count `ref`'s references as ours, and give them back when it is collected."""
        self._held.hold(ref.ipid, ref.oid, ref.public_refs)
        if self._releases is not None and ref.public_refs:
            self._releases.watch(ref)
        return ref

    @property
    def held_references(self) -> int:
        """Public references this session holds on the host (what close gives back)."""
        return self._held.total

    def make(self, pointer: oaut.InterfacePointer, interface: str | None) -> RemoteObject:
        objref = decode_objref(pointer.objref)
        if not isinstance(objref, ObjRefStandard):
            raise ProtocolError("expected an OBJREF_STANDARD", structure="OBJREF", offset=4)
        return self.adopt(objref.std, objref.iid, interface)

    # --- calls ------------------------------------------------------------------------

    async def _orpc(
        self,
        iid: uuid.UUID,
        ipid: uuid.UUID,
        opnum: int,
        stub: bytes,
        kind: str,
        what: str | None = None,
    ) -> bytes:
        if self._pool is None or self._closed:
            raise HostUnreachable("the session is closed", host=self.host, stage="call")
        self.calls.by_kind[kind] += 1
        self._in_flight += 1
        try:
            async with self._pool.lease() as channel:
                return await channel.call(
                    CONTEXT_OF[iid],
                    opnum,
                    stub,
                    object_uuid=ipid,
                    timeout=self.options.call_timeout,
                )
        except HostUnreachable as exc:
            if not isinstance(exc.__cause__, TimeoutError):
                raise
            # The exporter answered the bind and took the call: it is busy, not unreachable
            # (a Search can take many minutes), so the fix is time, not a firewall rule.
            raise WuaError(
                f"{what or kind} did not finish within the call timeout "
                f"({self.options.call_timeout} s); the host may still be working on it: "
                "allow more time (--call-timeout, or call_timeout= in Python)",
                hresult=HRESULT_ERROR_TIMEOUT,
                host=self.host,
                stage="call",
            ) from exc
        finally:
            self._in_flight -= 1
            if not self._in_flight and self._releases is not None:
                self._releases.idle()

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
            await self._orpc(oaut.IID_IDISPATCH, ref.ipid, 6, stub, "Invoke", what),
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
                await self._orpc(oaut.IID_IENUMVARIANT, ref.ipid, 3, stub, "Next"),
            )
            if answer.hresult not in (0, S_FALSE):
                raise error_for(answer.hresult, "IEnumVARIANT::Next", host=self.host, stage="call")
            batch = list(answer.rgVar or [])[: answer.pCeltFetched]
            items.extend(batch)
            if answer.hresult == S_FALSE or len(batch) < ENUM_BATCH:
                return items

    async def query_interface(self, ref: ObjectRef, iid: uuid.UUID) -> ObjectRef:
        request = RemQueryInterfaceRequest(OrpcThis(cid=uuid.uuid4()), ref.ipid, 1, [iid])
        raw = await self._orpc(
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
        return self._hold(ObjectRef(std.ipid, std.oid, iid, std.public_refs))

    async def release(self, refs: list[ObjectRef] | None = None) -> None:
        """RemRelease the given references (all the session holds when None)."""
        releases = self._releases
        if refs is None:
            if releases is not None:
                releases.close()
            await self._send_releases(self._held.take_all())
            return
        # a ref no longer watched was released already: giving its count back again
        # would take references another wrapper of the same IPID still holds
        mine = [r for r in refs if releases is None or releases.forget(r)]
        await self._release_counts([(r.ipid, r.public_refs) for r in mine])

    async def _release_counts(self, counts: Counts) -> None:
        """Give back up to the given references of each IPID (never more than held)."""
        await self._send_releases(self._held.take(counts))

    async def _send_releases(self, giveback: Giveback) -> None:
        """RemRelease calls of up to RELEASE_BATCH IPIDs; objects given back leave the
        ping set."""
        for oid in giveback.unpinged_oids:
            self._pinger.remove(oid)
        chosen = list(giveback.refs)
        for start in range(0, len(chosen), RELEASE_BATCH):
            batch = chosen[start : start + RELEASE_BATCH]
            request = RemReleaseRequest(OrpcThis(cid=uuid.uuid4()), batch)
            await self._orpc(
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
        if self._releases is not None:
            await self._releases.drain(send_pending=True)

    @property
    def releases(self) -> ReleaseQueue | None:
        """Releases of garbage-collected objects (batches sent, last error)."""
        return self._releases

    # --- pings (on TCP 135, IObjectExporter) ------------------------------------------

    async def _complex_ping(self, update: PingUpdate) -> int:
        request = ComplexPingRequest(
            update.set_id, update.sequence, list(update.add) or None, list(update.remove) or None
        )
        raw = await self._exporter_call(IOBJECTEXPORTER.opnum("ComplexPing"), request.encode())
        answer = ComplexPingResponse.decode(raw)
        if answer.status != 0:
            raise error_for(answer.status, "ComplexPing", host=self.host, stage="call")
        return answer.pSetId

    async def _simple_ping(self, set_id: int) -> None:
        raw = await self._exporter_call(
            IOBJECTEXPORTER.opnum("SimplePing"), SimplePingRequest(set_id).encode()
        )
        StatusResponse.decode(raw)

    async def _exporter_call(self, opnum: int, stub: bytes) -> bytes:
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
        return resolver + (self._pool.bytes_sent if self._pool is not None else 0)

    async def close(self) -> None:
        """Release every reference, stop pinging, close the connections."""
        if self._ping_task is not None:
            self._ping_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ping_task
            self._ping_task = None
        if self._releases is not None:
            await self._releases.drain()  # its send errors are kept, not raised
        if self._pool is not None and not self._closed:
            # a host that is gone cannot take releases; its exporter collects our objects
            # after three ping periods anyway, so closing goes on
            with contextlib.suppress(WuaError, OSError):
                await self.release()
        self._closed = True
        if self._releases is not None:
            self._releases.close()
        if self._pool is not None:
            await self._pool.close()
        if self._resolver is not None:
            await self._resolver.close()

    async def __aenter__(self) -> AsyncSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
