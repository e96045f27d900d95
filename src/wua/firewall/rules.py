"""The two Windows Firewall exceptions remote WUA needs, as netsh, PowerShell or GPO steps.

"Using WUA From a Remote Computer" lists exactly two inbound exceptions for Vista /
Server 2008 and later: TCP 135 to svchost.exe hosting RpcSs (DCOM activation reaches the
endpoint mapper there), and the dynamic RPC ports to dllhost.exe (the WUA objects live in
a DLL surrogate, whose exporter port the activation reply names). Everything here turns
those two facts plus the administrator's scope into text: pure functions, no I/O, so the
same rules can be printed, diffed, tested and pasted.

Nothing is ever widened beyond the two exceptions: always `dir=in action=allow
protocol=TCP`, one program per rule, the RpcSs service on the first, one profile
(domain unless asked otherwise), and the remote addresses when the administrator gives
them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Profile(StrEnum):
    """The firewall profile a rule applies in; `any` is all three."""

    DOMAIN = "domain"
    PRIVATE = "private"
    PUBLIC = "public"
    ANY = "any"

    @property
    def powershell(self) -> str:
        return self.value.capitalize()


class RuleFormat(StrEnum):
    NETSH = "netsh"
    POWERSHELL = "powershell"
    GPO = "gpo"


@dataclass(frozen=True)
class FirewallRule:
    """One inbound allow rule: what the SDK's "Exception 1/2" says, plus names to find it by.

    `rule_id` is the PowerShell `-Name` (stable, locale-free); `display_name` is what
    netsh and the snap-in show and what `netsh ... show rule name=` looks up.
    """

    rule_id: str
    display_name: str
    description: str
    local_port: str
    program: str
    service: str | None
    protocol: str = "TCP"


RPC_ENDPOINT_MAPPER = FirewallRule(
    rule_id="WUA-Remote-RPCSS-TCP135-In",
    display_name="WUA remote access - RPC endpoint mapper (TCP 135)",
    description="DCOM activation of Microsoft.Update.Session by remote administrators (RpcSs).",
    local_port="135",
    program=r"%SystemRoot%\system32\svchost.exe",
    service="RpcSs",
)

DLLHOST_DYNAMIC_RPC = FirewallRule(
    rule_id="WUA-Remote-DllHost-RPC-In",
    display_name="WUA remote access - WUA objects in dllhost.exe (dynamic RPC)",
    description="Calls on the WUA objects, which live in the DCOM surrogate dllhost.exe.",
    local_port="RPC",
    program=r"%SystemRoot%\system32\dllhost.exe",
    service=None,
)

WUA_RULES: tuple[FirewallRule, ...] = (RPC_ENDPOINT_MAPPER, DLLHOST_DYNAMIC_RPC)


@dataclass(frozen=True)
class RuleScope:
    """Where the rules apply: the administrators' addresses (empty: any) and one profile."""

    remote_addresses: tuple[IPNetwork, ...] = ()
    profile: Profile = Profile.DOMAIN


def parse_remote_address(text: str) -> IPNetwork:
    """An address or CIDR network, refusing what would make the rule weaker than needed.

    Strict parsing: `10.0.0.5/24` is almost always a typo for a host or for `10.0.0.0/24`,
    so it is an error that says which; a /0 network is allow-all and refused.
    """
    value = text.strip()
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        hint = ""
        if "/" in value:
            try:
                loose = ipaddress.ip_network(value, strict=False)
            except ValueError:
                loose = None
            if loose is not None:
                host = value.split("/", 1)[0]
                hint = f" (did you mean the host {host} or the network {loose}?)"
        raise ValueError(
            f"{text!r} is not an IPv4/IPv6 address or CIDR network: {exc}{hint}"
        ) from None
    if network.prefixlen == 0:
        raise ValueError(
            f"{text!r} matches every address; the rules must be scoped to the "
            "administrators' addresses (or omit --remote-address and scope them later)"
        )
    return network


def _address_text(network: IPNetwork) -> str:
    """A single host is written as a plain address: that is how netsh and the snap-in show it."""
    if network.prefixlen == network.max_prefixlen:
        return str(network.network_address)
    return str(network)


def _addresses(scope: RuleScope) -> str:
    return ",".join(_address_text(n) for n in scope.remote_addresses)


def netsh_command(rule: FirewallRule, scope: RuleScope) -> str:
    parts = [
        "netsh advfirewall firewall add rule",
        f'name="{rule.display_name}"',
        "dir=in",
        "action=allow",
        f"protocol={rule.protocol}",
        f"localport={rule.local_port}",
        f'program="{rule.program}"',
    ]
    if rule.service:
        parts.append(f"service={rule.service}")
    parts.append(f"profile={scope.profile.value}")
    if scope.remote_addresses:
        parts.append(f"remoteip={_addresses(scope)}")
    parts.append(f'description="{rule.description}"')
    parts.append("enable=yes")
    return " ".join(parts)


def powershell_command(rule: FirewallRule, scope: RuleScope) -> str:
    parts = [
        "New-NetFirewallRule",
        f"-Name '{rule.rule_id}'",
        f"-DisplayName '{rule.display_name}'",
        f"-Description '{rule.description}'",
        "-Direction Inbound",
        "-Action Allow",
        f"-Protocol {rule.protocol}",
        f"-LocalPort {rule.local_port}",
        f"-Program '{rule.program}'",
    ]
    if rule.service:
        parts.append(f"-Service {rule.service}")
    parts.append(f"-Profile {scope.profile.powershell}")
    if scope.remote_addresses:
        quoted = ",".join(f"'{_address_text(n)}'" for n in scope.remote_addresses)
        parts.append(f"-RemoteAddress {quoted}")
    parts.append("-Enabled True")
    return " ".join(parts)


