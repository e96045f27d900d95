"""What differs between the Windows products a generated host may run.

One row per product of the KB data: how the OS reports itself, the agent version it
ships, how its monthly updates are titled, and which WSUS product category they fall in.
Captions, builds and title patterns follow what those products show; product category
GUIDs are derived (`ids.derived_guid`), not the real WSUS ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.emulator.catalog.ids import derived_guid


@dataclass(frozen=True)
class Product:
    """One Windows product as the KB data names it (`csv_name`)."""

    csv_name: str
    short: str
    editions: tuple[str, ...]
    os_version: str
    os_build: int
    agent_version: str
    title_name: str
    monthly_kind: str
    category_name: str
    is_server: bool
    name_prefix: str

    @property
    def category_id(self) -> str:
        return derived_guid("category", "product", self.category_name)

    def caption(self, edition: str) -> str:
        return f"Microsoft {self.short} {edition}"


PRODUCTS: tuple[Product, ...] = (
    Product(
        csv_name="Windows Server 2022",
        short="Windows Server 2022",
        editions=("Datacenter", "Standard"),
        os_version="10.0.20348",
        os_build=20348,
        agent_version="10.0.20348.3566",
        title_name="Microsoft server operating system version 21H2 for x64-based Systems",
        monthly_kind="Cumulative Update",
        category_name="Microsoft Server operating system-21H2",
        is_server=True,
        name_prefix="SRV22",
    ),
    Product(
        csv_name="Windows Server 2019",
        short="Windows Server 2019",
        editions=("Datacenter", "Standard"),
        os_version="10.0.17763",
        os_build=17763,
        agent_version="10.0.17763.7009",
        title_name="Windows Server 2019 for x64-based Systems",
        monthly_kind="Cumulative Update",
        category_name="Windows Server 2019",
        is_server=True,
        name_prefix="SRV19",
    ),
    Product(
        csv_name="Windows Server 2016",
        short="Windows Server 2016",
        editions=("Datacenter", "Standard"),
        os_version="10.0.14393",
        os_build=14393,
        agent_version="10.0.14393.7876",
        title_name="Windows Server 2016 for x64-based Systems",
        monthly_kind="Cumulative Update",
        category_name="Windows Server 2016",
        is_server=True,
        name_prefix="SRV16",
    ),
    Product(
        csv_name="Windows Server 2012 R2",
        short="Windows Server 2012 R2",
        editions=("Datacenter", "Standard"),
        os_version="6.3.9600",
        os_build=9600,
        agent_version="7.9.9600.21620",
        title_name="Windows Server 2012 R2 for x64-based Systems",
        monthly_kind="Security Monthly Quality Rollup",
        category_name="Windows Server 2012 R2",
        is_server=True,
        name_prefix="SRV12",
    ),
    Product(
        csv_name="Windows 10 Version 22H2 for x64-based Systems",
        short="Windows 10",
        editions=("Enterprise", "Pro"),
        os_version="10.0.19045",
        os_build=19045,
        agent_version="10.0.19041.5607",
        title_name="Windows 10 Version 22H2 for x64-based Systems",
        monthly_kind="Cumulative Update",
        category_name="Windows 10, version 1903 and later",
        is_server=False,
        name_prefix="WS10",
    ),
    Product(
        csv_name="Windows 11 Version 24H2 for x64-based Systems",
        short="Windows 11",
        editions=("Enterprise", "Pro"),
        os_version="10.0.26100",
        os_build=26100,
        agent_version="10.0.26100.3624",
        title_name="Windows 11 Version 24H2 for x64-based Systems",
        monthly_kind="Cumulative Update",
        category_name="Windows 11",
        is_server=False,
        name_prefix="WS11",
    ),
)


def product(csv_name: str) -> Product:
    """The product row for a product name of the KB data; KeyError when unknown."""
    for row in PRODUCTS:
        if row.csv_name == csv_name:
            return row
    raise KeyError(csv_name)
