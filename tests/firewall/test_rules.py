"""The firewall rule text, element by element, for every format, with and without scope."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.firewall.rules import (
    DLLHOST_DYNAMIC_RPC,
    RPC_ENDPOINT_MAPPER,
    WUA_RULES,
    Profile,
    RuleFormat,
    RuleScope,
    gpo_steps,
    netsh_command,
    parse_remote_address,
    powershell_command,
    render_rules,
)

ADMIN = RuleScope((ipaddress.ip_network("10.0.5.20/32"),), Profile.DOMAIN)
OPEN = RuleScope((), Profile.DOMAIN)

# (rule, scope, the exact command)
NETSH_VECTORS = [
    (
        RPC_ENDPOINT_MAPPER,
        ADMIN,
        'netsh advfirewall firewall add rule name="WUA remote access - RPC endpoint mapper '
        '(TCP 135)" dir=in action=allow protocol=TCP localport=135 '
        'program="%SystemRoot%\\system32\\svchost.exe" service=RpcSs profile=domain '
        'remoteip=10.0.5.20 description="DCOM activation of Microsoft.Update.Session by '
        'remote administrators (RpcSs)." enable=yes',
    ),
    (
        DLLHOST_DYNAMIC_RPC,
        OPEN,
        'netsh advfirewall firewall add rule name="WUA remote access - WUA objects in '
        'dllhost.exe (dynamic RPC)" dir=in action=allow protocol=TCP localport=RPC '
        'program="%SystemRoot%\\system32\\dllhost.exe" profile=domain description="Calls on '
        'the WUA objects, which live in the DCOM surrogate dllhost.exe." enable=yes',
    ),
]

POWERSHELL_VECTORS = [
    (
        RPC_ENDPOINT_MAPPER,
        ADMIN,
        "New-NetFirewallRule -Name 'WUA-Remote-RPCSS-TCP135-In' -DisplayName 'WUA remote "
        "access - RPC endpoint mapper (TCP 135)' -Description 'DCOM activation of "
        "Microsoft.Update.Session by remote administrators (RpcSs).' -Direction Inbound "
        "-Action Allow -Protocol TCP -LocalPort 135 -Program "
        "'%SystemRoot%\\system32\\svchost.exe' -Service RpcSs -Profile Domain "
        "-RemoteAddress '10.0.5.20' -Enabled True",
    ),
    (
        DLLHOST_DYNAMIC_RPC,
        RuleScope((ipaddress.ip_network("10.0.5.0/24"),), Profile.ANY),
        "New-NetFirewallRule -Name 'WUA-Remote-DllHost-RPC-In' -DisplayName 'WUA remote "
        "access - WUA objects in dllhost.exe (dynamic RPC)' -Description 'Calls on the WUA "
        "objects, which live in the DCOM surrogate dllhost.exe.' -Direction Inbound "
        "-Action Allow -Protocol TCP -LocalPort RPC -Program "
        "'%SystemRoot%\\system32\\dllhost.exe' -Profile Any -RemoteAddress '10.0.5.0/24' "
        "-Enabled True",
    ),
]


@pytest.mark.parametrize(("rule", "scope", "expected"), NETSH_VECTORS)
def test_netsh_command(rule: object, scope: RuleScope, expected: str) -> None:
    assert netsh_command(rule, scope) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("rule", "scope", "expected"), POWERSHELL_VECTORS)
def test_powershell_command(rule: object, scope: RuleScope, expected: str) -> None:
    assert powershell_command(rule, scope) == expected  # type: ignore[arg-type]


def test_exactly_the_two_sdk_exceptions() -> None:
    assert [(r.local_port, r.program, r.service) for r in WUA_RULES] == [
        ("135", r"%SystemRoot%\system32\svchost.exe", "RpcSs"),
        ("RPC", r"%SystemRoot%\system32\dllhost.exe", None),
    ]
    assert {r.protocol for r in WUA_RULES} == {"TCP"}


@pytest.mark.parametrize("fmt", list(RuleFormat))
@pytest.mark.parametrize("scope", [ADMIN, OPEN])
def test_scripts_never_widen(fmt: RuleFormat, scope: RuleScope) -> None:
    text = render_rules(fmt, scope).lower()
    for weaker in (
        "action=block",
        "dir=out",
        "protocol=any",
        "localport=any",
        "remoteip=any",
        "-direction outbound",
        "profile=any",
        "-profile any",
    ):
        assert weaker not in text


@pytest.mark.parametrize(
    ("fmt", "verify"),
    [
        (
            RuleFormat.NETSH,
            'netsh advfirewall firewall show rule name="WUA remote access - '
            'RPC endpoint mapper (TCP 135)" verbose',
        ),
        (
            RuleFormat.POWERSHELL,
            "Get-NetFirewallRule -Name 'WUA-Remote-DllHost-RPC-In' | Get-NetFirewallPortFilter",
        ),
        (RuleFormat.GPO, "gpupdate /target:computer"),
    ],
)
def test_scripts_say_how_to_verify(fmt: RuleFormat, verify: str) -> None:
    text = render_rules(fmt, ADMIN)
    assert verify in text
    assert "Test-NetConnection -ComputerName <host> -Port 135" in text


def test_unscoped_scripts_warn_about_any_address() -> None:
    for fmt in RuleFormat:
        assert "ANY remote address" in render_rules(fmt, OPEN)
        assert "ANY remote address" not in render_rules(fmt, ADMIN)


def test_gpo_steps_walk_the_wizard() -> None:
    text = gpo_steps(RuleScope((ipaddress.ip_network("10.0.5.0/24"),), Profile.PRIVATE))
    assert (
        "Computer Configuration > Policies > Windows Settings > Security Settings > "
        "Windows Defender Firewall with Advanced Security" in text
    )
    assert "Inbound Rules" in text
    assert "Local port: Specific Ports, 135" in text
    assert "Local port: RPC Dynamic Ports" in text
    assert "short name RpcSs" in text
    assert "These IP addresses: 10.0.5.0/24" in text
    assert text.count("Profile: Private only") == 2
    assert text.count("Allow the connection") == 2


ADDRESS_VECTORS = [
    ("10.0.5.20", "10.0.5.20/32"),
    ("10.0.5.0/24", "10.0.5.0/24"),
    (" 192.168.1.7 ", "192.168.1.7/32"),
    ("fd00::1", "fd00::1/128"),
    ("2001:db8::/32", "2001:db8::/32"),
]


@pytest.mark.parametrize(("text", "network"), ADDRESS_VECTORS)
def test_parse_remote_address(text: str, network: str) -> None:
    assert parse_remote_address(text) == ipaddress.ip_network(network)


BAD_ADDRESSES = [
    ("10.0.5.300", "not an IPv4/IPv6 address"),
    ("10.0.5.20/24", "did you mean the host 10.0.5.20 or the network 10.0.5.0/24"),
    ("0.0.0.0/0", "matches every address"),
    ("::/0", "matches every address"),
    ("srv01.corp", "not an IPv4/IPv6 address"),
    ("10.0.0.0/33", "not an IPv4/IPv6 address"),
    ("", "not an IPv4/IPv6 address"),
]


@pytest.mark.parametrize(("text", "message"), BAD_ADDRESSES)
def test_bad_remote_addresses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_remote_address(text)


@given(st.ip_addresses(v=4), st.integers(min_value=1, max_value=32))
def test_any_scoped_network_appears_verbatim_in_both_commands(
    address: ipaddress.IPv4Address, prefix: int
) -> None:
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    scope = RuleScope((network,), Profile.DOMAIN)
    shown = str(network.network_address) if prefix == 32 else str(network)
    assert parse_remote_address(shown) == network
    for rule in WUA_RULES:
        assert f" remoteip={shown} " in netsh_command(rule, scope)
        assert f" -RemoteAddress '{shown}' " in powershell_command(rule, scope)
