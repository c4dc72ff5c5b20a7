"""A profile photo: whatever was uploaded is decoded and written again by us.

The uploaded bytes are never stored or served. An upload is accepted only if it is a JPEG, PNG,
WebP or GIF that Pillow decodes completely, whose size in pixels is checked from its header
*before* decoding (no decompression bombs), and that ends where the image ends (no HTML, script
or archive appended to a valid image). We keep only the pixels of the first frame, turned the
right way up, scaled to at most ``STORED_MAX_SIDE`` on its longer side, with no metadata, and
write them ourselves: JPEG for opaque images, PNG for images with transparency. The stored name
is random and its extension is that of the format we wrote; the uploader's name is not used.
"""

from __future__ import annotations

import contextlib
import io
import re
import secrets
import struct
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4096  # each side of an uploaded image, read from its header before decoding
MAX_PIXELS = MAX_SIDE * MAX_SIDE
STORED_MAX_SIDE = 1024
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF"}
READABLE = "Use a JPEG, PNG, WebP or GIF image."


@dataclass(frozen=True)
class Photo:
    """The image we wrote: its bytes, and the extension and media type of their format."""

    data: bytes
    extension: str
    content_type: str


def reencode(upload) -> Photo:
    """Decode an uploaded file and write it again; ValidationError (a field error) if we cannot."""
    if upload.size > MAX_BYTES:
        raise ValidationError(f"The photo is {upload.size // 1024} KB; the limit is {MAX_BYTES // 1024} KB.")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"The photo is larger than {MAX_BYTES // 1024} KB, the limit.")
    try:
        with Image.open(io.BytesIO(data), formats=sorted(ACCEPTED)) as image:
            kind = image.format
            width, height = image.size
            # checked from the header, before a single pixel is decoded
            if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE) or width * height > MAX_PIXELS:
                raise ValidationError(
                    f"The photo is {width} × {height} pixels; the limit is {MAX_SIDE} × {MAX_SIDE}."
                )
            image.seek(0)  # an animated image: its first frame only
            image.load()  # decodes everything: truncated or corrupt data fails here
            pixels = _plain_pixels(image)
    except ValidationError:
        raise
    except Image.DecompressionBombError:  # Pillow's own limit, met in the header
        raise ValidationError(f"The photo is far too large in pixels; the limit is {MAX_SIDE} × {MAX_SIDE}.") from None
    except UnidentifiedImageError:
        raise ValidationError(
            "That file is not an image we can read (JPEG, PNG, WebP or GIF); other kinds are not accepted."
        ) from None
    except (OSError, SyntaxError, ValueError, TypeError, EOFError, struct.error, MemoryError, IndexError, KeyError):
        raise ValidationError(f"That image is damaged or incomplete; we cannot read it. {READABLE}") from None
    if kind not in ACCEPTED:  # Image.open(formats=...) already ensures it; kept as a guard
        raise ValidationError(f"{kind} images are not accepted. {READABLE}")
    if not ends_where_the_image_ends(kind, data):
        raise ValidationError(
            "That file has other data after the image (or is not a well-formed image file); "
            "we accept only plain images. Save it again as a JPEG or PNG and upload that."
        )
    return _write(pixels)


def _plain_pixels(image: Image.Image) -> Image.Image:
    """The decoded frame, turned by its EXIF orientation, as RGB or RGBA, no bigger than we keep."""
    with contextlib.suppress(Exception):  # a broken orientation tag: keep the pixels as they are
        image = ImageOps.exif_transpose(image)
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):  # 16-bit or float greys
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    transparent = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    image = image.convert("RGBA" if transparent else "RGB")
    if transparent and image.getextrema()[3][0] == 255:  # an alpha channel that hides nothing
        image, transparent = image.convert("RGB"), False
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _write(image: Image.Image) -> Photo:
    """A new file from the pixels alone: no EXIF, ICC, text chunks or comments are carried over."""
    out = io.BytesIO()
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if clean.mode == "RGBA":
        clean.save(out, format="PNG", optimize=True)
        return Photo(out.getvalue(), "png", "image/png")
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return Photo(out.getvalue(), "jpg", "image/jpeg")


