"""The WUA enumerations as `IntEnum`s (generated from `data/enums.json`; a test keeps them equal).

Member names are the SDK names (`UpdateType.utDriver`); all are 32-bit on the wire.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag


class OperationResultCode(IntEnum):
    orcNotStarted = 0
    orcInProgress = 1
    orcSucceeded = 2
    orcSucceededWithErrors = 3
    orcFailed = 4
    orcAborted = 5


class ServerSelection(IntEnum):
    ssDefault = 0
    ssManagedServer = 1
    ssWindowsUpdate = 2
    ssOthers = 3


class UpdateType(IntEnum):
    utSoftware = 1
    utDriver = 2


class InstallationImpact(IntEnum):
    iiNormal = 0
    iiMinor = 1
    iiRequiresExclusiveHandling = 2


class InstallationRebootBehavior(IntEnum):
    irbNeverReboots = 0
    irbAlwaysRequiresReboot = 1
    irbCanRequestReboot = 2


class UpdateExceptionContext(IntEnum):
    uecGeneral = 1
    uecWindowsDriver = 2
    uecWindowsInstaller = 3
    uecSearchIncomplete = 4


class AutomaticUpdatesNotificationLevel(IntEnum):
    aunlNotConfigured = 0
    aunlDisabled = 1
    aunlNotifyBeforeDownload = 2
    aunlNotifyBeforeInstallation = 3
    aunlScheduledInstallation = 4


class AutomaticUpdatesScheduledInstallationDay(IntEnum):
    ausidEveryDay = 0
    ausidEverySunday = 1
    ausidEveryMonday = 2
    ausidEveryTuesday = 3
    ausidEveryWednesday = 4
    ausidEveryThursday = 5
    ausidEveryFriday = 6
    ausidEverySaturday = 7


class DownloadPriority(IntEnum):
    dpLow = 1
    dpNormal = 2
    dpHigh = 3
    dpExtraHigh = 4


class DownloadPhase(IntEnum):
    dphInitializing = 1
    dphDownloading = 2
    dphVerifying = 3


class UpdateOperation(IntEnum):
    uoInstallation = 1
    uoUninstallation = 2


class DeploymentAction(IntEnum):
    daNone = 0
    daInstallation = 1
    daUninstallation = 2
    daDetection = 3
    daOptionalInstallation = 4


class AutoSelectionMode(IntEnum):
    asLetWindowsUpdateDecide = 0
    asAutoSelectIfDownloaded = 1
    asNeverAutoSelect = 2
    asAlwaysAutoSelect = 3


class AutoDownloadMode(IntEnum):
    adLetWindowsUpdateDecide = 0
    adNeverAutoDownload = 1
    adAlwaysAutoDownload = 2


class UpdateServiceRegistrationState(IntEnum):
    usrsNotRegistered = 1
    usrsRegistrationPending = 2
    usrsRegistered = 3


class SearchScope(IntEnum):
    searchScopeDefault = 0
    searchScopeMachineOnly = 1
    searchScopeCurrentUserOnly = 2
    searchScopeMachineAndCurrentUser = 3
    searchScopeMachineAndAllUsers = 4
    searchScopeAllUsers = 5


class AutomaticUpdatesUserType(IntEnum):
    auutCurrentUser = 1
    auutLocalAdministrator = 2


class AutomaticUpdatesPermissionType(IntEnum):
    auptSetNotificationLevel = 1
    auptDisableAutomaticUpdates = 2
    auptSetIncludeRecommendedUpdates = 3
    auptSetFeaturedUpdatesEnabled = 4
    auptSetNonAdministratorsElevated = 5


class AddServiceFlag(IntFlag):
    asfAllowPendingRegistration = 1
    asfAllowOnlineRegistration = 2
    asfRegisterServiceWithAU = 4


class UpdateServiceOption(IntFlag):
    usoNonVolatileService = 1


class UpdateLockdownOption(IntFlag):
    uloForWebsiteAccess = 1


ALL: dict[str, type[IntEnum] | type[IntFlag]] = {
    "OperationResultCode": OperationResultCode,
    "ServerSelection": ServerSelection,
    "UpdateType": UpdateType,
    "InstallationImpact": InstallationImpact,
    "InstallationRebootBehavior": InstallationRebootBehavior,
    "UpdateExceptionContext": UpdateExceptionContext,
    "AutomaticUpdatesNotificationLevel": AutomaticUpdatesNotificationLevel,
    "AutomaticUpdatesScheduledInstallationDay": AutomaticUpdatesScheduledInstallationDay,
    "DownloadPriority": DownloadPriority,
    "DownloadPhase": DownloadPhase,
    "UpdateOperation": UpdateOperation,
    "DeploymentAction": DeploymentAction,
    "AutoSelectionMode": AutoSelectionMode,
    "AutoDownloadMode": AutoDownloadMode,
    "UpdateServiceRegistrationState": UpdateServiceRegistrationState,
    "SearchScope": SearchScope,
    "AutomaticUpdatesUserType": AutomaticUpdatesUserType,
    "AutomaticUpdatesPermissionType": AutomaticUpdatesPermissionType,
    "AddServiceFlag": AddServiceFlag,
    "UpdateServiceOption": UpdateServiceOption,
    "UpdateLockdownOption": UpdateLockdownOption,
}


def of_type(type_name: str) -> type[IntEnum] | None:
    """The IntEnum a reference type `enum:Name` names, or None.

    Client and emulator both convert values by the reference's type names; resolving
    the name here keeps one answer to which enumerations exist (flag sets excluded:
    they are not IntEnums and travel as plain numbers).
    """
    if not type_name.startswith("enum:"):
        return None
    found = ALL.get(type_name.removeprefix("enum:"))
    return found if isinstance(found, type) and issubclass(found, IntEnum) else None
