"""Emulated hosts for the CLI tests and a way to call `wua` on them."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from click.testing import Result
from referencing import Registry, Resource

from tests.cli.conftest import Run
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "json-schema"
ADMIN = ("Administrator", "Passw0rd!")
NON_ADMIN = ("auditor", "Read0nly!")
UAC_FILTERED = ("wuadmin", "Adm1n!2026")


@cache
def _registry() -> Registry:
    """Every published schema under its $id, so `scan-v1.json#/$defs/error` resolves."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text("utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text("utf-8"))
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(), format_checker=jsonschema.FormatChecker()
    )


def json_lines(text: str, schema: str) -> list[dict[str, Any]]:
    """Each line parsed and validated against `schema` (a file in docs/json-schema)."""
    documents = [json.loads(line) for line in text.splitlines() if line.strip()]
    for document in documents:
        validator(schema).validate(document)
    return documents


@contextmanager
def emulated(*configs: HostConfig) -> Iterator[FleetThread]:
    with FleetThread(configs) as fleet:
        yield fleet


def host_config(address: str, **options: Any) -> HostConfig:
    options.setdefault("resolver_port", 0)
    return HostConfig(address, default_catalog(), **options)


def shared_port() -> int:
    """A port free now, for several hosts (distinct addresses) that must share one, since
    a command's --port applies to every HOST it is given."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def port_of(fleet: FleetThread, address: str) -> int:
    port = fleet.fleet.host(address).resolver_port
    assert port is not None
    return port


def wua(
    run: Run, command: str, address: str, port: int | None, account: tuple[str, str], *extra: str
) -> Result:
    """`wua COMMAND ADDRESS -u USER [--port PORT] ...` with the password in WUA_PASSWORD."""
    args = [command, address, "-u", account[0], "--connect-timeout", "2", *extra]
    if port is not None:
        args += ["--port", str(port)]
    return run(*args, env={"WUA_PASSWORD": account[1]})
