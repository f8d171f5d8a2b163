"""What a file is, from its bytes alone: the name it came with is never trusted.

`detect(path)` answers with one of the accepted `FileType`s or raises `UnsupportedType` naming
what the bytes look like. Images are only taken for images once Pillow has read them (see
`praxis.media.images`); zip containers are OpenDocument or Office files only when their inner
`mimetype` or `[Content_Types].xml` says so; text must be valid UTF-8 and not markup (HTML
carries scripts), except an SVG drawing, which is accepted to be sanitised (`praxis.media.svg`).
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from praxis.errors import Invalid, UnsupportedType
from praxis.i18n import N_

HEAD = 4096  # bytes read to recognise a format


@dataclass(frozen=True)
class FileType:
    """An accepted type: how it is served (`media_type`), shown (`kind`, `format`) and named."""

    media_type: str
    kind: str  # image | pdf | document | text | audio | video
    format: str  # short, language-neutral name: "PNG", "ODT", "Opus"
    extensions: tuple[str, ...]  # the first one is given to files that came with another

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def inline(self) -> bool:
        """Shown in the browser (images, PDF, audio, video) rather than downloaded."""
        return self.kind in ("image", "pdf", "audio", "video")


def _t(media_type: str, kind: str, fmt: str, *extensions: str) -> FileType:
    return FileType(media_type, kind, fmt, extensions)


PNG = _t("image/png", "image", "PNG", "png")
JPEG = _t("image/jpeg", "image", "JPEG", "jpg", "jpeg", "jpe")
GIF = _t("image/gif", "image", "GIF", "gif")
WEBP = _t("image/webp", "image", "WebP", "webp")
SVG = _t("image/svg+xml", "image", "SVG", "svg")  # kept once sanitised (praxis.media.svg)
PDF = _t("application/pdf", "pdf", "PDF", "pdf")
ODT = _t("application/vnd.oasis.opendocument.text", "document", "ODT", "odt")
ODS = _t("application/vnd.oasis.opendocument.spreadsheet", "document", "ODS", "ods")
ODP = _t("application/vnd.oasis.opendocument.presentation", "document", "ODP", "odp")
DOCX = _t("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document", "DOCX", "docx")
XLSX = _t("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document", "XLSX", "xlsx")
PPTX = _t("application/vnd.openxmlformats-officedocument.presentationml.presentation", "document", "PPTX", "pptx")
TEXT = _t("text/plain", "text", "TXT", "txt", "text")
MARKDOWN = _t("text/markdown", "text", "Markdown", "md", "markdown")
CSV = _t("text/csv", "text", "CSV", "csv")
MP3 = _t("audio/mpeg", "audio", "MP3", "mp3")
OGG_AUDIO = _t("audio/ogg", "audio", "Ogg", "ogg", "oga")
OPUS = _t("audio/ogg", "audio", "Opus", "opus", "ogg", "oga")
WAV = _t("audio/wav", "audio", "WAV", "wav")
FLAC = _t("audio/flac", "audio", "FLAC", "flac")
M4A = _t("audio/mp4", "audio", "M4A", "m4a")
MP4 = _t("video/mp4", "video", "MP4", "mp4", "m4v")
WEBM = _t("video/webm", "video", "WebM", "webm")
OGV = _t("video/ogg", "video", "Ogg", "ogv")

ACCEPTED = (
    PNG,
    JPEG,
    GIF,
    WEBP,
    SVG,
    PDF,
    ODT,
    ODS,
    ODP,
    DOCX,
    XLSX,
    PPTX,
    TEXT,
    MARKDOWN,
    CSV,
    MP3,
    OGG_AUDIO,
    OPUS,
    WAV,
    FLAC,
    M4A,
    MP4,
    WEBM,
    OGV,
)
IMAGES = (PNG, JPEG, GIF, WEBP)  # the images Pillow reads (an SVG is drawn by the browser)
# What a file field offers to choose: the extensions of the accepted types, each once.
ACCEPTED_EXTENSIONS = tuple(dict.fromkeys(f".{extension}" for kind in ACCEPTED for extension in kind.extensions))

ACCEPTED_SUMMARY = N_(
    "images PNG, JPEG, GIF, WebP et SVG ; PDF ; documents OpenDocument (ODT, ODS, ODP) et Office (DOCX, XLSX, PPTX) ; "
    "texte, Markdown et CSV en UTF-8 ; audio MP3, Ogg, Opus, WAV, FLAC et M4A ; vidéo MP4, WebM et Ogg"
)

_ODF = {ODT.media_type: ODT, ODS.media_type: ODS, ODP.media_type: ODP}
_OOXML = {
    "wordprocessingml.document.main+xml": DOCX,
    "spreadsheetml.sheet.main+xml": XLSX,
    "presentationml.presentation.main+xml": PPTX,
}
_OOXML_MAIN = re.compile(
    rb'ContentType="application/vnd\.openxmlformats-officedocument\.([a-z]+ml\.[a-z]+\.main\+xml)"'
)
_SMALL_ENTRY = 1_000_000  # a zip's `mimetype` or `[Content_Types].xml` is a few kilobytes


def stored_type(media_type: str, name: str) -> FileType:
    """The accepted type a stored file was found to be, from its media type and the extension
    it was given (Ogg Vorbis and Opus share a media type)."""
    extension = name.rsplit(".", 1)[-1].lower()
    candidates = [t for t in ACCEPTED if t.media_type == media_type]
    for candidate in candidates:
        if extension == candidate.extension:
            return candidate
    return candidates[0] if candidates else FileType(media_type, "document", "?", (extension,))


def refuse(label: str, media_type: str) -> UnsupportedType:
    return UnsupportedType(
        f"This type of file is not accepted ({media_type}).",
        text=N_("Ce type de fichier n'est pas accepté : %(label)s (%(type)s). Sont acceptés : %(accepted)s."),
        params={"label": label, "type": media_type, "accepted": ACCEPTED_SUMMARY},
        labels=("label", "accepted"),
        media_type=media_type,
    )


# Formats that are recognised in order to be refused by name: (magic at offset 0, label, media type).
_REFUSED_MAGIC = (
    (b"\x7fELF", N_("programme exécutable"), "application/x-executable"),
    (b"MZ", N_("programme exécutable"), "application/vnd.microsoft.portable-executable"),
    (b"\xca\xfe\xba\xbe", N_("programme exécutable"), "application/java-vm"),
    (b"\xcf\xfa\xed\xfe", N_("programme exécutable"), "application/x-mach-binary"),
    (b"\x00asm", N_("programme WebAssembly"), "application/wasm"),
    (b"#!", N_("script"), "text/x-shellscript"),
    (b"7z\xbc\xaf\x27\x1c", N_("archive 7-Zip"), "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", N_("archive RAR"), "application/vnd.rar"),
    (b"\x1f\x8b", N_("archive gzip"), "application/gzip"),
    (b"BZh", N_("archive bzip2"), "application/x-bzip2"),
    (b"\xfd7zXZ\x00", N_("archive xz"), "application/x-xz"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        N_("document Office d'ancien format (doc, xls, ppt)"),
        "application/x-ole-storage",
    ),
    (b"{\\rtf", N_("document RTF"), "application/rtf"),
    (b"%!PS", N_("document PostScript"), "application/postscript"),
    (b"SQLite format 3\x00", N_("base de données SQLite"), "application/vnd.sqlite3"),
    (b"BM", N_("image BMP"), "image/bmp"),
    (b"II*\x00", N_("image TIFF"), "image/tiff"),
    (b"MM\x00*", N_("image TIFF"), "image/tiff"),
    (b"\x00\x00\x01\x00", N_("icône"), "image/vnd.microsoft.icon"),
    (b"8BPS", N_("image Photoshop"), "image/vnd.adobe.photoshop"),
    (b"MThd", N_("fichier MIDI"), "audio/midi"),
)


def detect(path: Path, name: str = "") -> FileType:
    """The accepted type of the file at `path`, or `UnsupportedType` naming what it is.

    `name` is the name it came with; it only chooses between text types (a valid UTF-8 file
    named `.md` is Markdown, `.csv` is CSV, anything else plain text).
    """
    with path.open("rb") as fh:
        head = fh.read(HEAD)
    if not head:
        raise Invalid("The file is empty.", field="file", text=N_("Le fichier est vide."))
    found = _binary(head, path) or _text(path, head, name)
    if found is not None:
        return found
    # Not text: name what it is, when it is something well known.
    if head.startswith(b"\x1f\x8b") and _gzipped_svg(head):
        raise UnsupportedType(
            "This type of file is not accepted (compressed SVG, svgz): save the drawing as plain SVG, uncompressed.",
            text=N_(
                "Les dessins SVG compressés (svgz) ne sont pas acceptés : enregistrez le dessin en SVG simple, "
                "non compressé, puis envoyez-le."
            ),
            media_type="application/gzip",
        )
    for magic, label, media_type in _REFUSED_MAGIC:
        if head.startswith(magic):
            raise refuse(label, media_type)
    raise refuse(N_("données binaires d'un type inconnu"), "application/octet-stream")


def _binary(head: bytes, path: Path) -> FileType | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        raise refuse(N_("vidéo AVI"), "video/x-msvideo")
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip(path)
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"OggS"):
        return _ogg(head)
    if head.startswith(b"ID3") or _mp3_frame(head):
        return MP3
    if head[4:8] == b"ftyp":
        return _iso_media(head[8:12])
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM, or Matroska
        if b"webm" in head[:64]:
            return WEBM
        raise refuse(N_("vidéo Matroska"), "video/x-matroska")
    return None


def _gzipped_svg(head: bytes) -> bool:
    """Whether the gzip stream that begins with `head` holds an SVG drawing (an .svgz)."""
    try:
        inner = zlib.decompressobj(wbits=31).decompress(head, HEAD)
    except zlib.error:
        return False
    return b"<svg" in inner.lower()


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio layer III frame header (files without an ID3 tag start with one)."""
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] >> 1) & 0x03 == 0x01


