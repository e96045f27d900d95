"""A `WuaError` split into the parts a person and a script each need.

`str(WuaError)` is built for a traceback: it carries `[host stage]` and a `Fix:` line.
The CLI already knows the host and prints the stage itself, so it takes the plain
sentence, the stage and the fix apart here once, and every command prints
`error: HOST (stage): message` with an indented `fix:` line, and writes the same parts
as separate JSON fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.cli.connect_options import BUILTIN_DEFAULTS
from wua.client.transport import stage_title
from wua.errors import AccessDenied, WuaError

WINDOWS_RPC_PORT = BUILTIN_DEFAULTS.port
AUTH_LEVEL_FIX = (
    "run again with --auth-level privacy (the default) or integrity, and remove a lower "
    "auth_level from the config file or WUA_AUTH_LEVEL; hardened Windows (KB5004442) "
    "refuses DCOM activation below packet integrity"
)


@dataclass(frozen=True)
class ErrorText:
    """What went wrong, where, and the way out; `message` never holds the host or the fix.

    `stage` is the stable id JSON carries; `stage_title`, when given, is what a person
    reads for it (the endpoint mapper stage names the port actually asked)."""

    stage: str | None
    message: str
    hresult: int | None = None
    symbol: str | None = None
    fix: str | None = None
    stage_title: str | None = None

    @property
    def hresult_text(self) -> str | None:
        return None if self.hresult is None else f"0x{self.hresult:08X}"

    @property
    def where(self) -> str | None:
        """The stage for people: its title, or the id when it has none."""
        return self.stage_title or self.stage


def _fix(error: WuaError, port: int | None) -> str | None:
    """The HRESULT table's fix, unless the client says the cause is the auth level
    (`AccessDenied.cause`): then the UAC advice for E_ACCESSDENIED would send the
    administrator the wrong way. The table's firewall advice names Windows' port 135;
    with `--port` the rule to open is for the port actually used."""
    if isinstance(error, AccessDenied) and error.cause == "auth_level":
        return AUTH_LEVEL_FIX
    fix = error.fix
    if fix and port is not None and port != WINDOWS_RPC_PORT:
        fix = fix.replace(f"TCP {WINDOWS_RPC_PORT} ", f"TCP {port} ")
    return fix


def describe(error: WuaError, stage: str | None = None, *, port: int | None = None) -> ErrorText:
    """The parts of `error`; `stage` is used when the error names none, `port` is the
    endpoint mapper port the host was asked on (Windows' 135 when not known)."""
    where = error.stage or stage
    return ErrorText(
        stage=where,
        message=error.detail or error.meaning,
        hresult=error.hresult,
        symbol=error.symbol,
        fix=_fix(error, port),
        stage_title=None if where is None else stage_title(where, port or WINDOWS_RPC_PORT),
    )


def human_text(text: ErrorText, host: str | None = None) -> str:
    """`error: HOST (stage): message (SYMBOL, 0x...)` and `  fix: ...`, without a final newline."""
    where = " ".join(p for p in (host, f"({text.where})" if text.where else None) if p)
    code = ""
    if text.symbol and text.hresult_text:
        code = f" ({text.symbol}, {text.hresult_text})"
    line = f"error: {where}: {text.message}{code}" if where else f"error: {text.message}{code}"
    if text.fix:
        line += f"\n  fix: {text.fix}"
    return line


def error_document(text: ErrorText) -> dict[str, object]:
    """One entry of a JSON `errors` array; `fix` only when there is one (optional field)."""
    document: dict[str, object] = {
        "stage": text.stage,
        "message": text.message,
        "hresult": text.hresult_text,
        "symbol": text.symbol,
    }
    if text.fix:
        document["fix"] = text.fix
    return document
