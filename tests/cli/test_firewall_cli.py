"""`wua firewall rules` through the real command tree."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Run
from wua.cli.exit_codes import ExitCode

# (arguments, fragments every rule line must hold, fragments that must be absent)
CASES = [
    (
        ["--remote-address", "10.0.5.20"],
        [
            "dir=in",
            "action=allow",
            "protocol=TCP",
            "profile=domain",
            "remoteip=10.0.5.20",
            "enable=yes",
        ],
        ["remoteip=any"],
    ),
    (
        [],
        ["dir=in", "action=allow", "protocol=TCP", "profile=domain"],
        ["remoteip="],
    ),
    (
        ["--format", "powershell", "-a", "10.0.5.0/24", "-a", "fd00::7"],
        [
            "-Direction Inbound",
            "-Action Allow",
            "-Protocol TCP",
            "-Profile Domain",
            "-RemoteAddress '10.0.5.0/24','fd00::7'",
        ],
        [],
    ),
    (
        ["--format", "powershell", "--profile", "private"],
        ["-Direction Inbound", "-Action Allow", "-Protocol TCP", "-Profile Private"],
        ["-RemoteAddress"],
    ),
]


@pytest.mark.parametrize(("args", "present", "absent"), CASES)
def test_rule_lines(run: Run, args: list[str], present: list[str], absent: list[str]) -> None:
    result = run("firewall", "rules", *args)
    assert result.exit_code == 0, result.output
    rule_lines = [
        line
        for line in result.stdout.splitlines()
        if line.startswith(("netsh advfirewall firewall add rule", "New-NetFirewallRule"))
    ]
    assert len(rule_lines) == 2
    for line in rule_lines:
        for fragment in present:
            assert f" {fragment}" in line
        for fragment in absent:
            assert fragment not in line
    endpoint_mapper, dynamic = rule_lines
    assert "135" in endpoint_mapper and "svchost.exe" in endpoint_mapper
    assert "RpcSs" in endpoint_mapper
    assert "dllhost.exe" in dynamic and "RPC" in dynamic and "RpcSs" not in dynamic


@pytest.mark.parametrize("address", [None, "10.1.2.3"])
def test_gpo_format(run: Run, address: str | None) -> None:
    args = ["firewall", "rules", "--format", "gpo"] + (["-a", address] if address else [])
    result = run(*args)
    assert result.exit_code == 0
    assert "Windows Defender Firewall with Advanced Security" in result.stdout
    assert "Inbound Rules" in result.stdout
    if address:
        assert f"These IP addresses: {address}" in result.stdout
    else:
        assert "Scope: Any IP address" in result.stdout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10.0.5.300", "is not an IPv4/IPv6 address or CIDR network"),
        ("10.0.5.20/24", "did you mean the host 10.0.5.20 or the network 10.0.5.0/24?"),
        ("0.0.0.0/0", "matches every address"),
    ],
)
def test_bad_address_is_usage_error(run: Run, value: str, message: str) -> None:
    result = run("firewall", "rules", "--remote-address", value)
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--remote-address'" in result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_bad_format_is_usage_error(run: Run) -> None:
    assert run("firewall", "rules", "--format", "iptables").exit_code == ExitCode.USAGE
