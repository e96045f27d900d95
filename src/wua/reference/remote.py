"""What a remote caller may not do: one table, one question.

The table is the list of "Using WUA From a Remote Computer" (design §1), the SDK
method pages' additional remote denials (RemoveService, AddScanPackageService,
IUpdateCollection::Copy), and the interfaces that are not reachable remotely at all.
Both the client (refusing before any traffic) and the emulator (answering
E_ACCESSDENIED, as Windows does) ask `restriction_for`.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.reference.interfaces import Member, MemberKind, interface

REMOTE_PAGE = 'Not available remotely ("Using WUA From a Remote Computer", WUA SDK).'
METHOD_PAGE = "Returns E_ACCESSDENIED to a remote caller (its WUA SDK method page)."

_RUN_ON_HOST = (
    "run it on the host itself, e.g. as a scheduled task running as SYSTEM "
    "(schtasks /create /ru SYSTEM ...), which is how PSWindowsUpdate (Invoke-WUJob) and "
    "Ansible win_updates do it"
)
_AU_POLICY = (
    "configure Automatic Updates through Group Policy or the registry "
    "(HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU) on the host"
)
_SERVICES = (
    "register update services on the host (a scheduled task calling AddService2) or point the "
    "host at WSUS through Group Policy"
)

ALL_KINDS = frozenset(MemberKind)


@dataclass(frozen=True)
class RemoteRestriction:
    interface: str
    member: str | None  # None: the whole interface
    kinds: frozenset[MemberKind]
    source: str
    workaround: str

    def applies_to(self, iface: str, member: str | None, kind: MemberKind | None) -> bool:
        if self.interface != iface:
            return False
        if self.member is None:
            return True
        if member is None or member.lower() != self.member.lower():
            return False
        return kind is None or kind in self.kinds


def _r(
    iface: str, member: str | None, kinds: frozenset[MemberKind], source: str, fix: str
) -> RemoteRestriction:
    return RemoteRestriction(iface, member, kinds, source, fix)


_GET = frozenset({MemberKind.PROPGET})
_PUT = frozenset({MemberKind.PROPPUT})
_CALL = frozenset({MemberKind.METHOD})

RESTRICTIONS: tuple[RemoteRestriction, ...] = (
    # "Using WUA From a Remote Computer"
    _r("IUpdateSession", "CreateUpdateDownloader", _CALL, REMOTE_PAGE, _RUN_ON_HOST),
    _r("IUpdateSession", "CreateUpdateInstaller", _CALL, REMOTE_PAGE, _RUN_ON_HOST),
    _r(
        "IUpdateSession",
        "WebProxy",
        ALL_KINDS,
        REMOTE_PAGE,
        "set the proxy on the host (netsh winhttp set proxy, or Group Policy); remote searches use the host's own proxy",
    ),
    _r(
        "IUpdateSearcher",
        "BeginSearch",
        _CALL,
        REMOTE_PAGE,
        "use the blocking Search; wua keeps the call alive and pings its objects meanwhile",
    ),
    _r(
        "IUpdateSearcher",
        "EndSearch",
        _CALL,
        REMOTE_PAGE,
        "use the blocking Search; wua keeps the call alive and pings its objects meanwhile",
    ),
    _r(
        "IUpdate",
        "IsHidden",
        _PUT,
        REMOTE_PAGE + " IsHidden is read-only remotely.",
        "hide or unhide the update on the host itself (a scheduled task setting IUpdate.IsHidden, or PSWindowsUpdate's Hide-WindowsUpdate run locally)",
    ),
    _r("IUpdate", "AcceptEula", _CALL, REMOTE_PAGE, _RUN_ON_HOST),
    _r("IUpdate", "CopyFromCache", _CALL, REMOTE_PAGE, _RUN_ON_HOST),
    _r("IUpdate2", "CopyToCache", _CALL, REMOTE_PAGE, _RUN_ON_HOST),
    _r("IWindowsDriverUpdate2", "CopyToCache", _CALL, REMOTE_PAGE, _RUN_ON_HOST),
    _r("IUpdateServiceManager", "AddService", _CALL, REMOTE_PAGE, _SERVICES),
    _r("IUpdateServiceManager", "RegisterServiceWithAU", _CALL, REMOTE_PAGE, _SERVICES),
    _r("IUpdateServiceManager", "UnregisterServiceWithAU", _CALL, REMOTE_PAGE, _SERVICES),
    _r("IAutomaticUpdates", "Pause", _CALL, REMOTE_PAGE, _AU_POLICY),
    _r("IAutomaticUpdates", "Resume", _CALL, REMOTE_PAGE, _AU_POLICY),
    _r(
        "IAutomaticUpdates",
        "ShowSettingsDialog",
        _CALL,
        REMOTE_PAGE,
        "open the Windows Update settings on the host's console",
    ),
    _r("IAutomaticUpdates", "Settings", ALL_KINDS, REMOTE_PAGE, _AU_POLICY),
    _r(
        "IAutomaticUpdates",
        "ServiceEnabled",
        ALL_KINDS,
        REMOTE_PAGE,
        "check the wuauserv service on the host (sc query wuauserv, or WMI Win32_Service)",
    ),
    _r(
        "IAutomaticUpdates",
        "EnableService",
        _CALL,
        REMOTE_PAGE,
        "enable the wuauserv service on the host (sc config wuauserv start= auto)",
    ),
    _r(
        "ISystemInformation",
        None,
        ALL_KINDS,
        REMOTE_PAGE,
        "read it on the host; for a pending restart, wua reports RebootRequired per update",
    ),
    # SDK method pages: denied to remote callers although the remote page does not list them
    _r("IUpdateServiceManager", "RemoveService", _CALL, METHOD_PAGE, _SERVICES),
    _r(
        "IUpdateServiceManager",
        "AddScanPackageService",
        _CALL,
        METHOD_PAGE,
        "run the offline scan (wsusscn2.cab) on the host itself, e.g. as a scheduled task",
    ),
    _r(
        "IUpdateCollection",
        "Copy",
        _CALL,
        METHOD_PAGE + " (MS-UAMG: not used on the wire.)",
        "build a new collection on the client side from the items you read",
    ),
    # Interfaces whose objects cannot be reached remotely at all
    *(
        _r(name, None, ALL_KINDS, REMOTE_PAGE + " No download or install remotely.", _RUN_ON_HOST)
        for name in (
            "IUpdateDownloader",
            "IUpdateInstaller",
            "IUpdateInstaller2",
            "IUpdateInstaller3",
            "IUpdateInstaller4",
            "IDownloadJob",
            "IInstallationJob",
            "IDownloadResult",
            "IInstallationResult",
            "IUpdateDownloadResult",
            "IUpdateInstallationResult",
            "IDownloadProgress",
            "IInstallationProgress",
            "ISearchJob",
            "IInstallationAgent",
        )
    ),
    *(
        _r(name, None, ALL_KINDS, REMOTE_PAGE, _AU_POLICY)
        for name in (
            "IAutomaticUpdatesSettings",
            "IAutomaticUpdatesSettings2",
            "IAutomaticUpdatesSettings3",
        )
    ),
    _r(
        "IWebProxy",
        None,
        ALL_KINDS,
        REMOTE_PAGE,
        "set the proxy on the host (netsh winhttp set proxy, or Group Policy)",
    ),
)


def _defining(iface: str, member: str | None, kind: MemberKind | None) -> tuple[str, Member | None]:
    """Resolve an inherited member to the interface that defines it (IUpdate5.IsHidden -> IUpdate)."""
    if member is None:
        return iface, None
    try:
        found = interface(iface).member(member, kind)
    except KeyError:
        return iface, None
    return found.interface, found


def restriction_for(
    iface: str, member: str | None = None, kind: MemberKind | None = None
) -> RemoteRestriction | None:
    """The rule that forbids a remote caller this interface / member / kind, or None."""
    defining, _ = _defining(iface, member, kind)
    for name in {iface, defining}:
        for rule in RESTRICTIONS:
            if rule.applies_to(name, member, kind):
                return rule
    return None


def may_call_remotely(
    iface: str, member: str | None = None, kind: MemberKind | None = None
) -> bool:
    """May a remote caller use this interface / member / kind?"""
    return restriction_for(iface, member, kind) is None
