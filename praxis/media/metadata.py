"""Personal metadata taken out of images at upload.

A phone's photo says where it was taken (EXIF GPS), when, with which device (its serial number
too), and often who took it (XMP, IPTC, comments). A note shows its files to all its readers, the
whole web for a public one: none of that is kept. What stays is what the image needs to look
right: its pixels, its colour profile (ICC), its transparency and its animation. The EXIF
orientation goes with the rest, so it is applied to the pixels first.

An image that carries nothing to remove keeps its bytes. Otherwise PNG, WebP and GIF lose their
metadata chunks or blocks without being decoded; a JPEG (and an image whose orientation must be
applied) is encoded again, a JPEG with its own quantisation tables and chroma subsampling so that
it keeps its quality and about its size.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image, ImageOps, JpegImagePlugin

from praxis.media.sniff import GIF, JPEG, PNG, WEBP, FileType

_ORIENTATION = 0x0112


def without_metadata(path: Path, kind: FileType) -> bytes | None:
    """The image of type `kind` at `path` (already read by `images.read_image`) without its
    personal metadata, or None when it carries none. ValueError for bytes that do not parse."""
    data = path.read_bytes()
    if kind == JPEG:
        return _jpeg(path, data)
    if kind == PNG:
        return _unchanged(data, _png(path, data))
    if kind == WEBP:
        return _unchanged(data, _webp(path, data))
    if kind == GIF:
        return _unchanged(data, _gif(data))
    raise ValueError(f"not an image type: {kind.media_type}")


def _unchanged(data: bytes, cleaned: bytes) -> bytes | None:
    return None if cleaned == data else cleaned


def _oriented(img: Image.Image) -> Image.Image | None:
    """The image turned as its EXIF orientation says, or None when it is upright already."""
    if img.getexif().get(_ORIENTATION, 1) in (None, 1):
        return None
    img.load()
    turned = ImageOps.exif_transpose(img)
    turned.info = {}  # what is wanted is passed to save() explicitly; Pillow writes some of `info` by itself
    return turned


# --- JPEG ------------------------------------------------------------------------------------

# The APPn segments an image needs: JFIF (pixel density), the ICC profile, Adobe (colour transform).
_JPEG_KEPT = (("APP0", b"JFIF\x00"), ("APP2", b"ICC_PROFILE\x00"), ("APP14", b"Adobe"))


def _jpeg(path: Path, data: bytes) -> bytes | None:
    with Image.open(path, formats=["JPEG"]) as img:
        turned = _oriented(img)
        clean = (
            turned is None
            and isinstance(img, JpegImagePlugin.JpegImageFile)
            and img.format == "JPEG"  # an MPO carries more images, each with its EXIF
            and "comment" not in img.info
            and all(any(marker == m and body.startswith(p) for m, p in _JPEG_KEPT) for marker, body in img.applist)
            and data.rstrip(b"\x00").endswith(b"\xff\xd9")  # nothing appended after the image (Samsung's trailer)
        )
        if clean:
            return None
        img.seek(0)
        source: Image.Image = turned if turned is not None else img
        options: dict[str, object] = {"progressive": bool(img.info.get("progressive"))}
        if quantization := getattr(img, "quantization", None):
            options["qtables"] = quantization
        if (sampling := JpegImagePlugin.get_sampling(img)) != -1:
            options["subsampling"] = sampling
        if icc := img.info.get("icc_profile"):
            options["icc_profile"] = icc
        if dpi := img.info.get("dpi"):
            options["dpi"] = dpi
        if source is img:
            img.load()
            source = img.copy()
            source.info = {}
        out = io.BytesIO()
        source.save(out, "JPEG", **options)
        return out.getvalue()


# --- PNG -------------------------------------------------------------------------------------

# Ancillary chunks that change how the image looks (colour, transparency, density, animation);
# text (tEXt, zTXt, iTXt: XMP among them), eXIf, tIME and any private chunk go. Critical chunks
# (an upper-case first letter) all stay: without them the image is not the same image.
_PNG_KEPT = {
    b"tRNS",
    b"cHRM",
    b"gAMA",
    b"iCCP",
    b"sBIT",
    b"sRGB",
    b"cICP",
    b"mDCV",
    b"cLLI",
    b"bKGD",
    b"pHYs",
    b"acTL",
    b"fcTL",
    b"fdAT",
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png(path: Path, data: bytes) -> bytes:
    with Image.open(path, formats=["PNG"]) as img:
        img.load()  # an eXIf chunk may come after the pixels
        if not getattr(img, "is_animated", False) and (turned := _oriented(img)) is not None:
            options: dict[str, object] = {}
            for key in ("transparency", "icc_profile", "dpi"):
                if img.info.get(key) is not None:
                    options[key] = img.info[key]
            out = io.BytesIO()
            turned.save(out, "PNG", **options)
            return out.getvalue()
    kept, at = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while at < len(data):
        if at + 12 > len(data):
            raise ValueError("truncated PNG chunk")
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, end = data[at + 4 : at + 8], at + 12 + length
        if end > len(data):
            raise ValueError("truncated PNG chunk")
        if kind[:1].isupper() or kind in _PNG_KEPT:
            kept.append(data[at:end])
        at = end
        if kind == b"IEND":
            break
    return b"".join(kept)


# --- WebP ------------------------------------------------------------------------------------

_WEBP_KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def _webp(path: Path, data: bytes) -> bytes:
    chunks = _riff_chunks(data)
    with Image.open(path, formats=["WEBP"]) as img:
        if not getattr(img, "is_animated", False) and (turned := _oriented(img)) is not None:
            lossless = any(kind == b"VP8L" for kind, _ in chunks)
            options: dict[str, object] = {"lossless": True} if lossless else {"quality": 90}
            if icc := img.info.get("icc_profile"):
                options["icc_profile"] = icc
            out = io.BytesIO()
            turned.save(out, "WEBP", **options)
            return out.getvalue()
    body = bytearray(b"WEBP")
    for kind, payload in chunks:
        if kind not in _WEBP_KEPT:
            continue
        if kind == b"VP8X" and payload:
            payload = bytes([payload[0] & ~(_VP8X_EXIF | _VP8X_XMP)]) + payload[1:]
        body += kind + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) % 2 else b"")
    return b"RIFF" + struct.pack("<I", len(body)) + bytes(body)


def _riff_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP file")
    end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    chunks, at = [], 12
    while at + 8 <= end:
        kind, (length,) = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])
        if at + 8 + length > end:
            raise ValueError("truncated WebP chunk")
        chunks.append((kind, data[at + 8 : at + 8 + length]))
        at += 8 + length + (length % 2)
    return chunks


# --- GIF -------------------------------------------------------------------------------------

# Application extensions that change how the image plays or looks: looping, and the ICC profile.
# The others (XMP among them) and comments go.
_GIF_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012")


def _gif(data: bytes) -> bytes:
    at = 13
    if len(data) < at:
        raise ValueError("truncated GIF")
    if data[10] & 0x80:
        at += 3 * (2 << (data[10] & 0x07))  # the global colour table
    kept = [data[:at]]
    while at < len(data):
        block = data[at]
        if block == 0x3B:  # the trailer: whatever follows it is no part of the image
            kept.append(b"\x3b")
            return b"".join(kept)
        if block == 0x21:  # an extension: its label, then sub-blocks
            label, end = data[at + 1], _sub_blocks(data, at + 2)
            keep = label not in (0xFE, 0xFF) or (label == 0xFF and data[at + 3 : at + 14] in _GIF_APPLICATIONS)
        elif block == 0x2C:  # an image: its descriptor, its local colour table, then the pixels
            if at + 10 > len(data):
                raise ValueError("truncated GIF image")
            end = at + 10 + (3 * (2 << (data[at + 9] & 0x07)) if data[at + 9] & 0x80 else 0)
            end, keep = _sub_blocks(data, end + 1), True
        else:
            raise ValueError("unexpected GIF block")
        if keep:
            kept.append(data[at:end])
        at = end
    return b"".join([*kept, b"\x3b"])  # a GIF cut before its trailer, as browsers show it


def _sub_blocks(data: bytes, at: int) -> int:
    """Where the sub-blocks starting at `at` end (after their empty terminator)."""
    while True:
        if at >= len(data):
            raise ValueError("truncated GIF sub-blocks")
        size = data[at]
        at += 1 + size
        if size == 0:
            return at
