"""Image files for upload tests, made with Pillow: real photos in each accepted
format, one with a phone's EXIF (orientation, camera, GPS position), and files that
only pretend to be photos."""

import struct
import zlib
from io import BytesIO

from PIL import ExifTags, Image

RED, BLUE = (220, 30, 30), (30, 30, 220)


def two_halves(width: int = 300, height: int = 100) -> Image.Image:
    """Left half red, right half blue."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    return image


def encoded(image: Image.Image, pillow_format: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def phone_jpeg() -> bytes:
    """A JPEG as a phone writes it held sideways: stored wide, EXIF orientation 6
    (turn 90 degrees clockwise to show), the camera's make and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "WarungPhone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (6.0, 10.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 49.0, 10.0)
    return encoded(two_halves(), "JPEG", exif=exif, quality=95)


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny PNG whose header declares `width` x `height` pixels (a decompression
    bomb: decoding it would take gigabytes)."""
    real = encoded(Image.new("L", (1, 1)), "PNG")
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return real[:8] + ihdr + real[8 + len(ihdr) :]
