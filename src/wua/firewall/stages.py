"""The stages of `wua check`, in the order a remote WUA call meets them.

Each stage is a small coroutine that asks one question and answers ok / failed(reason,
fix) / skipped. What the wire can and cannot tell is said in the answers: NTLM over
DCE/RPC gives a wrong password and an unknown account the same refusal, and
E_ACCESSDENIED from activation is the same for a non-administrator and for a local
administrator filtered by UAC.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from wua.client.computer_name import server_alive
from wua.client.transport import STAGE_ACTIVATION, STAGE_AUTH, STAGE_EXPORTER, STAGE_RESOLVER
from wua.errors import AccessDenied, AuthenticationFailed, HostUnreachable, WuaError
from wua.firewall.diagnose import Blame, Stage, Verdict, failed, ok, skipped
from wua.firewall.probe import Opening, Probe
from wua.firewall.rules import DLLHOST_DYNAMIC_RPC, RPC_ENDPOINT_MAPPER
from wua.rpc.channel import Endpoint
from wua.rpc.security.base import AuthLevel

RULES_HINT = "`wua firewall rules --remote-address YOUR-ADDRESS` prints the rule"
UAC_KEY = (
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System"
    r"\LocalAccountTokenFilterPolicy"
)
# Any UpdateID that no update has: the search is permitted or not, and answers at once.
PROBE_CRITERIA = "UpdateID='00000000-0000-0000-0000-000000000000'"


async def name_resolution(probe: Probe) -> Verdict:
    host = probe.target.host
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        probe.addresses = (host,)
        return ok(f"{host} is an address; nothing to resolve")
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(host, probe.target.port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        return failed(
            f"{host!r} does not resolve: {error.strerror}",
            "check the name (DNS suffix, hosts file) or give the IP address",
            Blame.NETWORK,
        )
    probe.addresses = tuple(dict.fromkeys(str(item[4][0]) for item in found))
    return ok(f"{host} resolves to {', '.join(probe.addresses)}")


async def endpoint_port(probe: Probe) -> Verdict:
    target = probe.target
    fix = (
        f"allow inbound TCP {target.port} to {RPC_ENDPOINT_MAPPER.program} "
        f"(service {RPC_ENDPOINT_MAPPER.service}) from your address; {RULES_HINT}"
    )
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(target.host, target.port), target.connect_timeout
        )
    except TimeoutError:
        return failed(
            f"TCP {target.port} did not answer within {target.connect_timeout} s: "
            "a firewall drops it silently (Windows Firewall's default for "
            f"inbound TCP {target.port}), or the host is down",
            fix,
            Blame.NETWORK,
        )
    except ConnectionRefusedError:
        return failed(
            f"TCP {target.port} refused the connection: nothing listens there "
            "(RpcSs not reachable on this address) or a firewall rejects it",
            fix,
            Blame.NETWORK,
        )
    except OSError as error:
        return failed(
            f"TCP {target.port}: {error.strerror or error}",
            "check routing to the host and that it is up",
            Blame.NETWORK,
        )
    writer.close()
    await writer.wait_closed()
    return ok(f"TCP {target.port} accepts connections")


async def rpcss_answers(probe: Probe) -> Verdict:
    """IObjectExporter::ServerAlive2 needs no account: it proves RPCSS itself answers."""
    target = probe.target
    fix = (
        "RPCSS (the DCOM Server Process Launcher / RPC service) must be running; a "
        "device between you and the host may be terminating RPC"
    )
    try:
        reply = await server_alive(
            Endpoint(target.host, target.port), timeout=target.connect_timeout
        )
    except WuaError as error:
        return failed(
            f"unauthenticated ServerAlive2 got no valid answer: {error.detail or error}",
            fix,
            Blame.NETWORK,
        )
    version = f"{reply.pComVersion.major}.{reply.pComVersion.minor}"
    names: list[str] = []
    if reply.ppdsaOrBindings is not None:
        names = [b.network_address for b in reply.ppdsaOrBindings.string_bindings]
    probe.facts["com_version"] = version
    probe.facts["host_names"] = names
    return ok(f"RPCSS answers ServerAlive2: COM {version}, bindings {', '.join(names) or '-'}")


def _account(probe: Probe) -> str:
    target = probe.target
    if target.username is None:
        return "the ticket cache's principal"
    return f"{target.domain}\\{target.username}" if target.domain else target.username


async def _opened(probe: Probe) -> Opening:
    return await probe.open_at(probe.target.auth_level)


async def authentication(probe: Probe) -> Verdict:
    if probe.target.username is None and not probe.target.kerberos:
        return failed(
            "no account given",
            "give one with -u DOMAIN\\user or user@domain (or WUA_USER, or the config file)",
            Blame.ACCESS,
        )
    error = (await _opened(probe)).error
    failed_logon = isinstance(error, AuthenticationFailed) or (
        error is not None and error.stage == STAGE_AUTH
    )
    if failed_logon and probe.target.kerberos and error is not None:
        return failed(
            f"the Kerberos logon of {_account(probe)} failed: {error.detail}",
            error.fix
            or "kinit (or give the password) as an account of the host's realm, and use "
            "the host's DNS name: the ticket is for host/NAME; `klist` shows your tickets",
            Blame.ACCESS,
        )
    if failed_logon:
        return failed(
            f"the host refused the logon of {_account(probe)}. NTLM gives a wrong password "
            "and an unknown account the same answer (the first call faults with "
            "access denied), so the wire cannot tell which",
            "check the account name (DOMAIN\\user, or HOST\\user for a local account) and "
            "the password or NT hash; a locked-out or disabled account looks the same",
            Blame.ACCESS,
        )
    if isinstance(error, HostUnreachable) and error.stage == STAGE_RESOLVER:
        return failed(
            f"the authenticated connection to TCP {probe.target.port} failed: {error.detail}",
            "retry; see the stages above",
            Blame.NETWORK,
        )
    return ok(f"the host accepted the logon of {_account(probe)}")


def _is_local(probe: Probe) -> bool:
    domain = (probe.target.domain or "").casefold()
    host = probe.target.host.split(".")[0].casefold()
    return domain in ("", ".", host)


async def administrator(probe: Probe) -> Verdict:
    target = probe.target
    error = (await _opened(probe)).error
    if not (isinstance(error, AccessDenied) and error.stage == STAGE_ACTIVATION):
        return ok("activation of Microsoft.Update.Session was accepted")
    if target.auth_level < AuthLevel.PKT_INTEGRITY:
        stronger = await probe.open_at(AuthLevel.PKT_PRIVACY)
        if stronger.error is None:
            return ok("accepted at privacy level (see DCOM hardening)")
    if _is_local(probe):
        return failed(
            f"activation refused (E_ACCESSDENIED) for {_account(probe)}: it is not an "
            "administrator of the host, or it is a local administrator other than the "
            "built-in one, whose network logon UAC remote restrictions filter "
            "(LocalAccountTokenFilterPolicy=0). The refusal is the same for both",
            "use the built-in Administrator or a domain account in the host's "
            f"Administrators group, or set {UAC_KEY} = 1 (DWORD) on the host",
            Blame.ACCESS,
        )
    return failed(
        f"activation refused (E_ACCESSDENIED): {_account(probe)} is not an "
        "administrator of the host",
        f"add {_account(probe)} (or a group it is in) to the host's Administrators",
        Blame.ACCESS,
    )


async def dcom_hardening(probe: Probe) -> Verdict:
    level = probe.target.auth_level
    if level >= AuthLevel.PKT_INTEGRITY:
        return ok(f"{level.name} meets DCOM hardening's minimum (PKT_INTEGRITY, KB5004442)")
    if (await _opened(probe)).error is None:
        return ok(
            f"this host accepts {level.name}, but hardened hosts (KB5004442) refuse "
            "below PKT_INTEGRITY: prefer --auth-level privacy"
        )
    return failed(
        f"activation at {level.name} was refused and at PKT_PRIVACY accepted: "
        "the host enforces DCOM hardening (KB5004442)",
        "use --auth-level privacy (the default) or integrity",
        Blame.ACCESS,
    )


async def exporter_port(probe: Probe) -> Verdict:
    error = (await _opened(probe)).error
    if isinstance(error, HostUnreachable) and error.stage == STAGE_EXPORTER:
        return failed(
            f"the WUA objects' port from the activation reply does not answer: {error.detail}",
            f"allow inbound dynamic RPC to {DLLHOST_DYNAMIC_RPC.program} (the DCOM "
            f"surrogate that holds the WUA objects) from your address; {RULES_HINT}",
            Blame.NETWORK,
        )
    if error is not None:
        return failed(
            f"opening the session failed: {error.detail or error.meaning}",
            error.fix or "see the error",
            Blame.OTHER,
        )
    return ok("the exporter port from the activation reply answers")


async def agent_answers(probe: Probe) -> Verdict:
    session = probe.session
    if session is None:
        return skipped("no session")
    try:
        info = await session.agent_info()
        version = await info.get_info("ProductVersionString")
    except WuaError as error:
        return failed(
            f"IWindowsUpdateAgentInfo::GetInfo failed: {error.detail or error}",
            error.fix or "check that the Windows Update service can start",
        )
    probe.facts["agent_version"] = str(version)
    return ok(f"Windows Update Agent {version}")


async def search_permitted(probe: Probe) -> Verdict:
    session = probe.session
    if session is None:
        return skipped("no session")
    try:
        searcher = await session.update_session.create_update_searcher()
        await searcher.set("online", False)
        await searcher.search(PROBE_CRITERIA)
    except AccessDenied as error:
        return failed(
            f"the host refuses remote searches ({error.symbol}): newer builds (Windows "
            "Server 2025, Windows 11 after KB5065789) deny IUpdateSearcher to remote callers",
            "run the search on the host (a scheduled task or PowerShell remoting) and "
            "collect its result; `wua info` and `wua history` still work remotely",
            Blame.REMOTE_RULE,
        )
    except WuaError as error:
        return failed(
            f"an offline search failed: {error.detail or error}", error.fix or "see the HRESULT"
        )
    return ok("an offline search was permitted")


STAGES: tuple[Stage, ...] = (
    Stage("name-resolution", "name resolution", name_resolution),
    Stage("tcp-135", "TCP {port} reachable", endpoint_port),
    Stage("server-alive", "endpoint mapper / ServerAlive2", rpcss_answers),
    Stage("authentication", "authentication", authentication),
    Stage("administrator", "administrator rights and UAC", administrator),
    Stage("dcom-hardening", "DCOM hardening auth level", dcom_hardening),
    Stage("exporter-port", "exporter port (dllhost.exe)", exporter_port),
    Stage("wua-answers", "WUA answers (GetInfo)", agent_answers),
    Stage("search-permitted", "remote search permitted", search_permitted),
)
