"""QR images for QRIS payloads: error correction M, a 4-module quiet zone.

Rendering is cached per payload: a pending payment's QR is drawn once, not on every
page view.
"""
import io
import re
from functools import lru_cache

import qrcode
from markupsafe import Markup, escape
from qrcode.image.pure import PyPNGImage
from qrcode.image.svg import SvgPathFillImage

QUIET_ZONE = 4
PNG_BOX_SIZE = 10  # pixels per module: about 500 px for a typical QRIS payload

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
    return Markup(_SVG_SIZE.sub(tag, svg(data), count=1))


@lru_cache(maxsize=128)
def png(data: str) -> bytes:
    buffer = io.BytesIO()
    _qr(data).make_image(image_factory=PyPNGImage).save(buffer)
    return buffer.getvalue()
