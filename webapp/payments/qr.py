"""QR images for QRIS payloads: error correction M, a 4-module quiet zone.

The pages inline the SVG (cached per payload). The image URLs (/payments/<id>/qr.png
and .svg) are answered from a cache keyed by content that keeps each image for as long
as its payment can be paid, whatever else is viewed meanwhile, within a memory budget.
The PNG is written from the QR matrix a row at a time (a 1-bit image), not pixel by
pixel as qrcode's own PNG writer does.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import png as pypng
import qrcode
from markupsafe import Markup, escape
from qrcode.image.svg import SvgPathFillImage

QUIET_ZONE = 4
PNG_BOX_SIZE = 10  # pixels per module: about 600 px for a typical QRIS payload
# What the image cache may hold: a PNG is about 1.3 KB, an SVG about 22 KB.
IMAGE_CACHE_BYTES = 16 * 1024 * 1024

_SVG_SIZE = re.compile(r'^<svg width="[^"]*" height="[^"]*"')


def _qr(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=QUIET_ZONE,
        box_size=PNG_BOX_SIZE,
    )
    code.add_data(data)
    code.make(fit=True)
    return code


@lru_cache(maxsize=512)
def svg(data: str) -> str:
    """A standalone SVG document (white background, scales to its container)."""
    image = _qr(data).make_image(image_factory=SvgPathFillImage)
    return image.to_string(encoding="unicode")


def inline_svg(data: str, label: str) -> Markup:
    """The SVG for embedding in a page, sized by CSS and labelled for screen readers."""
    tag = f'<svg class="qr" role="img" aria-label="{escape(label)}"'
    # svg() is qrcode's drawing of the code: shapes only, no text taken from `data`.
    return Markup(_SVG_SIZE.sub(tag, svg(data), count=1))  # noqa: S704


def png(data: str) -> bytes:
    """A black-on-white 1-bit PNG, PNG_BOX_SIZE pixels per module."""
    rows = []
    for modules in _qr(data).get_matrix():  # the quiet zone included
        bits = "".join("0" * PNG_BOX_SIZE if dark else "1" * PNG_BOX_SIZE for dark in modules)
        bits += "1" * (-len(bits) % 8)  # a row fills whole bytes
        rows += [int(bits, 2).to_bytes(len(bits) // 8, "big")] * PNG_BOX_SIZE
    buffer = io.BytesIO()
    pypng.Writer(len(rows), len(rows), greyscale=True, bitdepth=1).write_packed(buffer, rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class QrImage:
    data: bytes
    mimetype: str
    etag: str


def _svg_document(data: str) -> bytes:
    return svg(data).encode()


RENDERERS = {"png": (png, "image/png"), "svg": (_svg_document, "image/svg+xml")}


class ImageCache:
    """Rendered images by content, each kept until a given moment (its payment's
    expiry). Past the byte budget, images whose moment has passed go first, then the
    oldest."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: dict[tuple[str, str], tuple[QrImage, datetime]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], now: datetime) -> QrImage | None:
        entry = self._entries.get(key)
        return entry[0] if entry is not None and entry[1] > now else None

    def put(self, key: tuple[str, str], image: QrImage, keep_until: datetime, now: datetime) -> None:
        with self._lock:
            self._drop(key)
            self._entries[key] = (image, keep_until)
            self._bytes += len(image.data)
            if self._bytes > self.max_bytes:
                for old_key in [k for k, (_, until) in self._entries.items() if until <= now]:
                    self._drop(old_key)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: tuple[str, str]) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[0].data)


_images = ImageCache(IMAGE_CACHE_BYTES)


def image(data: str, kind: str, keep_until: datetime | None, now: datetime) -> QrImage:
    """The `kind` ("png" or "svg") image of payload `data`. Kept until `keep_until` (the
    payment's expiry), if given; drawn afresh otherwise."""
    key = (kind, data)
    cached = _images.get(key, now)
    if cached is not None:
        return cached
    render, mimetype = RENDERERS[kind]
    etag = hashlib.sha256(f"{kind}:{data}".encode()).hexdigest()[:32]
    drawn = QrImage(render(data), mimetype, etag)
    if keep_until is not None and keep_until > now:
        _images.put(key, drawn, keep_until, now)
    return drawn


def clear_cache() -> None:
    _images.clear()