def _scope_note(scope: RuleScope) -> str:
    if scope.remote_addresses:
        return f"from {_addresses(scope)} only, in the {scope.profile.value} profile"
    return (
        f"from ANY remote address in the {scope.profile.value} profile; "
        "give --remote-address to limit them to the administrators' machines"
    )


def netsh_script(scope: RuleScope) -> str:
    """A cmd/batch script: `REM` comments, the two rules, then how to check them."""
    lines = [
        "REM Windows Firewall exceptions for remote WUA (run elevated on the target host)",
        f"REM Allows connections {_scope_note(scope)}.",
    ]
    lines += [netsh_command(rule, scope) for rule in WUA_RULES]
    lines.append("REM Verify:")
    lines += [
        f'netsh advfirewall firewall show rule name="{rule.display_name}" verbose'
        for rule in WUA_RULES
    ]
    lines.append(
        "REM From the administrator's machine (PowerShell): Test-NetConnection "
        "-ComputerName <host> -Port 135"
    )
    return "\n".join(lines) + "\n"


def powershell_script(scope: RuleScope) -> str:
    """A PowerShell script: `#` comments, the two rules, then how to check them."""
    lines = [
        "# Windows Firewall exceptions for remote WUA (run elevated on the target host)",
        f"# Allows connections {_scope_note(scope)}.",
    ]
    lines += [powershell_command(rule, scope) for rule in WUA_RULES]
    lines.append("# Verify:")
    for rule in WUA_RULES:
        for filter_cmdlet in (
            "Get-NetFirewallPortFilter",
            "Get-NetFirewallAddressFilter",
            "Get-NetFirewallApplicationFilter",
            "Get-NetFirewallServiceFilter",
        ):
            lines.append(f"Get-NetFirewallRule -Name '{rule.rule_id}' | {filter_cmdlet}")
    lines.append("# From the administrator's machine:")
    lines.append("Test-NetConnection -ComputerName <host> -Port 135")
    return "\n".join(lines) + "\n"


GPO_PATH = (
    "Computer Configuration > Policies > Windows Settings > Security Settings > "
    "Windows Defender Firewall with Advanced Security > "
    "Windows Defender Firewall with Advanced Security - LDAP://... > Inbound Rules"
)


def _gpo_rule_steps(number: int, rule: FirewallRule, scope: RuleScope) -> list[str]:
    port_step = (
        "Protocol type: TCP; Local port: Specific Ports, 135"
        if rule.local_port != "RPC"
        else "Protocol type: TCP; Local port: RPC Dynamic Ports"
    )
    steps = [
        f"Rule {number}: {rule.display_name}",
        "  1. Right-click Inbound Rules > New Rule... > Custom > Next.",
        f"  2. Program: This program path: {rule.program}",
    ]
    if rule.service:
        steps.append(
            f"     Services > Customize... > Apply to this service: "
            f"Remote Procedure Call (RPC) (short name {rule.service}) > OK. Next."
        )
    else:
        steps.append("     Services: leave 'Apply to all programs and services'. Next.")
    steps.append(f"  3. {port_step}; Remote port: All Ports. Next.")
    if scope.remote_addresses:
        steps.append(
            "  4. Scope: local addresses: Any IP address; remote addresses: These IP "
            f"addresses: {', '.join(_address_text(n) for n in scope.remote_addresses)}. Next."
        )
    else:
        steps.append(
            "  4. Scope: Any IP address (add the administrators' addresses here to "
            "narrow it). Next."
        )
    profile = (
        "Domain, Private and Public"
        if scope.profile is Profile.ANY
        else scope.profile.value.capitalize() + " only"
    )
    steps += [
        "  5. Action: Allow the connection. Next.",
        f"  6. Profile: {profile}. Next.",
        f"  7. Name: {rule.display_name}. Finish.",
    ]
    return steps


def gpo_steps(scope: RuleScope) -> str:
    """Group Policy Management Editor steps, then `gpupdate` and the same checks."""
    lines = [
        "Group Policy: Windows Firewall exceptions for remote WUA",
        f"Allows connections {_scope_note(scope)}.",
        "Edit the GPO linked to the target hosts' OU (Group Policy Management Editor):",
        f"  {GPO_PATH}",
        "",
    ]
    for number, rule in enumerate(WUA_RULES, start=1):
        lines += _gpo_rule_steps(number, rule, scope)
        lines.append("")
    lines += [
        "Apply and verify on a target host (elevated):",
        "  gpupdate /target:computer",
        *(
            f"  Get-NetFirewallRule -PolicyStore RSOP -DisplayName '{rule.display_name}'"
            " | Get-NetFirewallPortFilter"
            for rule in WUA_RULES
        ),
        "From the administrator's machine:",
        "  Test-NetConnection -ComputerName <host> -Port 135",
    ]
    return "\n".join(lines) + "\n"


_RENDERERS = {
    RuleFormat.NETSH: netsh_script,
    RuleFormat.POWERSHELL: powershell_script,
    RuleFormat.GPO: gpo_steps,
}


def render_rules(rule_format: RuleFormat, scope: RuleScope) -> str:
    return _RENDERERS[rule_format](scope)
