"""What every call on one emulated host shares: its state, exported objects and names.

One `HostRuntime` per host (no process-wide state): the WUA model's `HostState`, the
object table of its single object exporter (one OXID, like the one dllhost.exe that
holds a Windows host's WUA objects), the IPID of its IRemUnknown, and the bindings it
announces. The clock is the event loop's monotonic time, passed in.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from wua.dcom.bindings import DualStringArray, SecurityBinding, StringBinding
from wua.dcom.interfaces import IID_ITYPEINFO
from wua.dcom.oaut.values import InterfacePointer
from wua.emulator.server.config import HostConfig
from wua.emulator.server.marshal import Marshaler
from wua.emulator.server.objects import ObjectTable
from wua.emulator.server.typeinfo_calls import AnyTypeInfo
from wua.emulator.wua import HostState
from wua.emulator.wua.searcher import UpdateSearcherObject
from wua.reference.interfaces import Member
from wua.rpc.security.base import AuthType


@dataclass(frozen=True)
class ClassFactory:
    """The IClassFactory RemoteGetClassObject hands out for one coclass."""

    clsid: str


# What Windows lists as its security bindings: NTLM and Negotiate, no principal name.
SECURITY_BINDINGS = (
    SecurityBinding(int(AuthType.WINNT)),
    SecurityBinding(int(AuthType.GSS_NEGOTIATE)),
)


@dataclass
class HostRuntime:
    config: HostConfig
    state: HostState
    clock: Callable[[], float]
    oxid: int = field(default_factory=lambda: secrets.randbits(64) or 1)
    ipid_rem_unknown: uuid.UUID = field(default_factory=uuid.uuid4)
    exporter_port: int = 0
    calls: int = 0

    def __post_init__(self) -> None:
        self.table = ObjectTable(self.config.ping_period)
        self.marshaler = Marshaler(self.table, self.oxid, self.resolver_bindings())
        self._type_infos: dict[AnyTypeInfo, AnyTypeInfo] = {}

    def export_type_info(self, info: AnyTypeInfo) -> InterfacePointer | None:
        """An ITypeInfo pointer to `info`; one object per type for the host's lifetime,
        as a type library hands out the same ITypeInfo however often it is asked."""
        canonical = self._type_infos.setdefault(info, info)
        return self.marshaler.interface_pointer(canonical, self.now(), IID_ITYPEINFO)

    def resolver_bindings(self) -> DualStringArray:
        """Where the OXID resolver listens (no port: TCP 135), as in an OBJREF's saResAddr
        and ServerAlive2's answer."""
        return DualStringArray(
            (StringBinding.tcp(self.config.computer_name), StringBinding.tcp(self.config.address)),
            SECURITY_BINDINGS,
        )

    def exporter_bindings(self, address: str) -> DualStringArray:
        """The exporter's bindings for a client that reached us at `address`: the computer
        name first, as Windows lists it, then that address, both with the dynamic port."""
        port = self.exporter_port
        return DualStringArray(
            (StringBinding.tcp(self.config.computer_name, port), StringBinding.tcp(address, port)),
            SECURITY_BINDINGS,
        )

    def now(self) -> float:
        return self.clock()

    async def hold(self, obj: object, member: Member) -> None:
        """Wait as long as this member takes beyond the per-call latency (which the
        exporter applies to every call): an online Search's duration."""
        behaviour = self.state.behaviour
        online = not isinstance(obj, UpdateSearcherObject) or obj.settings.online
        seconds = behaviour.seconds_for(member.interface, member.name, online=online)
        seconds -= behaviour.call_latency_seconds
        if seconds > 0:
            await asyncio.sleep(seconds)
