"""CPU time of one client-side sealed IDispatch::Invoke round: ours against impacket's.

A round is what a client pays for one WUA member call, minus the network:

- encode ORPCTHIS + the IDispatch::Invoke [in] parameters (DISPPARAMS holding one BSTR,
  as for IUpdateSearcher::Search) and make the request PDU, sealed at PKT_PRIVACY
  (ours: `wua.client.orpc.request_stub` + `ClientConnection.request`; impacket:
  `DCOMCALL` + `DCERPC_RawCall` + `SEC_TRAILER` + `ntlm.SEAL`, as its `DCERPC_v5`
  sends);
- take the sealed response PDU (ORPCTHAT + VT_DISPATCH VARIANT holding a 174-byte
  OBJREF_STANDARD from a Windows capture + EXCEPINFO + pArgErr + rgVarRef + HRESULT):
  unseal, verify the signature, reassemble, decode the stub and the OBJREF
  (ours: `ClientConnection.receive_data` / `next_event` + `read_reply` +
  `decode_objref`; impacket: `MSRPCRespHeader` + `SEC_TRAILER` + RC4 + `ntlm.SIGN`
  compared with the verifier + a `DCOMANSWER` + `OBJREF_STANDARD`). impacket's own
  `recv` never checks a signature; here it does, with its own functions, so that both
  sides do the same work.

The keys come from one real NTLM handshake between our client context and our acceptor,
run through our client and server connection machines. impacket derives the same
session key on its own, from the AUTHENTICATE message and the password (NTOWFv2, the
NTProofStr, RC4 of EncryptedRandomSessionKey), then its SIGNKEY/SEALKEY. Responses are
sealed beforehand, in order, by our server side; both clients start at the same
keystream position, so they unseal the very same bytes and only client work is timed.
Before timing, the setup checks that the work is real: our server accepts our request,
a server session built from impacket's session key accepts impacket's request, and both
clients verify and decode the same response to the same IPID.

Figure: CPU time per round (`time.process_time`), best of the batches. The OBJREF, the
answer and impacket's [out] table are `_common`'s, shared with `ndr_micro`.

Run: .venv/bin/python benchmarks/codec.py [--batches 7] [--rounds 300]
"""

from __future__ import annotations

import argparse
import hmac
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from _common import OBJECT_RESPONSE, best_per_call_us
from _common import ImpInvokeResponse as ImpInvokeOuts
from Cryptodome.Cipher import ARC4
from impacket import ntlm
from impacket.dcerpc.v5 import rpcrt
from impacket.dcerpc.v5.dcom import oaut as io
from impacket.dcerpc.v5.dcomrt import DCOMANSWER, DCOMCALL, OBJREF_STANDARD, ORPCTHIS
from impacket.dcerpc.v5.dtypes import NULL

from wua.client.orpc import read_reply, request_stub
from wua.dcom import oaut
from wua.dcom.objref import ObjRefStandard, decode_objref
from wua.dcom.orpc import ORPCTHAT, OrpcThat
from wua.rpc import ndr
from wua.rpc.connection.client import ClientConnection
from wua.rpc.connection.events import CallRequest, CallResponse
from wua.rpc.connection.server import ServerConfig, ServerConnection
from wua.rpc.fragments import CallSecurity, fragment_call
from wua.rpc.negotiation import windows_offer
from wua.rpc.pdu import Auth3, Response, decode_pdu
from wua.rpc.presentation import SyntaxId
from wua.rpc.security.accounts import LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType, SecurityContext
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_acceptor import NtlmAcceptor
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_messages import AuthenticateMessage
from wua.rpc.security.ntlm_session import NtlmSession
from wua.rpc.security.rpc_protection import RpcProtection
from wua.rpc.security.spnego_client import ntlm_client

USER, DOMAIN, PASSWORD = "Administrator", "WUAHOST", "Wu@-bench!"
IPID = uuid.UUID("0000d404-0d10-ffff-5a1f-5cd7a9c83a61")
CRITERIA = "IsInstalled=0 and Type='Software' and IsHidden=0"
DISPID_SEARCH = 0x60020006
INVOKE_OPNUM = 6


