"""Credentials the way Windows administrators write them, parsed and checked before use.

Accepted: `DOMAIN\\user`, `user@domain` (UPN) or a bare `user`; a password from the
prompt, WUA_PASSWORD, a password file or (with a warning) the command line; an NT hash
as 32 hex digits (or impacket's `LM:NT` pair); Kerberos from the credential cache.
Every failure is a `CredentialError` whose message never contains a secret.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import click

from wua.cli.secret import Secret

HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
NT_HASH_HEX_LENGTH = 32
LINE_END = re.compile(r"\r\n|\r|\n")


class CredentialError(click.UsageError):
    """A credential that cannot be used as given; exit code 2 like any usage error."""


@dataclass(frozen=True)
class Account:
    username: str
    domain: str | None = None


def parse_account(text: str) -> Account:
    """Splits `DOMAIN\\user` or `user@domain`; a bare name has no domain.

    `.\\user` is Windows' spelling of "this computer's local account": kept as domain ".",
    which NTLM treats as the target's own account database.
    """
    value = text.strip()
    if not value:
        raise CredentialError("the user name is empty")
    if "\\" in value:
        domain, _, user = value.partition("\\")
        if not domain or not user or "\\" in user:
            raise CredentialError(f"{text!r} is not DOMAIN\\user")
        if "@" in user:
            raise CredentialError(f"{text!r} mixes DOMAIN\\user and user@domain; use one form")
        return Account(user, domain)
    if "@" in value:
        user, _, domain = value.rpartition("@")
        if not user or not domain:
            raise CredentialError(f"{text!r} is not user@domain")
        return Account(user, domain)
    return Account(value, None)


def validate_nt_hash(text: str) -> Secret:
    """32 hex digits, or `LM:NT` as impacket and secretsdump print them (the NT half is used).

    The error never repeats the value: a hash is as good as the password.
    """
    value = text.strip()
    if ":" in value:
        lm, _, value = value.partition(":")
        if lm and (len(lm) != NT_HASH_HEX_LENGTH or not set(lm) <= HEX_DIGITS):
            raise CredentialError("--nt-hash: the LM half of LM:NT must be 32 hex digits or empty")
    if len(value) != NT_HASH_HEX_LENGTH or not set(value) <= HEX_DIGITS:
        raise CredentialError(
            f"--nt-hash must be {NT_HASH_HEX_LENGTH} hex digits (the NT hash, 16 bytes); "
            f"got {len(value)} characters"
        )
    return Secret(value.lower(), source="--nt-hash")


def read_password_file(path: Path, *, label: str = "--password-file") -> Secret:
    """The first line of a file readable only by its owner (like ssh with a private key).

    A file other users can read is refused, not just warned about: the warning would be
    lost in a cron log while the password stays exposed. Only the line ending is stripped,
    since passwords may begin or end with spaces.
    """
    # str.splitlines would also split at form feeds and other characters a password may hold
    password = LINE_END.split(read_private_text(path, label=label), maxsplit=1)[0]
    if not password:
        raise CredentialError(f"{label}: the first line of {path} is empty")
    return Secret(password, source=str(path))


def read_private_text(path: Path, *, label: str) -> str:
    """The text of a file readable only by its owner; any other mode is refused, since a
    warning would be lost in a cron log while the secrets in the file stay exposed."""
    try:
        info = path.stat()
    except OSError as exc:
        raise CredentialError(f"{label}: cannot read {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise CredentialError(f"{label}: {path} is not a regular file")
    if os.name == "posix" and info.st_mode & 0o077:
        raise CredentialError(
            f"{label}: {path} can be read or changed by other users "
            f"(mode {stat.filemode(info.st_mode)}); run: chmod 600 {path}"
        )
    try:
        with path.open("r", encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialError(f"{label}: cannot read {path}: {exc}") from None
