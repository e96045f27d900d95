"""Connection options on the command line, and their resolution into `ConnectOptions`.

Precedence, per setting: command line > environment > the host's config section >
matching pattern sections (file order) > [defaults] > built-in defaults. The password
comes from, in order: --password (with a warning), --password-file, WUA_PASSWORD, the
config's password_file, then an interactive prompt without echo. `sources` records where
each setting came from so `wua config show` can explain the result.
"""

from __future__ import annotations

import functools
import getpass
import logging
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from wua.cli.config import Config
from wua.cli.connect_options import BUILTIN_DEFAULTS, AuthLevel, ConnectOptions
from wua.cli.credentials import (
    Account,
    CredentialError,
    parse_account,
    read_password_file,
    validate_nt_hash,
)
from wua.cli.secret import Secret

log = logging.getLogger(__name__)

USER_ENV = "WUA_USER"
PASSWORD_ENV = "WUA_PASSWORD"
AUTH_LEVEL_ENV = "WUA_AUTH_LEVEL"

PASSWORD_ON_COMMAND_LINE = (
    "--password puts the password in the process list (ps, /proc) and in shell history; "
    "use the prompt, WUA_PASSWORD or --password-file instead"
)


@dataclass(frozen=True)
class CredentialArgs:
    """The connection options exactly as given on the command line (None: not given).

    The password is wrapped the moment it leaves click, and the raw NT hash text is kept
    out of the repr, so logging these arguments cannot leak either.
    """

    user: str | None = None
    password: Secret | None = None
    password_file: str | None = None
    nt_hash: str | None = field(default=None, repr=False)
    kerberos: bool | None = None
    auth_level: str | None = None
    port: int | None = None
    connect_timeout: float | None = None
    call_timeout: float | None = None


@dataclass(frozen=True)
class Resolved:
    options: ConnectOptions
    sources: Mapping[str, str] = field(default_factory=dict)


Prompt = Callable[[str], str]
Warn = Callable[[str], None]


NO_PASSWORD = (
    "no password for {who}: the prompt got end of input (stdin is not a terminal, as in "
    "cron, CI or `< /dev/null`); set {env}, use --password-file FILE (mode 600), or "
    "password_file in the config file"
)


def terminal_prompt(text: str) -> str:
    """Asks without echo, on stderr, so `--format json > file` output stays clean.

    Without a terminal, getpass reads stdin (a piped password still works); at end of
    input click would end with a bare "Aborted!" and exit 1, so a scheduled job gets a
    usage error naming the non-interactive sources instead. Python's GetPassWarning (a
    source line of getpass.py) is noise next to getpass's own one-line warning.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", getpass.GetPassWarning)
            value: str = click.prompt(
                text, hide_input=True, default="", show_default=False, err=True
            )
    except click.exceptions.Abort:
        who = text.removeprefix("Password for ")
        raise CredentialError(NO_PASSWORD.format(who=who, env=PASSWORD_ENV)) from None
    return value


class _Layers:
    """First value found wins: command line, environment, then the config's sections."""

    def __init__(self, host: str, config: Config) -> None:
        self.host = host
        self.config = config
        self.sources: dict[str, str] = {}

    def pick(self, name: str, *candidates: tuple[Any, str], default: Any = None) -> Any:
        for value, source in candidates:
            if value is not None:
                self.sources[name] = source
                return value
        found = self.config.lookup(self.host, name)
        if found is not None:
            self.sources[name] = found[1]
            return found[0]
        if default is not None:
            self.sources[name] = "built-in default"
        return default


def _account(layers: _Layers, args: CredentialArgs, environ: Mapping[str, str]) -> Account | None:
    text = layers.pick(
        "username", (args.user, "command line"), (environ.get(USER_ENV) or None, USER_ENV)
    )
    if text is None:
        return None
    account = parse_account(text)
    if account.domain is not None:
        layers.sources["domain"] = layers.sources["username"]
        return account
    domain = layers.pick("domain")
    return Account(account.username, domain)


def _password(
    layers: _Layers,
    args: CredentialArgs,
    environ: Mapping[str, str],
    account: Account | None,
    prompt: Prompt | None,
    warn: Warn,
) -> Secret | None:
    if args.password is not None:
        warn(PASSWORD_ON_COMMAND_LINE)
        # info, not warning: `warn` has told the user; a WARNING record would reach stderr
        # a second time through logging's last-resort handler, raw, even without --debug
        log.info("password taken from the command line (--password)")
        layers.sources["password"] = "command line (--password)"
        return args.password
    if args.password_file is not None:
        layers.sources["password"] = f"--password-file {args.password_file}"
        return read_password_file(Path(args.password_file).expanduser())
    if environ.get(PASSWORD_ENV):
        layers.sources["password"] = PASSWORD_ENV
        return Secret(environ[PASSWORD_ENV], source=PASSWORD_ENV)
    found = layers.config.lookup(layers.host, "password_file")
    if found is not None:
        path = layers.config.resolve_path(found[0])
        layers.sources["password"] = f"password_file {path} ({found[1]})"
        return read_password_file(path, label=f"password_file in {found[1]}")
    if account is None or prompt is None:
        return None
    who = f"{account.domain}\\{account.username}" if account.domain else account.username
    layers.sources["password"] = "prompt"
    value = prompt(f"Password for {who} on {layers.host}")
    if not value:
        raise CredentialError("no password given at the prompt")
    return Secret(value, source="prompt")


