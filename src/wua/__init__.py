"""wua: the Windows Update Agent API of remote Windows hosts, over DCOM, from any OS."""

from wua import aio
from wua.client.sync import SyncSession, connect

__version__ = "0.1.0"
__all__ = ["SyncSession", "aio", "connect"]