def reply_stub() -> bytes:
    """ORPCTHAT + IDispatch::Invoke [out]: what a host answers for a member returning an object."""
    that = ndr.Params("ORPCTHAT", [("that", ndr.Ref(ORPCTHAT))])
    return ndr.encode(that, that(that=OrpcThat())) + ndr.encode(
        oaut.INVOKE_RESPONSE, OBJECT_RESPONSE
    )


# --- our client --------------------------------------------------------------------------


def our_request(connection: ClientConnection) -> bytes:
    request = oaut.INVOKE_REQUEST(
        dispIdMember=DISPID_SEARCH,
        riid=oaut.IID_NULL,
        lcid=0x409,
        dwFlags=oaut.DISPATCH_METHOD | oaut.DISPATCH_PROPERTYGET,
        pDispParams=oaut.dispparams([oaut.Variant(oaut.VarType.VT_BSTR, CRITERIA)]),
        cVarRef=0,
        rgVarRefIdx=[],
        rgVarRef=[],
    )
    stub = request_stub(oaut.INVOKE_REQUEST, request, uuid.uuid4())
    return connection.request(0, INVOKE_OPNUM, stub, IPID)


def our_response(connection: ClientConnection, wire: bytes) -> uuid.UUID:
    connection.receive_data(wire)
    event = connection.next_event()
    if not isinstance(event, CallResponse):
        raise RuntimeError(f"expected a response, got {event!r}")
    answer = read_reply(oaut.INVOKE_RESPONSE, event.stub)
    objref = decode_objref(answer.pVarResult.value.objref)
    if answer.hresult != 0 or not isinstance(objref, ObjRefStandard):
        raise RuntimeError("the answer is not a successful VT_DISPATCH")
    return objref.std.ipid


# --- impacket's client -------------------------------------------------------------------


def impacket_session_key(message: AuthenticateMessage) -> bytes:
    """The exported session key, by impacket's functions, from the AUTHENTICATE and the
    password: NTOWFv2, then HMAC over the NTProofStr (NTLMv2's KXKEY is that base key),
    then RC4 of EncryptedRandomSessionKey when KEY_EXCH was negotiated."""
    response_key = ntlm.NTOWFv2(message.user, PASSWORD, message.domain)
    key = ntlm.hmac_md5(response_key, message.nt_response[:16])
    if message.flags & ntlm.NTLMSSP_NEGOTIATE_KEY_EXCH:
        key = ARC4.new(key).decrypt(message.encrypted_session_key)
    return bytes(key)


class ImpInvoke(DCOMCALL):  # type: ignore[misc]
    opnum = INVOKE_OPNUM
    structure = io.IDispatch_Invoke.structure


class ImpInvokeResponse(DCOMANSWER):  # type: ignore[misc]
    """ORPCTHAT + the full [out] list, as `_common` declares it."""

    structure = ImpInvokeOuts.structure


