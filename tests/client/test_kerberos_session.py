"""The client with Kerberos against emulated domain-member hosts, a real MIT KDC issuing
the tickets: password and ticket cache, both auth levels, authorization after
authentication, and the errors a Kerberos user meets (no SPN, workgroup host, wrong
password, no ticket)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

import wua
from tests.client.hosts import ADMIN
from tests.support.kdc import REALM, Realm
from wua.emulator.catalog import default_catalog
from wua.emulator.server import EmulatedFleet, FleetThread, HostConfig, addresses_from
from wua.errors import AccessDenied, AuthenticationFailed
from wua.reference.hresults import SEC_E_LOGON_DENIED, SEC_E_NO_CREDENTIALS, SEC_E_TARGET_UNKNOWN
from wua.rpc.security import KerberosCredentials, KerberosLogin
from wua.rpc.security.base import AuthType

MEMBER = "127.0.62.1"  # has host/127.0.62.1 in its keytab
WORKGROUP = "127.0.62.2"  # the KDC knows host/127.0.62.2, the host has no keytab
NO_SPN = "127.0.62.4"  # the realm has no host/127.0.62.4 principal at all
RAW_ONLY = "127.0.62.3"  # accepts raw Kerberos (auth type 16) but not Negotiate


@pytest.fixture(scope="module")
def hosts(kerberos_realm: Realm) -> Iterator[FleetThread]:
    catalog = default_catalog()
    kerberos_realm.host_keytab(WORKGROUP)  # a ticket can be had, but the host has no key
    configs = [
        HostConfig(MEMBER, catalog, resolver_port=0, keytab=kerberos_realm.host_keytab(MEMBER)),
        HostConfig(WORKGROUP, catalog, resolver_port=0),
        HostConfig(NO_SPN, catalog, resolver_port=0),
        HostConfig(
            RAW_ONLY,
            catalog,
            resolver_port=0,
            keytab=kerberos_realm.host_keytab(RAW_ONLY),
            auth_types=frozenset({AuthType.GSS_KERBEROS}),
        ),
    ]
    with FleetThread(configs) as running:
        yield running


def target(hosts: FleetThread, address: str) -> str:
    host = next(h for h in hosts.hosts if h.config.address == address)
    return f"{address}:{host.resolver_port}"


def pending_titles(host: wua.SyncSession) -> list[str]:
    searcher = host.update_session.create_update_searcher()
    return sorted(update.title for update in searcher.search("IsInstalled=0").updates)


@pytest.mark.parametrize("level", ["privacy", "integrity"])
def test_password_kerberos_reads_the_same_as_ntlm(hosts: FleetThread, level: str) -> None:
    with wua.connect(target(hosts, MEMBER), *ADMIN) as ntlm:
        expected = pending_titles(ntlm)
    with wua.connect(
        target(hosts, MEMBER), *ADMIN, domain=REALM, kerberos=True, auth_level=level
    ) as host:
        assert pending_titles(host) == expected and expected
        assert host.agent_info().get_info("ProductVersionString")
        assert host.session.calls.total > 10  # many calls, several pooled connections


def test_ticket_cache_no_password(
    hosts: FleetThread, kerberos_realm: Realm, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache: Path = kerberos_realm.ccache(*ADMIN)
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{cache}")
    with wua.connect(target(hosts, MEMBER), kerberos=True) as host:
        assert pending_titles(host)


def test_kerberos_user_without_admin_rights_is_denied_at_the_call(
    hosts: FleetThread,
) -> None:
    """The KDC vouches for auditor; the host's rules still refuse a non-administrator."""
    with (
        pytest.raises(AccessDenied),
        wua.connect(
            target(hosts, MEMBER), "auditor", "Read0nly!", domain=REALM, kerberos=True
        ) as host,
    ):
        pending_titles(host)


def test_workgroup_host_refuses_kerberos_without_an_ntlm_fallback(hosts: FleetThread) -> None:
    """The session's contexts offer Kerberos alone (their tickets come from the session's
    cache), so a host without a key for host/ADDRESS has nothing to choose: bind_nak."""
    with (
        pytest.raises(AuthenticationFailed, match=r"rejected the bind .* auth type 9") as caught,
        wua.connect(target(hosts, WORKGROUP), *ADMIN, domain=REALM, kerberos=True) as host,
    ):
        pending_titles(host)
    assert caught.value.host == WORKGROUP


