"""The few ESC/POS bytes a kitchen ticket and a receipt need, written here rather than
with python-escpos: that library (3.1) brings pillow, python-barcode, qrcode, PyYAML,
appdirs, argcomplete, importlib_resources and six for images, barcodes and printer
profiles a text ticket never uses. Every ESC/POS thermal printer understands these
commands (Epson's reference: ESC @, ESC E, ESC a, ESC p, GS !, GS V)."""

from __future__ import annotations

import socket
import unicodedata

from flask_babel import gettext as _

INIT = b"\x1b@"  # ESC @: reset
BOLD_ON, BOLD_OFF = b"\x1bE\x01", b"\x1bE\x00"
BIG, NORMAL = b"\x1d!\x11", b"\x1d!\x00"  # GS !: double width and height, or normal
TALL = b"\x1d!\x01"  # GS !: double height only, so a line keeps its width in characters
CENTER, LEFT = b"\x1ba\x01", b"\x1ba\x00"  # ESC a: justification
# ESC p 0 25 250: a pulse on the drawer connector's pin 2, on 50 ms then off 500 ms
# (t1 and t2 count 2 ms), which opens the cash drawer plugged into the printer.
DRAWER_KICK = b"\x1bp\x00\x19\xfa"
FEED_AND_CUT = b"\n\n\n\x1dV\x42\x00"  # GS V 66 0: feed to the cutter and cut
CONNECT_SECONDS = 2.0  # a printer that is off must not hold up whoever paid


class PrinterAddressError(ValueError):
    """A printer address that is not host:port; the message says how to write it."""


def printer_address(typed: str) -> str:
    """A printer's address as an admin typed it: `host:port` (port 1-65535), or "" for
    no printer."""
    typed = typed.strip()
    if not typed:
        return ""
    host, colon, port = typed.rpartition(":")
    if not (colon and host and port.isdigit() and 0 < int(port) < 65536) or any(c.isspace() for c in host):
        raise PrinterAddressError(_("Printer ditulis host:port, misalnya 192.168.1.50:9100."))
    return typed


def plain(words: str) -> str:
    """What the printer prints of `words`: printable ASCII, accents dropped (the
    printer's code page is not known). A line laid out in columns is measured on this."""
    ascii_only = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    return "".join(char for char in ascii_only if char >= " ")


def text(words: str) -> bytes:
    return plain(words).encode("ascii")


def send(printer: str, data: bytes, timeout: float = CONNECT_SECONDS) -> None:
    """Send raw bytes to `host:port` over TCP; raises OSError when it cannot."""
    host, _colon, port = printer.rpartition(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(data)
