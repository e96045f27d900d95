"""Connection options for several hosts, asking for each account's password once.

An administrator who types `wua scan srv1 srv2 srv3 srv4 srv5 -u CORP\\admin` means one
account, not five: hosts are resolved without prompting first, then the hosts still
without a secret are grouped by account and each account is asked for once. The
`--password` warning is likewise given once, however many hosts use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from wua.cli.config import Config
from wua.cli.connect_options import ConnectOptions
from wua.cli.connection import CredentialArgs, Prompt, Warn, resolve_connect_options
from wua.cli.credentials import CredentialError
from wua.cli.secret import Secret

AccountKey = tuple[str, str]


def _once(warn: Warn) -> Warn:
    """`warn`, but each distinct message only the first time."""
    seen: set[str] = set()

    def warn_once(message: str) -> None:
        if message not in seen:
            seen.add(message)
            warn(message)

    return warn_once


def _needs_password(options: ConnectOptions) -> bool:
    return (
        options.secret is None
        and options.nt_hash is None
        and not options.kerberos
        and options.username is not None
    )


def _key(options: ConnectOptions) -> AccountKey:
    """Windows compares account and domain names without regard to case."""
    return ((options.domain or "").casefold(), (options.username or "").casefold())


def _who(options: ConnectOptions) -> str:
    if options.domain:
        return f"{options.domain}\\{options.username}"
    return options.username or ""


def resolve_for_hosts(
    hosts: Sequence[str],
    args: CredentialArgs,
    config: Config,
    environ: Mapping[str, str],
    *,
    prompt: Prompt,
    warn: Warn,
) -> list[ConnectOptions]:
    """Options for each host in order; at most one prompt per distinct account."""
    warn_once = _once(warn)
    resolved = [
        resolve_connect_options(host, args, config, environ, prompt=None, warn=warn_once).options
        for host in hosts
    ]
    groups: dict[AccountKey, list[int]] = {}
    for index, options in enumerate(resolved):
        if _needs_password(options):
            groups.setdefault(_key(options), []).append(index)
    for indices in groups.values():
        first = resolved[indices[0]]
        names = ", ".join(dict.fromkeys(resolved[i].host for i in indices))
        value = prompt(f"Password for {_who(first)} on {names}")
        if not value:
            raise CredentialError("no password given at the prompt")
        secret = Secret(value, source="prompt")
        for index in indices:
            resolved[index] = dataclasses.replace(resolved[index], secret=secret)
    return resolved
