"""The few ESC/POS bytes a kitchen ticket needs, written here rather than with
python-escpos: that library (3.1) brings pillow, python-barcode, qrcode, PyYAML,
appdirs, argcomplete, importlib_resources and six for images, barcodes and printer
profiles a text ticket never uses. Every ESC/POS thermal printer understands these
commands (Epson's reference: ESC @, ESC E, GS !, GS V)."""

from __future__ import annotations

import socket
import unicodedata

INIT = b"\x1b@"  # ESC @: reset
BOLD_ON, BOLD_OFF = b"\x1bE\x01", b"\x1bE\x00"
BIG, NORMAL = b"\x1d!\x11", b"\x1d!\x00"  # GS !: double width and height, or normal
FEED_AND_CUT = b"\n\n\n\x1dV\x42\x00"  # GS V 66 0: feed to the cutter and cut
CONNECT_SECONDS = 2.0  # a printer that is off must not hold up whoever paid


def text(words: str) -> bytes:
    """Printable ASCII: accents dropped (the printer's code page is not known)."""
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore")
    return bytes(byte for byte in plain if byte >= 32)


def send(printer: str, data: bytes, timeout: float = CONNECT_SECONDS) -> None:
    """Send raw bytes to `host:port` over TCP; raises OSError when it cannot."""
    host, _colon, port = printer.rpartition(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(data)
