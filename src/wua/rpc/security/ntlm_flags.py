"""NTLM negotiate flags and AV pair identifiers (MS-NLMP 2.2.2.5, 2.2.2.1).

Kept apart from the message codecs because the signing code and the contexts test
the same bits to decide key lengths and whether a checksum is RC4-wrapped.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag


class NegotiateFlags(IntFlag):
    """NEGOTIATE structure bits; names follow MS-NLMP without the NTLMSSP_ prefix."""

    NONE = 0
    UNICODE = 0x00000001
    OEM = 0x00000002
    REQUEST_TARGET = 0x00000004
    SIGN = 0x00000010
    SEAL = 0x00000020
    DATAGRAM = 0x00000040
    LM_KEY = 0x00000080
    NTLM = 0x00000200
    ANONYMOUS = 0x00000800
    OEM_DOMAIN_SUPPLIED = 0x00001000
    OEM_WORKSTATION_SUPPLIED = 0x00002000
    ALWAYS_SIGN = 0x00008000
    TARGET_TYPE_DOMAIN = 0x00010000
    TARGET_TYPE_SERVER = 0x00020000
    EXTENDED_SESSIONSECURITY = 0x00080000
    IDENTIFY = 0x00100000
    REQUEST_NON_NT_SESSION_KEY = 0x00400000
    TARGET_INFO = 0x00800000
    VERSION = 0x02000000
    KEY_128 = 0x20000000
    KEY_EXCH = 0x40000000
    KEY_56 = 0x80000000


class AvId(IntEnum):
    """AV_PAIR.AvId: what a target-info entry holds."""

    EOL = 0
    NB_COMPUTER_NAME = 1
    NB_DOMAIN_NAME = 2
    DNS_COMPUTER_NAME = 3
    DNS_DOMAIN_NAME = 4
    DNS_TREE_NAME = 5
    FLAGS = 6
    TIMESTAMP = 7
    SINGLE_HOST = 8
    TARGET_NAME = 9
    CHANNEL_BINDINGS = 10


class AvFlags(IntFlag):
    """MsvAvFlags value bits."""

    NONE = 0
    CONSTRAINED = 0x1
    MIC_PRESENT = 0x2
    UNTRUSTED_SPN = 0x4


#: Bits a Windows server grants when the client asks for them (everything we implement);
#: anything else the client sets is dropped from the CHALLENGE's flags.
GRANTABLE = (
    NegotiateFlags.UNICODE
    | NegotiateFlags.SIGN
    | NegotiateFlags.SEAL
    | NegotiateFlags.NTLM
    | NegotiateFlags.ALWAYS_SIGN
    | NegotiateFlags.EXTENDED_SESSIONSECURITY
    | NegotiateFlags.KEY_128
    | NegotiateFlags.KEY_EXCH
    | NegotiateFlags.KEY_56
    | NegotiateFlags.VERSION
    | NegotiateFlags.IDENTIFY
)