@dataclass
class ImpacketSide:
    """What impacket's DCERPC_v5 holds for one NTLM auth context after its bind."""

    flags: int
    client_sign: bytes
    server_sign: bytes
    client_seal: Callable[[bytes], bytes]
    server_seal: Callable[[bytes], bytes]
    send_seq: int = 0
    recv_seq: int = 0
    call_id: int = 1

    @classmethod
    def from_keys(cls, flags: int, session_key: bytes) -> ImpacketSide:
        return cls(
            flags,
            ntlm.SIGNKEY(flags, session_key),
            ntlm.SIGNKEY(flags, session_key, "Server"),
            ARC4.new(ntlm.SEALKEY(flags, session_key)).encrypt,
            ARC4.new(ntlm.SEALKEY(flags, session_key, "Server")).encrypt,
        )

    def request(self) -> bytes:
        call = ImpInvoke()
        this = ORPCTHIS()
        this["version"]["MajorVersion"], this["version"]["MinorVersion"] = 5, 7
        this["flags"] = this["reserved1"] = 0
        this["cid"] = uuid.uuid4().bytes_le
        this["extensions"] = NULL
        call["ORPCthis"] = this
        call["dispIdMember"] = DISPID_SEARCH
        call["riid"] = io.IID_NULL
        call["lcid"] = 0x409
        call["dwFlags"] = 3
        params = call["pDispParams"]
        arg = io.VARIANT(None, False)
        arg["clSize"], arg["rpcReserved"], arg["vt"] = 5, 0, oaut.VarType.VT_BSTR
        arg["wReserved1"] = arg["wReserved2"] = arg["wReserved3"] = 0
        arg["_varUnion"]["tag"] = oaut.VarType.VT_BSTR
        arg["_varUnion"]["bstrVal"]["asData"] = CRITERIA
        params["rgvarg"].append(arg)
        params["rgdispidNamedArgs"] = NULL
        params["cArgs"], params["cNamedArgs"] = 1, 0
        call["cVarRef"] = 0
        call["rgVarRefIdx"] = []
        call["rgVarRef"] = []
        return self._seal(rpcrt.DCERPC_RawCall(INVOKE_OPNUM, call.getData(), IPID.bytes_le))

    def _seal(self, packet: Any) -> bytes:
        """DCERPC_v5.send + _transport_send for one unfragmented call at PKT_PRIVACY."""
        packet["ctx_id"] = 0
        packet["call_id"] = self.call_id
        packet["alloc_hint"] = len(packet["pduData"])
        packet["flags"] |= rpcrt.PFC_FIRST_FRAG | rpcrt.PFC_LAST_FRAG
        trailer = rpcrt.SEC_TRAILER()
        trailer["auth_type"] = rpcrt.RPC_C_AUTHN_WINNT
        trailer["auth_level"] = rpcrt.RPC_C_AUTHN_LEVEL_PKT_PRIVACY
        trailer["auth_pad_len"] = 0
        trailer["auth_ctx_id"] = 79231
        packet["sec_trailer"] = b""
        packet["auth_data"] = b""
        pad = (4 - (len(packet.get_packet()) % 4)) % 4
        if pad:
            packet["pduData"] += b"\xbb" * pad
            trailer["auth_pad_len"] = pad
        packet["sec_trailer"] = trailer.getData()
        packet["auth_data"] = b" " * 16
        sealed, signature = ntlm.SEAL(
            self.flags,
            self.client_sign,
            b"",
            packet.get_packet()[:-16],
            packet["pduData"],
            self.send_seq,
            self.client_seal,
        )
        packet["pduData"] = sealed
        packet["auth_data"] = signature
        self.send_seq += 1
        self.call_id += 1
        return bytes(packet.get_packet())

    def response(self, wire: bytes) -> bytes:
        """DCERPC_v5.recv (plus the signature check it lacks), the answer, the OBJREF."""
        answer = b""
        for fragment in _fragments(wire):
            header = rpcrt.MSRPCRespHeader(fragment)
            start = header.get_header_size()
            auth_len = header["auth_len"] + 8
            auth_data = fragment[-auth_len:]
            trailer = rpcrt.SEC_TRAILER(data=auth_data)
            plain = self.server_seal(fragment[start:-auth_len])
            signed = fragment[:start] + plain + auth_data[:8]
            signature = ntlm.SIGN(
                self.flags, self.server_sign, signed, self.recv_seq, self.server_seal
            )
            self.recv_seq += 1
            if not hmac.compare_digest(signature.getData(), auth_data[8:]):
                raise RuntimeError("impacket: the response signature does not verify")
            if trailer["auth_pad_len"]:
                plain = plain[: -trailer["auth_pad_len"]]
            answer += plain
        result = ImpInvokeResponse(answer)
        if result["ErrorCode"] != 0:
            raise RuntimeError("impacket: the answer is a failure")
        pointer = result["pVarResult"]["_varUnion"]["pdispVal"]
        objref = OBJREF_STANDARD(b"".join(pointer["abData"]))
        return bytes(objref["std"]["ipid"])


def _fragments(wire: bytes) -> Iterator[bytes]:
    at = 0
    while at < len(wire):
        length = int.from_bytes(wire[at + 8 : at + 10], "little")
        yield wire[at : at + length]
        at += length


# --- setup ---------------------------------------------------------------------------------


@dataclass
class Setup:
    client: ClientConnection
    impacket: ImpacketSide
    responses: list[bytes]


def _acceptor(auth_type: AuthType | int, level: AuthLevel | int) -> SecurityContext:
    return NtlmAcceptor(LocalAccounts.from_passwords({USER: PASSWORD}), AuthLevel(level))


def _drain(machine: ClientConnection | ServerConnection) -> list[Any]:
    events = []
    while (event := machine.next_event()) is not None:
        events.append(event)
    return events


