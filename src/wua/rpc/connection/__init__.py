"""Sans-IO client and server connection machines for connection-oriented RPC.

A driver owns the socket and loops: feed what arrives to `receive_data`, read events
with `next_event` until it returns None, and send what the called methods return plus
`data_to_send()` (handshake legs and faults the machine produced by itself)::

    client = ClientConnection()
    sock.sendall(client.bind(windows_offer(iface), security=ntlm_client(creds)))
    ...
    client.receive_data(sock.recv(65536))
    while (event := client.next_event()) is not None:
        ...                              # BindAccepted, AuthComplete, CallResponse, ...
    sock.sendall(client.data_to_send())  # auth3 / alter_context legs

Each side's legal steps are one transition table in `state.py`. Beside each machine
(`client`, `server`) are its auth contexts and their handshake rules (`client_auth`,
`server_auth`) and its calls in progress (`client_calls`, `server_calls`); the server's
own refusals are built in `server_faults`.
"""
