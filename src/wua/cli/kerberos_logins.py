"""One Kerberos login per account for a whole run of `wua` over many hosts.

With `--kerberos` and a password, every host's session would otherwise make its own AS
exchange: a thousand hosts, a thousand logins of one account from one client in a
burst, which is what password-spraying detectors watch for, and with a wrong password a
thousand failures towards a lockout. The run logs on once per account (lazily, in the
first session that needs it) and destroys the TGT when it ends.
"""

from __future__ import annotations

from wua.cli.connect_options import ConnectOptions
from wua.client.connect import credentials_of
from wua.rpc.security.credentials import KerberosCredentials
from wua.rpc.security.kerberos_tickets import KerberosLogin


class KerberosLogins:
    """The run's logins, by the credentials they are for."""

    def __init__(self) -> None:
        self._logins: dict[KerberosCredentials, KerberosLogin] = {}

    def for_options(self, options: ConnectOptions) -> KerberosLogin | None:
        """The shared login for this host's account; None without Kerberos or a password
        (the ticket cache needs no login)."""
        if not options.kerberos or options.secret is None:
            return None
        credentials = credentials_of(
            options.username or "",
            password=options.secret,
            domain=options.domain or "",
            kerberos=True,
        )
        if not isinstance(credentials, KerberosCredentials) or credentials.principal is None:
            return None
        if credentials not in self._logins:
            self._logins[credentials] = KerberosLogin(credentials)
        return self._logins[credentials]

    def __enter__(self) -> KerberosLogins:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for login in self._logins.values():
            login.close()
        self._logins.clear()
