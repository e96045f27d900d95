"""IImageInformation: a picture a UI may show beside an update or a category."""

from __future__ import annotations

from typing import ClassVar

from wua.emulator.catalog import ImageInformation
from wua.emulator.wua.base import EmulatedObject, FieldTable, by_name


class ImageInformationObject(EmulatedObject):
    INTERFACES = ("IImageInformation",)
    FIELDS: ClassVar[FieldTable] = by_name("AltText", "Height", "Source", "Width")

    def __init__(self, image: ImageInformation) -> None:
        self.source = image


def image_object(image: ImageInformation | None) -> ImageInformationObject | None:
    """IImageInformation, or a NULL pointer when the catalog gives no image."""
    return None if image is None else ImageInformationObject(image)