def _auth_level(value: str, source: str) -> AuthLevel:
    """Click checks the option and the config loader the file; the environment is checked here."""
    try:
        return AuthLevel(value)
    except ValueError:
        choices = ", ".join(a.value for a in AuthLevel)
        raise CredentialError(f"{source}: auth level {value!r} is not one of {choices}") from None


def resolve_connect_options(
    host: str,
    args: CredentialArgs,
    config: Config,
    environ: Mapping[str, str],
    *,
    prompt: Prompt | None,
    warn: Warn,
) -> Resolved:
    """Everything the client needs for `host`; prompts only when a password is missing.

    `prompt=None` resolves without asking (the password is then None), for commands that
    only report what would be used.
    """
    layers = _Layers(host, config)
    if args.kerberos and args.nt_hash is not None:
        raise CredentialError(
            "--kerberos takes the ticket cache, or a password to get a ticket with: drop --nt-hash"
        )
    if args.nt_hash is not None and (args.password is not None or args.password_file is not None):
        raise CredentialError("give either a password or --nt-hash, not both")
    account = _account(layers, args, environ)
    kerberos = bool(layers.pick("kerberos", (args.kerberos, "command line"), default=False))
    nt_hash = validate_nt_hash(args.nt_hash) if args.nt_hash is not None else None
    if nt_hash is not None:
        layers.sources["nt_hash"] = "command line"
    secret = None
    if kerberos:
        # a password given some way gets a ticket for the run; none: the ticket cache
        # (never a prompt, which would defeat `kinit`)
        secret = _password(layers, args, environ, account, None, warn)
    elif nt_hash is None:
        secret = _password(layers, args, environ, account, prompt, warn)
    auth_level = _auth_level(
        layers.pick(
            "auth_level",
            (args.auth_level, "command line"),
            (environ.get(AUTH_LEVEL_ENV) or None, AUTH_LEVEL_ENV),
            default=BUILTIN_DEFAULTS.auth_level,
        ),
        layers.sources.get("auth_level", ""),
    )
    options = ConnectOptions(
        host=host,
        port=layers.pick("port", (args.port, "command line"), default=BUILTIN_DEFAULTS.port),
        username=account.username if account else None,
        domain=account.domain if account else None,
        secret=secret,
        nt_hash=nt_hash,
        kerberos=kerberos,
        auth_level=auth_level,
        connect_timeout=layers.pick(
            "connect_timeout",
            (args.connect_timeout, "command line"),
            default=BUILTIN_DEFAULTS.connect_timeout,
        ),
        call_timeout=layers.pick(
            "call_timeout",
            (args.call_timeout, "command line"),
            default=BUILTIN_DEFAULTS.call_timeout,
        ),
    )
    log.debug("connection options for %s: %r (sources %r)", host, options, layers.sources)
    return Resolved(options, dict(layers.sources))


F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS: tuple[Callable[[F], F], ...] = (
    click.option(
        "--user",
        "-u",
        metavar="DOMAIN\\USER|USER@DOMAIN",
        help=f"Account on the target (or {USER_ENV}).",
    ),
    click.option(
        "--password",
        metavar="VALUE",
        help="Password on the command line: visible in `ps`; prefer the prompt, "
        f"{PASSWORD_ENV} or --password-file.",
    ),
    click.option(
        "--password-file",
        metavar="FILE",
        help="Read the password from the first line of FILE (must be mode 600).",
    ),
    click.option(
        "--nt-hash", metavar="HEX", help="NT hash (32 hex digits, or LM:NT) instead of a password."
    ),
    click.option(
        "--kerberos",
        "-k",
        is_flag=True,
        default=None,
        help="Use Kerberos: tickets from the cache (kinit, KRB5CCNAME), or asked of the "
        "KDC with the password of WUA_PASSWORD / --password-file if one is given; never "
        "NTLM. Give the host's DNS name (the ticket is for host/NAME).",
    ),
    click.option(
        "--auth-level",
        type=click.Choice([a.value for a in AuthLevel]),
        default=None,
        help=f"RPC authentication level (default privacy; or {AUTH_LEVEL_ENV}).",
    ),
    click.option(
        "--port",
        type=click.IntRange(1, 65535),
        default=None,
        help="Endpoint mapper port (default 135).",
    ),
    click.option(
        "--connect-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        metavar="SECONDS",
        help="Time allowed to connect (default 10).",
    ),
    click.option(
        "--call-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        metavar="SECONDS",
        help="Time allowed per call; a Search can take minutes (default 900).",
    ),
)


def connection_options(func: F) -> F:
    """Adds the connection options; the command receives them as `credentials: CredentialArgs`."""
    names = (
        "user",
        "password",
        "password_file",
        "nt_hash",
        "kerberos",
        "auth_level",
        "port",
        "connect_timeout",
        "call_timeout",
    )

    @functools.wraps(func)
    def wrapper(*a: Any, **kw: Any) -> Any:
        values = {n: kw.pop(n) for n in names}
        if values["password"] is not None:
            values["password"] = Secret(values["password"], source="--password")
        kw["credentials"] = CredentialArgs(**values)
        return func(*a, **kw)

    result: Any = wrapper
    for option in reversed(_OPTIONS):
        result = option(result)
    return result  # type: ignore[no-any-return]
