"""`wua firewall rules` as JSON, for configuration tools that build the rules themselves.

Ansible, DSC or a GPO script want the two rules' fields, not netsh text to parse; the
fields are those of `wua.firewall.rules`, so JSON cannot drift from the printed commands.
Remote addresses are always CIDR (a host is /32 or /128): unambiguous for a program.
"""

from __future__ import annotations

import json
from typing import Any

from wua.firewall.rules import WUA_RULES, FirewallRule, RuleScope

FIREWALL_RULES_SCHEMA = "wua.firewall-rules/1"


def _verify(rule: FirewallRule) -> list[str]:
    """Commands that show the rule as the target host has it, elevated on that host."""
    return [
        f'netsh advfirewall firewall show rule name="{rule.display_name}" verbose',
        f"Get-NetFirewallRule -Name '{rule.rule_id}' | Get-NetFirewallPortFilter",
        f"Get-NetFirewallRule -Name '{rule.rule_id}' | Get-NetFirewallApplicationFilter",
    ]


def rule_document(rule: FirewallRule, scope: RuleScope) -> dict[str, Any]:
    return {
        "id": rule.rule_id,
        "name": rule.display_name,
        "description": rule.description,
        "direction": "in",
        "action": "allow",
        "protocol": rule.protocol,
        "local_port": rule.local_port,
        "program": rule.program,
        "service": rule.service,
        "remote_addresses": [str(n) for n in scope.remote_addresses],
        "profile": scope.profile.value,
        "verify": _verify(rule),
    }


def rules_json(scope: RuleScope) -> str:
    """One JSON object on one line (`wua.firewall-rules/1`), newline-terminated."""
    document = {
        "schema": FIREWALL_RULES_SCHEMA,
        "rules": [rule_document(rule, scope) for rule in WUA_RULES],
        "verify_from_admin": "Test-NetConnection -ComputerName <host> -Port 135",
    }
    return json.dumps(document) + "\n"
