"""wua: the Windows Update Agent API of remote Windows hosts, over DCOM, from any OS."""

__version__ = "0.1.0"
