"""Firewall: the rules remote WUA needs on the target (and, later, reachability diagnosis)."""

from wua.firewall.rules import (
    WUA_RULES,
    FirewallRule,
    Profile,
    RuleFormat,
    RuleScope,
    parse_remote_address,
    render_rules,
)

__all__ = [
    "WUA_RULES",
    "FirewallRule",
    "Profile",
    "RuleFormat",
    "RuleScope",
    "parse_remote_address",
    "render_rules",
]
