"""Images, read by Pillow: an image is accepted only once Pillow has read it, and its thumbnail
is made at upload.

Decompression bombs (a few kilobytes declaring billions of pixels) are refused from the header,
before any pixel is decoded; Pillow's own bomb check stands behind ours. (`warnings` filters are
not thread-safe, so Pillow's DecompressionBombWarning is left as a warning: between its limit and
twice it, our lower limit has refused the image already.)
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from praxis.errors import Invalid, TooLarge
from praxis.i18n import N_
from praxis.media.sniff import GIF, JPEG, PNG, WEBP, FileType

MAX_PIXELS = 60_000_000  # a 60-megapixel photo decodes to about 180 MB of memory
THUMBNAIL_WIDTH = 480
THUMBNAIL_MAX_HEIGHT = 960
THUMBNAIL_MEDIA_TYPE = "image/webp"

_PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WEBP"}
_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError)


@dataclass(frozen=True)
class ImageInfo:
    width: int  # as shown, EXIF orientation applied
    height: int
    thumbnail: bytes  # WebP, at most THUMBNAIL_WIDTH wide


def read_image(path: Path, kind: FileType) -> ImageInfo:
    """Read the image of type `kind` at `path`: its size as shown and its thumbnail.

    `TooLarge` for too many pixels, `Invalid` for bytes that begin like an image but that
    Pillow cannot read.
    """
    fmt = _PILLOW_FORMATS[kind]
    try:
        # Opening reads the header only; Pillow itself refuses twice its MAX_IMAGE_PIXELS, and
        # ours, lower, refuses the rest before anything is decoded.
        with Image.open(path, formats=[fmt]) as img:
            _check_pixels(*img.size)
            img.verify()
        with Image.open(path, formats=[fmt]) as img:
            return _thumbnail(img)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except UNREADABLE:
        raise unreadable(kind) from None


def unreadable(kind: FileType) -> Invalid:
    return Invalid(
        f"This file begins like a {kind.format} image but cannot be read: it may be incomplete or damaged.",
        field="file",
        text=N_(
            "Ce fichier commence comme une image %(format)s mais ne peut pas être lu : il est peut-être incomplet ou abîmé."
        ),
        params={"format": kind.format},
    )


def _check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ValueError("empty image")
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)


def _too_many_pixels(width: int | None = None, height: int | None = None) -> TooLarge:
    size = f" ({width} × {height} pixels)" if width and height else ""
    return TooLarge(
        f"This image is too large{size}: an image may have at most {MAX_PIXELS // 1_000_000} million pixels.",
        field="file",
        text=N_(
            "Cette image est trop grande%(size)s : une image peut compter au plus %(millions)s millions de pixels."
        ),
        params={"size": size, "millions": MAX_PIXELS // 1_000_000},
    )


def _thumbnail(img: Image.Image) -> ImageInfo:
    orientation = img.getexif().get(0x0112, 1)
    rotated = orientation in _ROTATED
    width, height = (img.height, img.width) if rotated else img.size
    box = (THUMBNAIL_MAX_HEIGHT, THUMBNAIL_WIDTH) if rotated else (THUMBNAIL_WIDTH, THUMBNAIL_MAX_HEIGHT)
    img.seek(0)  # an animation is shown by its first frame
    img.thumbnail(box)  # decodes a JPEG at a reduced scale: the full image is never in memory
    small = ImageOps.exif_transpose(img)
    has_alpha = small.mode in ("RGBA", "LA", "PA") or (small.mode == "P" and "transparency" in small.info)
    small = small.convert("RGBA" if has_alpha else "RGB")
    out = io.BytesIO()
    small.save(out, format="WEBP", quality=80, method=4)
    return ImageInfo(width=width, height=height, thumbnail=out.getvalue())
