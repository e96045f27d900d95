"""IUpdateServiceManager(2), IUpdateService(2), IUpdateServiceRegistration.

Remotely a caller may list services, read registrations and set the manager's options;
adding, removing and (un)registering services is refused (by `dispatch`, from the
remote rules). AddService2 is the one adding call that reaches here: with an empty
authorization cab path (online or pending registration) it is refused remotely
(E_ACCESSDENIED, its SDK page); flags 1/2 with a cab path are E_INVALIDARG; a cab path
alone names a file that the emulated host does not have (ERROR_FILE_NOT_FOUND).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

from wua.emulator.catalog import UpdateService
from wua.emulator.wua.base import (
    CALL,
    GET,
    EmulatedObject,
    FieldTable,
    HandlerTable,
    by_name,
    converted,
    settings_by_name,
)
from wua.emulator.wua.collections import (
    UpdateServiceCollectionObject,
    strings,
)
from wua.emulator.wua.state import HostState
from wua.errors import error_for
from wua.reference.enums import AddServiceFlag, UpdateServiceRegistrationState
from wua.reference.hresults import E_ACCESSDENIED, E_INVALIDARG, WU_E_DS_UNKNOWNSERVICE
from wua.reference.hresults import HRESULT_FROM_WIN32_FILE_NOT_FOUND as FILE_NOT_FOUND

# SetOption's options and the Python type of their VARIANT value (reference README).
OPTIONS: Mapping[str, type] = MappingProxyType({"allowedserviceid": str, "allowwarningui": bool})


def find_service(state: HostState, service_id: str) -> UpdateService | None:
    wanted = service_id.lower()
    return next((s for s in state.catalog.services if s.service_id == wanted), None)


class UpdateServiceObject(EmulatedObject):
    INTERFACES = ("IUpdateService", "IUpdateService2")
    FIELDS: ClassVar[FieldTable] = {
        **converted(strings, "RedirectUrls"),
        **by_name(
            "Name",
            "ContentValidationCert",
            "ExpirationDate",
            "IsManaged",
            "IsRegisteredWithAU",
            "IssueDate",
            "OffersWindowsUpdates",
            "ServiceID",
            "IsScanPackageService",
            "CanRegisterWithAU",
            "ServiceUrl",
            "SetupPrefix",
            "IsDefaultAUService",
        ),
    }

    def __init__(self, service: UpdateService) -> None:
        self.source = service


class UpdateServiceRegistrationObject(EmulatedObject):
    """What QueryServiceRegistration says about one service ID, known or not."""

    INTERFACES = ("IUpdateServiceRegistration",)
    HANDLERS: ClassVar[HandlerTable] = {
        ("RegistrationState", GET): "registration_state",
        ("ServiceID", GET): "service_id",
        ("IsPendingRegistrationWithAU", GET): "is_pending_registration_with_au",
        ("Service", GET): "service",
    }

    def __init__(self, service_id: str, service: UpdateService | None) -> None:
        self._service_id = service_id
        self._service = service

    def registration_state(self) -> UpdateServiceRegistrationState:
        if self._service is None:
            return UpdateServiceRegistrationState.usrsNotRegistered
        return UpdateServiceRegistrationState.usrsRegistered

    def service_id(self) -> str:
        """A registered service's own ID (lower-case, as WUA reports IDs), else as asked."""
        return self._service_id if self._service is None else self._service.service_id

    def is_pending_registration_with_au(self) -> bool:
        return False

    def service(self) -> UpdateServiceObject:
        if self._service is None:
            raise error_for(WU_E_DS_UNKNOWNSERVICE, f"service {self._service_id} is not registered")
        return UpdateServiceObject(self._service)


@dataclass
class ServiceManagerSettings:
    client_application_id: str = ""
    options: dict[str, object] = field(default_factory=dict)  # SetOption's, by lower name


class UpdateServiceManagerObject(EmulatedObject):
    INTERFACES = ("IUpdateServiceManager", "IUpdateServiceManager2")
    SETTINGS: ClassVar[Mapping[str, str]] = settings_by_name("ClientApplicationID")
    HANDLERS: ClassVar[HandlerTable] = {
        ("Services", GET): "services",
        ("SetOption", CALL): "set_option",
        ("QueryServiceRegistration", CALL): "query_service_registration",
        ("AddService2", CALL): "add_service2",
    }

    def __init__(self, state: HostState, client_application_id: str = "") -> None:
        self.state = state
        self.settings = ServiceManagerSettings(client_application_id)

    def services(self) -> UpdateServiceCollectionObject:
        return UpdateServiceCollectionObject(
            UpdateServiceObject(s) for s in self.state.catalog.services
        )

    def set_option(self, name: str, value: object) -> None:
        """AllowedServiceID (BSTR) or AllowWarningUI (BOOL); anything else E_INVALIDARG."""
        expected = OPTIONS.get(name.lower())
        if expected is None:
            raise error_for(E_INVALIDARG, f"SetOption: unknown option {name!r}")
        if type(value) is not expected:
            raise error_for(
                E_INVALIDARG, f"SetOption: {name} takes a {expected.__name__}, not {value!r}"
            )
        self.settings.options[name.lower()] = value

    def query_service_registration(self, service_id: str) -> UpdateServiceRegistrationObject:
        if not service_id:
            raise error_for(E_INVALIDARG, "QueryServiceRegistration: empty service ID")
        return UpdateServiceRegistrationObject(service_id, find_service(self.state, service_id))

    def add_service2(
        self, service_id: str, flags: int, authorization_cab_path: str
    ) -> UpdateServiceRegistrationObject:
        if not authorization_cab_path:
            raise error_for(
                E_ACCESSDENIED,
                "AddService2 without an authorization cab is not callable remotely",
            )
        online = (
            AddServiceFlag.asfAllowPendingRegistration | AddServiceFlag.asfAllowOnlineRegistration
        )
        if flags & online:
            raise error_for(
                E_INVALIDARG, "AddService2: flags 1 and 2 need an empty authorizationCabPath"
            )
        raise error_for(
            FILE_NOT_FOUND, f"AddService2: {authorization_cab_path!r} does not exist on the host"
        )
