#!/bin/sh
# Regenerates the *.hex files of this folder from the Zeek captures (see README.md).
# Each file holds the bytes of one DCE/RPC PDU (TCP payloads joined when a PDU spans segments).
set -eu
V=${VECTORS:-../../../../../shared/vectors}
payload() { tshark -r "$1" -T fields -e tcp.payload -Y "frame.number==$2" 2>/dev/null | tr -d '\n'; }
N=$V/zeek_dce_rpc_ntlm.pcapng
K=$V/zeek_kerberos135_auth.pcapng
payload "$N" 1 > ntlm_f1_bind.hex
payload "$N" 3 > ntlm_f3_bind_ack.hex
payload "$N" 4 > ntlm_f4_alter_context.hex
payload "$N" 5 > ntlm_f5_alter_context_resp.hex
payload "$N" 6 > ntlm_f6_alter_context.hex
{ payload "$K" 4; payload "$K" 5; } > krb_f4f5_bind.hex
payload "$K" 7 > krb_f7_bind_ack.hex
payload "$K" 8 > krb_f8_alter_context.hex
payload "$K" 9 > krb_f9_alter_context_resp.hex
payload "$K" 10 > krb_f10_request.hex
payload "$K" 11 > krb_f11_response.hex