def test_unknown_service_principal_is_named(hosts: FleetThread) -> None:
    """No host/<address> principal: the error says so before any bind is sent."""
    with (
        pytest.raises(AuthenticationFailed, match=f"service principal host/{NO_SPN}") as caught,
        wua.connect(target(hosts, NO_SPN), *ADMIN, domain=REALM, kerberos=True) as host,
    ):
        pending_titles(host)
    assert "not found in Kerberos database" in str(caught.value)
    assert caught.value.hresult == SEC_E_TARGET_UNKNOWN and "setspn" in (caught.value.fix or "")


def test_wrong_password_is_said_plainly(hosts: FleetThread) -> None:
    with (
        pytest.raises(AuthenticationFailed, match="password is wrong") as caught,
        wua.connect(
            target(hosts, MEMBER), "Administrator", "nope", domain=REALM, kerberos=True
        ) as host,
    ):
        pending_titles(host)
    assert caught.value.hresult == SEC_E_LOGON_DENIED


def test_no_ticket_and_no_password(hosts: FleetThread) -> None:
    with (
        pytest.raises(AuthenticationFailed, match="no ticket") as caught,
        wua.connect(target(hosts, MEMBER), kerberos=True) as host,
    ):
        pending_titles(host)
    assert caught.value.hresult == SEC_E_NO_CREDENTIALS and "kinit" in (caught.value.fix or "")


def test_host_refusing_negotiate_names_the_auth_type(hosts: FleetThread) -> None:
    """A host that offers only raw Kerberos (16) answers the Negotiate bind with bind_nak."""
    with pytest.raises(AuthenticationFailed) as caught:
        wua.connect(target(hosts, RAW_ONLY), *ADMIN, domain=REALM, kerberos=True)
    assert caught.value.stage == "authentication" and "auth type 9" in str(caught.value)


def test_a_session_asks_the_kdc_once(hosts: FleetThread, kerberos_realm: Realm) -> None:
    """One AS and one TGS exchange for the whole session (resolver connection and the
    exporter pool alike), whatever the number of connections."""
    log = kerberos_realm.folder / "kdc.log"
    before = len(log.read_text())
    with wua.connect(
        target(hosts, MEMBER), *ADMIN, domain=REALM, kerberos=True, pool_size=4
    ) as host:
        assert pending_titles(host)
    requests = log.read_text()[before:]
    assert (requests.count("AS_REQ"), requests.count("TGS_REQ")) == (1, 1)


@pytest.mark.slow
async def test_many_kerberos_sessions_concurrently(kerberos_realm: Realm) -> None:
    """Each session fetches its tickets in a worker thread into a cache of its own, at
    the same time as the others: every host answers its own session, with the right
    principal, and no session's cache outlives it."""
    addresses = addresses_from("127.0.66.1", 24)
    configs = [
        HostConfig(a, default_catalog(), resolver_port=0, keytab=kerberos_realm.host_keytab(a))
        for a in addresses
    ]
    log = kerberos_realm.folder / "kdc.log"
    before = len(log.read_text())
    async with EmulatedFleet(configs) as fleet:

        async def scan(index: int) -> tuple[str, int, int]:
            host = fleet.hosts[index]
            async with wua.aio.connect(
                f"{host.config.address}:{host.resolver_port}",
                *ADMIN,
                domain=REALM,
                kerberos=True,
                pool_size=2,
            ) as session:
                searcher = await session.update_session.create_update_searcher()
                updates = await (await searcher.search("IsInstalled=0")).updates
                return session.host, len(updates), host.runtime.calls

        results = await asyncio.gather(*(scan(i) for i in range(len(addresses))))
    assert [r[0] for r in results] == addresses
    assert all(r[1] > 0 and r[2] > 0 for r in results)
    requests = log.read_text()[before:]
    assert requests.count("AS_REQ") == requests.count("TGS_REQ") == len(addresses)


def test_sessions_share_a_login(hosts: FleetThread, kerberos_realm: Realm) -> None:
    """Two sessions, one KerberosLogin: one AS exchange; closing the sessions keeps it,
    closing the login destroys its cache."""
    log = kerberos_realm.folder / "kdc.log"
    before = len(log.read_text())
    login = KerberosLogin(KerberosCredentials(ADMIN[0], REALM, ADMIN[1]))
    for _ in range(2):
        with wua.connect(target(hosts, MEMBER), kerberos=True, kerberos_login=login) as host:
            assert pending_titles(host)
    assert login.credentials is not None and login.credentials.ccache is not None
    assert log.read_text()[before:].count("AS_REQ") == 1
    login.close()
    assert login.credentials is None