def _ogg(head: bytes) -> FileType:
    # The first page holds the first packet of the first stream, which names its codec.
    packet = head[28:40]
    if packet.startswith(b"OpusHead"):
        return OPUS
    if packet.startswith(b"\x80theora"):
        return OGV
    return OGG_AUDIO  # Vorbis, FLAC in Ogg, Speex


def _iso_media(brand: bytes) -> FileType:
    if brand in (b"M4A ", b"M4B ", b"M4P "):
        return M4A
    if brand == b"qt  ":
        raise refuse(N_("vidéo QuickTime"), "video/quicktime")
    if brand.startswith(b"3g"):
        raise refuse(N_("vidéo 3GPP"), "video/3gpp")
    if brand in (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif", b"avis"):
        raise refuse(N_("image HEIF ou AVIF"), "image/heif")
    return MP4


def _zip(path: Path) -> FileType:
    """OpenDocument and Office files are zip containers that say what they hold."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = _small_entry(archive, "mimetype").strip().decode("ascii", "replace")
                if declared in _ODF and "content.xml" in names:
                    return _ODF[declared]
                if declared == "application/epub+zip":
                    raise refuse(N_("livre numérique EPUB"), declared)
            if "[Content_Types].xml" in names:
                types = _small_entry(archive, "[Content_Types].xml")
                if b"macroEnabled" in types:
                    raise refuse(N_("document Office avec macros"), "application/vnd.ms-office.macroEnabled")
                found = _OOXML_MAIN.search(types)
                if found and found.group(1).decode() in _OOXML:
                    return _OOXML[found.group(1).decode()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, RuntimeError, NotImplementedError):
        pass  # an unreadable container is an archive like any other
    raise refuse(N_("archive ZIP"), "application/zip")


def _small_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > _SMALL_ENTRY:
        return b""
    with archive.open(name) as fh:
        return fh.read(_SMALL_ENTRY)


_MARKUP = re.compile(r"<\s*([!?]|[a-z])", re.IGNORECASE)
# What may come before a document's root element: the XML declaration, comments, a DOCTYPE (with
# its internal subset), processing instructions.
_PROLOG = re.compile(r"(?:\s|<\?.*?\?>|<!--.*?-->|<!doctype(?:[^\[>]|\[.*?\])*>)*", re.IGNORECASE | re.DOTALL)
_SVG_ROOT = re.compile(r"<(?:[\w.-]+:)?svg[\s/>]")
_SVG_DOCTYPE = re.compile(r"<!doctype\s+(?:[\w.-]+:)?svg[\s\[>]", re.IGNORECASE)
_HTML_START = re.compile(r"<\s*(!doctype\s+html|html|head|body|script|iframe|meta|title|div|p|a)\b", re.IGNORECASE)
# C0 controls other than tab, line feed, form feed and carriage return; DEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _text(path: Path, head: bytes, name: str) -> FileType | None:
    """Valid UTF-8 without control characters nor leading markup: text, Markdown or CSV.
    None when the bytes are not text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 16):
                if _CONTROL.search(decoder.decode(chunk)):
                    return None
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    start = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n\f")
    if _MARKUP.match(start):
        prolog = _PROLOG.match(start)
        if _SVG_ROOT.match(start, prolog.end() if prolog else 0) or _SVG_DOCTYPE.search(start):
            return SVG  # (a DTD is refused by the sanitiser, which says why)
        lowered = start.lower()
        if _HTML_START.match(start) or "<html" in lowered:
            raise refuse(N_("page HTML"), "text/html")
        if "<svg" in lowered:  # behind a prolog longer than the head read: the sanitiser will say what it is
            return SVG
        raise refuse(N_("document XML ou HTML"), "application/xml")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in MARKDOWN.extensions:
        return MARKDOWN
    if extension in CSV.extensions:
        return CSV
    return TEXT
