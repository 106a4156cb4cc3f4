"""The shop's logo: an upload checked and cleaned as an item's photo is (`menu.photos`:
JPEG, PNG or WebP by content, 5 MB, no bombs, metadata stripped, files named after the
upload's hash), then made to fit a box, never cropped or enlarged, and kept in WebP and
JPEG under "<key>-logo.<format>" in the photo store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from PIL import Image

from ..menu.photo_storage import storage
from ..menu.photos import FORMATS, PhotoSize, content_key, decode, file_name, read_upload, store_sized

# The largest logo kept: shown 32 px high in the header and up to 16 mm on a receipt,
# sharp on a 3x phone screen and a 300 dpi print.
LOGO = PhotoSize("logo", 480, 240)


@dataclass(frozen=True)
class Logo:
    key: str
    width: int
    height: int


def store_logo(stream: IO[bytes]) -> Logo:
    """Check, clean, fit and store an uploaded logo (a PhotoError says why not)."""
    data = read_upload(stream)
    image = decode(data)
    image.thumbnail((LOGO.width, LOGO.height), Image.Resampling.LANCZOS)
    key = content_key(data)
    store_sized(image, key, LOGO)
    return Logo(key, image.width, image.height)


def forget_logo(key: str) -> None:
    """Delete a logo's files (after another replaced it)."""
    for extension, _format, _options in FORMATS:
        storage().delete(file_name(key, LOGO, extension))


def logo_url(logo: Logo, extension: str) -> str:
    return storage().url(file_name(logo.key, LOGO, extension))
