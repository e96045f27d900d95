"""`GssMessages` over the two GSS libraries we use: pyspnego (client) and python-gssapi
(the emulator's acceptor, which needs a keytab of its own, something pyspnego's server
side offers only on Windows).

Both need MIT Kerberos and python-gssapi (`pip install 'wua[kerberos]'`); they are
imported only when a Kerberos context is made.
"""

from __future__ import annotations

from typing import Any

from wua.errors import AuthenticationFailed
from wua.reference.hresults import SEC_E_MESSAGE_ALTERED


def _altered(what: str, exc: Exception) -> AuthenticationFailed:
    return AuthenticationFailed(
        f"the peer's Kerberos {what} does not verify ({type(exc).__name__}: {exc})",
        hresult=SEC_E_MESSAGE_ALTERED,
    )


def _sign_only(part: bytes) -> Any:
    """A SIGN_ONLY buffer, or an EMPTY one where nothing is signed (as Samba does)."""
    from spnego.iov import BufferType

    return (BufferType.sign_only, part) if part else (BufferType.empty, b"")


class PyspnegoMessages:
    """A completed pyspnego client context (Kerberos, raw or inside Negotiate)."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def wrap_size(self) -> int:
        return int(self._context.query_message_sizes().header)

    def wrap(self, before: bytes, data: bytes, after: bytes) -> tuple[bytes, bytes]:
        from spnego.iov import BufferType

        result = self._context.wrap_iov(
            [
                (BufferType.header, True),
                _sign_only(before),
                (BufferType.data, data),
                _sign_only(after),
            ],
            encrypt=True,
        )
        return bytes(result.buffers[2].data or b""), bytes(result.buffers[0].data or b"")

    def unwrap(self, before: bytes, data: bytes, after: bytes, header: bytes) -> bytes:
        from spnego.exceptions import SpnegoError
        from spnego.iov import BufferType

        try:
            result = self._context.unwrap_iov(
                [
                    (BufferType.header, header),
                    _sign_only(before),
                    (BufferType.data, data),
                    _sign_only(after),
                ]
            )
        except SpnegoError as exc:
            raise _altered("seal", exc) from exc
        return bytes(result.buffers[2].data or b"")

    def mic(self, message: bytes) -> bytes:
        return bytes(self._context.sign(message))

    def verify_mic(self, message: bytes, token: bytes) -> None:
        from spnego.exceptions import SpnegoError

        try:
            self._context.verify(message, token)
        except SpnegoError as exc:
            raise _altered("signature", exc) from exc


class GssapiMessages:
    """A completed python-gssapi security context (the emulator's acceptor)."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def wrap_size(self) -> int:
        from gssapi import raw

        iov = raw.IOV(
            (raw.IOVBufferType.header, True, None),
            (raw.IOVBufferType.data, False, b""),
            std_layout=False,
        )
        raw.wrap_iov_length(self._context, iov, confidential=True)
        return len(iov[0].value or b"")

    def wrap(self, before: bytes, data: bytes, after: bytes) -> tuple[bytes, bytes]:
        from gssapi import raw

        iov = self._iov((True, None), before, data, after)
        raw.wrap_iov(self._context, iov, confidential=True)
        return bytes(iov[2].value or b""), bytes(iov[0].value or b"")

    def unwrap(self, before: bytes, data: bytes, after: bytes, header: bytes) -> bytes:
        from gssapi import raw
        from gssapi.raw.misc import GSSError

        iov = self._iov((False, header), before, data, after)
        try:
            result = raw.unwrap_iov(self._context, iov)
        except GSSError as exc:
            raise _altered("seal", exc) from exc
        if not result.encrypted:
            raise AuthenticationFailed(
                "a PKT_PRIVACY PDU arrived signed but not sealed", hresult=SEC_E_MESSAGE_ALTERED
            )
        return bytes(iov[2].value or b"")

    def mic(self, message: bytes) -> bytes:
        return bytes(self._context.get_signature(message))

    def verify_mic(self, message: bytes, token: bytes) -> None:
        from gssapi.raw.misc import GSSError

        try:
            self._context.verify_signature(message, token)
        except GSSError as exc:
            raise _altered("signature", exc) from exc

    @staticmethod
    def _iov(header: tuple[bool, bytes | None], before: bytes, data: bytes, after: bytes) -> Any:
        from gssapi import raw

        kind = raw.IOVBufferType
        return raw.IOV(
            (kind.header, *header),
            (kind.sign_only if before else kind.empty, False, before),
            (kind.data, False, data),
            (kind.sign_only if after else kind.empty, False, after),
            std_layout=False,
        )
