"""Reading QR codes back in tests (zxing-cpp): from a PNG, or from the inline SVG the
pages draw (qrcode's path of one-module squares, rasterised here)."""

import re

import png
import zxingcpp

SVG_MODULE = re.compile(r"M(\d+),(\d+)H")
SVG_SIZE = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
PIXELS_PER_MODULE = 8


def _decode(pixels: bytes, width: int, height: int) -> list[str]:
    image = memoryview(pixels).cast("B", shape=[height, width])
    return [result.text for result in zxingcpp.read_barcodes(image)]


def decode_png(data: bytes) -> list[str]:
    width, height, rows, info = png.Reader(bytes=data).asDirect()
    scale = 255 // ((1 << info["bitdepth"]) - 1)
    return _decode(bytes(value * scale for row in rows for value in row), width, height)


def decode_svg(svg: str) -> list[str]:
    """The texts of a QR drawn as qrcode's SVG path (a square per dark module)."""
    size_match = SVG_SIZE.search(svg)
    assert size_match is not None, "not a qrcode SVG"
    size = int(size_match.group(1))
    dark = {(int(x), int(y)) for x, y in SVG_MODULE.findall(svg)}
    side = size * PIXELS_PER_MODULE
    pixels = bytes(
        0 if (column // PIXELS_PER_MODULE, row // PIXELS_PER_MODULE) in dark else 255
        for row in range(side)
        for column in range(side)
    )
    return _decode(pixels, side, side)
