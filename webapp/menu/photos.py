"""An item's photo: checked, cleaned and resized with Pillow, stored in two sizes.

An upload is trusted for nothing: Pillow must recognise it as JPEG, PNG or WebP by its
content (never its name), its header must declare a size the app is willing to decode
(a few-kilobyte "decompression bomb" can declare a gigapixel), and it must decode
completely (a truncated file is refused). The EXIF orientation is applied, then every
piece of metadata is dropped: phone photos carry the owner's location.

Each size is stored as WebP and as JPEG (the fallback for browsers without WebP), all
four files named after the hash of the uploaded bytes. Both sizes are cropped to a
fixed shape, so the menu can state width and height before an image arrives.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from flask import Flask
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from ..extensions import db
from ..models import MenuItem
from . import photo_storage
from .photo_storage import storage

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 8000  # pixels, either side
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8000 x 6000; this stops bombs
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")


@dataclass(frozen=True)
class PhotoSize:
    name: str
    width: int
    height: int


# The list's thumbnail (shown at 80 x 80 CSS pixels, sharp on 2x screens) and the
# choice panel's photo (4:3, up to 400 CSS pixels wide).
THUMB = PhotoSize("thumb", 160, 160)
LARGE = PhotoSize("large", 800, 600)
SIZES = {size.name: size for size in (THUMB, LARGE)}
FORMATS = (("webp", "WEBP", {"quality": 78, "method": 4}), ("jpg", "JPEG", {"quality": 80, "optimize": True}))


class PhotoError(Exception):
    """An upload refused, with the message the admin sees."""


def file_name(key: str, size: PhotoSize, extension: str) -> str:
    return f"{key}-{size.name}.{extension}"


def file_names(key: str) -> list[str]:
    return [file_name(key, size, extension) for size in SIZES.values() for extension, _format, _options in FORMATS]


def photo_url(item: MenuItem, size: str, extension: str) -> str:
    return storage().url(file_name(item.photo_key, SIZES[size], extension))


def read_upload(stream: IO[bytes]) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoError(_("Foto paling besar 5 MB."))
    if not data:
        raise PhotoError(_("Pilih berkas foto."))
    return data


def decode(data: bytes) -> Image.Image:
    """The upload as an upright RGB image without metadata, or a PhotoError."""
    too_big = _("Foto terlalu besar: paling banyak %(side)d piksel per sisi.", side=MAX_SIDE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)  # reads the header only
            width, height = image.size
            if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
                raise PhotoError(too_big)
            image.load()
    except UnidentifiedImageError as exc:
        raise PhotoError(_("Berkas ini bukan foto JPEG, PNG atau WebP.")) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # Pillow's own limit
        raise PhotoError(too_big) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # truncated or corrupt data
        raise PhotoError(_("Foto rusak atau tidak lengkap; coba unggah lagi.")) from exc
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        background = Image.new("RGB", upright.size, "white")
        background.paste(upright.convert("RGBA"), mask=upright.convert("RGBA").getchannel("A"))
        upright = background
    # A new image from the pixels alone: no EXIF, XMP, ICC profile or comment survives.
    return Image.frombytes("RGB", upright.size, upright.convert("RGB").tobytes())


def content_key(data: bytes) -> str:
    """What an upload's files are named after: the hash of its bytes."""
    return hashlib.sha256(data).hexdigest()[:32]


def store_sized(image: Image.Image, key: str, size: PhotoSize) -> None:
    """Store `image` (already resized) under `key` and `size`'s name in every format."""
    for extension, pillow_format, options in FORMATS:
        buffer = BytesIO()
        image.save(buffer, pillow_format, **options)
        storage().put(file_name(key, size, extension), buffer.getvalue())


def store_photo(data: bytes) -> str:
    """Check, clean and store an uploaded photo; its key (the uploaded bytes' hash)."""
    image = decode(data)
    key = content_key(data)
    for size in SIZES.values():
        store_sized(ImageOps.fit(image, (size.width, size.height), Image.Resampling.LANCZOS), key, size)
    return key


def forget_photo(key: str) -> None:
    """Delete a photo's files (after its item changed or was deleted) unless another
    item still shows the same photo."""
    if key and not db.session.scalar(select(func.count()).select_from(MenuItem).where(MenuItem.photo_key == key)):
        for name in file_names(key):
            storage().delete(name)


def set_photo(item: MenuItem, stream: IO[bytes]) -> None:
    """Give `item` the uploaded photo, replacing (and deleting) the one it had."""
    key = store_photo(read_upload(stream))
    old, item.photo_key = item.photo_key, key
    db.session.commit()
    if old != key:
        forget_photo(old)


def remove_photo(item: MenuItem) -> None:
    old, item.photo_key = item.photo_key, ""
    db.session.commit()
    forget_photo(old)


def init_app(app: Flask) -> None:
    """The photo store, and `photo_url` and `photo_sizes` for the `item_photo` macro."""
    photo_storage.install(app)
    app.add_template_global(photo_url)
    app.jinja_env.globals["photo_sizes"] = SIZES
