"""Sans-IO client and server connection machines for connection-oriented RPC."""
