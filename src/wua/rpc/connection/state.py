"""The two transition tables, one per side (modelled on h11's `_state.py`).

A key is (state, direction, what): `what` is the PDU type name, or a name for a decision
that the same PDU can lead to (a fault answering the pending alter_context, a fault that
ends the connection). Anything not in the table is a protocol violation: received, it
raises ProtocolError; sent, it raises LocalProtocolError (the caller misused the machine).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import TypeVar

from wua.errors import ProtocolError


class LocalProtocolError(ProtocolError):
    """Our own side asked for something the protocol does not allow in this state."""


class ClientState(Enum):
    IDLE = "idle"
    AWAIT_BIND_ACK = "await bind_ack"
    AWAIT_ALTER_RESP = "await alter_context_resp"
    BOUND = "bound"
    CLOSED = "closed"


class ServerState(Enum):
    AWAIT_BIND = "await bind"
    BOUND = "bound"
    CLOSED = "closed"


SEND = "send"
RECEIVE = "receive"

C = ClientState
S = ServerState

CLIENT_TRANSITIONS: Mapping[tuple[ClientState, str, str], ClientState] = MappingProxyType(
    {
        (C.IDLE, SEND, "BIND"): C.AWAIT_BIND_ACK,
        (C.AWAIT_BIND_ACK, RECEIVE, "BIND_ACK"): C.BOUND,
        (C.AWAIT_BIND_ACK, RECEIVE, "BIND_NAK"): C.IDLE,
        (C.BOUND, SEND, "ALTER_CONTEXT"): C.AWAIT_ALTER_RESP,
        (C.AWAIT_ALTER_RESP, RECEIVE, "ALTER_CONTEXT_RESP"): C.BOUND,
        (C.AWAIT_ALTER_RESP, RECEIVE, "ALTER_FAULT"): C.BOUND,
        (C.BOUND, SEND, "AUTH3"): C.BOUND,
        (C.BOUND, SEND, "REQUEST"): C.BOUND,
        (C.BOUND, SEND, "CO_CANCEL"): C.BOUND,
        (C.BOUND, SEND, "ORPHANED"): C.BOUND,
        (C.BOUND, RECEIVE, "RESPONSE"): C.BOUND,
        (C.BOUND, RECEIVE, "FAULT"): C.BOUND,
        (C.BOUND, RECEIVE, "SHUTDOWN"): C.BOUND,
        (C.AWAIT_ALTER_RESP, RECEIVE, "RESPONSE"): C.AWAIT_ALTER_RESP,
        (C.AWAIT_ALTER_RESP, RECEIVE, "FAULT"): C.AWAIT_ALTER_RESP,
        (C.AWAIT_ALTER_RESP, RECEIVE, "SHUTDOWN"): C.AWAIT_ALTER_RESP,
    }
)

SERVER_TRANSITIONS: Mapping[tuple[ServerState, str, str], ServerState] = MappingProxyType(
    {
        (S.AWAIT_BIND, RECEIVE, "BIND"): S.BOUND,
        (S.BOUND, SEND, "BIND_NAK"): S.AWAIT_BIND,
        (S.BOUND, RECEIVE, "ALTER_CONTEXT"): S.BOUND,
        (S.BOUND, RECEIVE, "AUTH3"): S.BOUND,
        (S.BOUND, RECEIVE, "REQUEST"): S.BOUND,
        (S.BOUND, RECEIVE, "CO_CANCEL"): S.BOUND,
        (S.BOUND, RECEIVE, "ORPHANED"): S.BOUND,
        (S.BOUND, SEND, "RESPONSE"): S.BOUND,
        (S.BOUND, SEND, "FAULT"): S.BOUND,
        (S.BOUND, SEND, "SHUTDOWN"): S.BOUND,
        (S.AWAIT_BIND, SEND, "FATAL_FAULT"): S.CLOSED,
        (S.BOUND, SEND, "FATAL_FAULT"): S.CLOSED,
    }
)

StateT = TypeVar("StateT", ClientState, ServerState)


def transition(
    table: Mapping[tuple[StateT, str, str], StateT], state: StateT, direction: str, what: str
) -> StateT:
    """The next state, or the error for a step the table does not allow."""
    nxt = table.get((state, direction, what))
    if nxt is not None:
        return nxt
    text = f"cannot {direction} {what.lower()} in state {state.value}"
    if direction == SEND:
        raise LocalProtocolError(text, structure="connection")
    raise ProtocolError(text, structure="connection")