def setup(count: int) -> Setup:
    """Handshake once, check both clients against our server, seal `count` responses."""
    iface = SyntaxId(oaut.IID_IDISPATCH)
    server = ServerConnection(ServerConfig(interfaces=(iface,), security_factory=_acceptor))
    client = ClientConnection()
    context = ntlm_client(Credentials(USER, DOMAIN, password=PASSWORD), AuthLevel.PKT_PRIVACY)
    server.receive_data(
        client.bind(windows_offer(iface, ndr64=False, features=None), security=context)
    )
    _drain(server)
    client.receive_data(server.data_to_send())
    _drain(client)
    auth3 = client.data_to_send()
    server.receive_data(auth3)
    _drain(server)
    handshake = decode_pdu(auth3)
    if not isinstance(handshake, Auth3) or handshake.auth is None:
        raise RuntimeError("the handshake did not end with an auth3")
    message = AuthenticateMessage.decode(handshake.auth.auth_value)
    session_key = impacket_session_key(message)
    _check_impacket_request(int(message.flags), session_key)
    impacket = ImpacketSide.from_keys(int(message.flags), session_key)

    # round 0 goes through our server: it must unseal, verify and see the Invoke
    server.receive_data(our_request(client))
    (call,) = _drain(server)
    if not isinstance(call, CallRequest) or call.object_uuid != IPID:
        raise RuntimeError(f"our server did not accept our request: {call!r}")
    stub = reply_stub()
    first = server.respond(call.call_id, stub)
    security = server.security_context(0)
    if security is None:
        raise RuntimeError("no auth context 0 on the server")
    sealing = CallSecurity(security, 0)
    responses = [first] + [
        b"".join(
            fragment_call(
                Response(call_id=call.call_id + i, context_id=0, stub=stub),
                server.max_send_frag,
                sealing,
            )
        )
        for i in range(1, count + 1)
    ]
    ours = our_response(client, responses[0])
    theirs = impacket.response(responses[0])
    if ours.bytes_le != theirs:
        raise RuntimeError("the two clients read different IPIDs")
    return Setup(client, impacket, responses[1:])


def _check_impacket_request(flags: int, session_key: bytes) -> None:
    """A server session made from impacket's session key must accept impacket's request."""
    wire = ImpacketSide.from_keys(flags, session_key).request()
    session = NtlmSession(session_key, NegotiateFlags(flags), is_client=False)
    protection = RpcProtection(session, AuthType.WINNT, AuthLevel.PKT_PRIVACY)
    auth_len = int.from_bytes(wire[10:12], "little")
    start = 24 + 16  # request header + object UUID
    end = len(wire) - auth_len - 8
    plain = protection.unprotect(wire[:-auth_len], start, end, wire[-auth_len:])
    if CRITERIA.encode("utf-16-le") not in plain[start:end]:
        raise RuntimeError("impacket's request does not carry the criteria")


# --- timing --------------------------------------------------------------------------------


def best_round_us(
    round_: Callable[[bytes], object], responses: list[bytes], batches: int, rounds: int
) -> float:
    """Best per-round CPU time over `batches` batches of `rounds` rounds."""

    def batch(index: int) -> None:
        for wire in responses[index * rounds : (index + 1) * rounds]:
            round_(wire)

    return best_per_call_us(batch, batches, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    state = setup(args.batches * args.rounds)

    def ours(wire: bytes) -> object:
        our_request(state.client)
        return our_response(state.client, wire)

    def theirs(wire: bytes) -> object:
        state.impacket.request()
        return state.impacket.response(wire)

    ours_us = best_round_us(ours, state.responses, args.batches, args.rounds)
    theirs_us = best_round_us(theirs, state.responses, args.batches, args.rounds)
    size = len(state.responses[0])
    print(
        f"client-side sealed IDispatch::Invoke round (PKT_PRIVACY, 1 BSTR argument, "
        f"{size}-byte sealed response with an OBJREF), best of {args.batches} x "
        f"{args.rounds} rounds"
    )
    print(f"{'stack':<10}{'µs CPU per round':>18}")
    print(f"{'wua':<10}{ours_us:>18.1f}")
    print(f"{'impacket':<10}{theirs_us:>18.1f}")
    print(f"ratio impacket/wua: {theirs_us / ours_us:.1f}x  (goal: wua <= 250 µs and >= 8x)")


if __name__ == "__main__":
    main()