# --- photos stored by earlier versions ---------------------------------------------------------

WRITTEN_BY_US = re.compile(r"photos/[A-Za-z0-9_-]{24}\.(png|jpg)")


def rewrite_stored(users) -> tuple[int, int]:
    """Put every photo stored by an earlier version (which kept the uploaded bytes, name and
    extension) through ``reencode``; a file we cannot read is removed from its profile.

    ``users``: a queryset of people. Run by migration ``accounts.0003``. Returns (rewritten, removed).
    """
    from django.core.files.storage import default_storage

    rewritten = removed = 0
    for user in users.exclude(photo="").only("pk", "photo"):
        old = user.photo.name
        if WRITTEN_BY_US.fullmatch(old):
            continue
        try:
            with default_storage.open(old, "rb") as handle:
                photo = reencode(ContentFile(handle.read(MAX_BYTES + 1)))
        except (OSError, ValidationError):
            photo = None
        new = ""
        if photo is not None:
            new = default_storage.save(f"photos/{secrets.token_urlsafe(18)}.{photo.extension}", ContentFile(photo.data))
            rewritten += 1
        else:
            removed += 1
        type(user).objects.filter(pk=user.pk).update(photo=new)
        with contextlib.suppress(OSError):
            default_storage.delete(old)
    return rewritten, removed


# --- the file ends where the image ends -------------------------------------------------------


def ends_where_the_image_ends(kind: str, data: bytes) -> bool:
    """Whether ``data`` is one well-formed file of ``kind`` with nothing after its end.

    A JPEG may be followed by further complete JPEG images (cameras and phones append depth
    and gain maps that way, the Multi-Picture Format); anything else after the end is refused.
    """
    try:
        if kind == "PNG":
            return _png_end(data) == len(data)
        if kind == "GIF":
            return _gif_end(data) == len(data)
        if kind == "WEBP":
            return _webp_end(data) == len(data)
        if kind == "JPEG":
            end = _jpeg_end(data, 0)
            while end < len(data):
                end = _jpeg_end(data, end)
            return end == len(data)
    except (IndexError, ValueError, struct.error):
        return False
    return False


def _png_end(data: bytes) -> int:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    at = 8
    while True:
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        at += 12 + length  # length, type, data, CRC
        if at > len(data):
            raise ValueError("chunk runs past the end")
        if kind == b"IEND":
            return at


def _gif_sub_blocks(data: bytes, at: int) -> int:
    while True:
        size = data[at]
        at += 1 + size
        if size == 0:
            return at


def _gif_end(data: bytes) -> int:
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    flags = data[10]
    at = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while True:
        block = data[at]
        if block == 0x3B:  # trailer
            return at + 1
        if block == 0x21:  # extension: label, then sub-blocks
            at = _gif_sub_blocks(data, at + 2)
        elif block == 0x2C:  # image: descriptor, local colour table, LZW size, sub-blocks
            flags = data[at + 9]
            at += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
            at = _gif_sub_blocks(data, at + 1)
        else:
            raise ValueError("unknown GIF block")
        if at > len(data):
            raise ValueError("block runs past the end")


def _webp_end(data: bytes) -> int:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    size = struct.unpack("<I", data[4:8])[0]
    return 8 + size


def _jpeg_end(data: bytes, at: int) -> int:
    if data[at:at + 2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    at += 2
    while True:
        if data[at] != 0xFF:
            raise ValueError("expected a marker")
        while data[at] == 0xFF:  # fill bytes
            at += 1
        marker = data[at]
        at += 1
        if marker == 0xD9:  # end of image
            return at
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            continue
        length = struct.unpack(">H", data[at:at + 2])[0]
        if length < 2:
            raise ValueError("bad segment length")
        at += length
        if at > len(data):
            raise ValueError("segment runs past the end")
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            while True:
                at = data.index(b"\xff", at)
                following = data[at + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    at += 1 if following == 0xFF else 2
                    continue
                break
