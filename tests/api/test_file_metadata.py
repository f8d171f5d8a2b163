"""Images lose their personal metadata at upload: a phone's photo attached to a public note does
not tell the web where it was taken, with what, or by whom; its orientation is applied."""

from __future__ import annotations

import io
import secrets

import pytest
from PIL import Image, ImageCms, PngImagePlugin
from typer.testing import CliRunner

from praxis import cli
from praxis.media import images, sniff
from praxis.models import Attachment
from praxis.media import attachments
from tests.conftest import one_database
from tests.factories import make_note, make_user, page_text, sign_in, token_for

SITE = "https://praxis.example.org"
WHERE = (45.0, 30.0, 12.5)  # 45° 30′ 12.5″ N: the position the served file must not tell


def _exif(orientation: int = 1) -> Image.Exif:
    """What a phone writes: the orientation, the device, its owner, and where the photo was taken."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Téléphone"  # Make
    exif[0x013B] = "Alice Rivard"  # Artist
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: WHERE, 3: "W", 4: (73.0, 34.0, 1.0)})
    return exif


def _picture() -> Image.Image:
    """40 × 20 pixels: blue on the left half, red on the right (so a turn shows)."""
    img = Image.new("RGB", (40, 20), (220, 20, 20))
    img.paste((20, 20, 220), (0, 0, 20, 20))
    return img


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description photoshop:City="Rimouski"/></x:xmpmeta>'


def _photo(fmt: str, orientation: int = 1) -> bytes:
    out = io.BytesIO()
    options: dict[str, object] = {"exif": _exif(orientation)}
    if fmt == "JPEG":
        options |= {"comment": b"Alice Rivard", "xmp": XMP}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Alice Rivard")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options["pnginfo"] = text
    if fmt == "WEBP":
        options["xmp"] = XMP
    _picture().save(out, fmt, **options)
    data = out.getvalue()
    assert b"Alice Rivard" in data or fmt == "WEBP"  # the sample does carry what must go
    return data


@pytest.fixture
def alice(session):  # type: ignore[no-untyped-def]
    return make_user(session, "alice", name="Alice Rivard")


@pytest.fixture
def note(session, alice):  # type: ignore[no-untyped-def]
    return make_note(session, alice, title="Carnet de terrain")


def _served(client, note, name: str, data: bytes) -> tuple[dict, bytes]:  # type: ignore[no-untyped-def]
    auth = token_for(client, "alice")
    response = client.post(f"/api/v1/notes/{note.id}/files", files={"file": (name, data)}, headers=auth)
    assert response.status_code == 201, response.text
    body = response.json()
    served = client.get(body["url"].removeprefix(SITE))
    assert served.status_code == 200
    return body, served.content


def _no_personal_metadata(data: bytes) -> None:
    shown = Image.open(io.BytesIO(data))
    shown.load()
    assert dict(shown.getexif()) == {}
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "Author"} & set(shown.info)
    for telling in (b"Exif", b"Alice Rivard", b"Rimouski", "Téléphone".encode(), b"GPS"):
        assert telling not in data


@one_database
def test_a_phone_photo_loses_its_position_and_is_turned_as_its_orientation_said(client, note, alice):
    sent = _photo("JPEG", orientation=6)  # "turn a quarter clockwise to show"
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)[2] == WHERE
    body, data = _served(client, note, "photo.jpg", sent)
    _no_personal_metadata(data)
    shown = Image.open(io.BytesIO(data)).convert("RGB")
    # Turned: the blue left half is now the top half, in pixels, with no tag left to say so.
    assert shown.size == (20, 40) and (body["width"], body["height"]) == (20, 40)
    top, bottom = shown.getpixel((10, 5)), shown.getpixel((10, 35))
    assert top[2] > 150 and top[0] < 100, top
    assert bottom[0] > 150 and bottom[2] < 100, bottom
    assert body["size"] == len(data)


@one_database
@pytest.mark.parametrize(("fmt", "name"), [("PNG", "plan.png"), ("WEBP", "plan.webp"), ("JPEG", "plan.jpg")])
def test_every_image_type_loses_its_exif_xmp_and_text(client, note, alice, fmt, name):
    body, data = _served(client, note, name, _photo(fmt))
    _no_personal_metadata(data)
    shown = Image.open(io.BytesIO(data)).convert("RGB")
    assert shown.size == (40, 20) and shown.getpixel((5, 10))[2] > 150  # not turned: nothing said to


@one_database
def test_a_png_turned_by_its_exif_is_turned_without_loss(client, note, alice):
    body, data = _served(client, note, "plan.png", _photo("PNG", orientation=8))  # a quarter anticlockwise
    _no_personal_metadata(data)
    shown = Image.open(io.BytesIO(data)).convert("RGB")
    assert shown.size == (20, 40) and shown.tobytes() == _picture().transpose(Image.Transpose.ROTATE_90).tobytes()


@one_database
def test_a_gif_loses_its_comments_and_keeps_its_frames_and_loop(client, note, alice):
    frames = [Image.new("RGB", (30, 30), colour) for colour in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100, comment=b"Alice Rivard")
    _, data = _served(client, note, "anim.gif", out.getvalue())
    shown = Image.open(io.BytesIO(data))
    assert b"Alice Rivard" not in data and "comment" not in shown.info
    assert shown.n_frames == 3 and shown.info["loop"] == 0


@one_database
def test_an_image_without_personal_metadata_keeps_its_bytes(client, note, alice):
    out = io.BytesIO()
    _picture().save(out, "JPEG", quality=95)
    _, data = _served(client, note, "propre.jpg", out.getvalue())
    assert data == out.getvalue()


@one_database
def test_the_colour_profile_stays(client, note, alice):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    _picture().save(out, "JPEG", exif=_exif(6), icc_profile=icc)
    _, data = _served(client, note, "profil.jpg", out.getvalue())
    _no_personal_metadata(data)
    assert Image.open(io.BytesIO(data)).info["icc_profile"] == icc


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fr", "Les métadonnées des images (lieu de la prise de vue, appareil, auteur) sont retirées à l'envoi"),
        ("en", "Image metadata (where the picture was taken, the device, the author) is removed on upload"),
    ],
)
@one_database
def test_the_upload_form_says_image_metadata_is_removed(client, note, alice, lang, said):
    sign_in(client, "alice")
    assert said in page_text(client.get(f"/n/{note.id}/edit?lang={lang}").text)


def _attached_before(app, session, note, alice, data: bytes):  # type: ignore[no-untyped-def]
    """A photo as uploads kept it before they removed metadata: its bytes as they were sent."""
    store = app.state.files
    received = store.receive(io.BytesIO(data))
    store.keep(received)
    picture = images.read_image(store.blob_path(received.sha256), sniff.JPEG)
    store.write_thumbnail(received.sha256, picture.thumbnail)
    row = Attachment(
        id=secrets.token_urlsafe(9),
        note_id=note.id,
        sha256=received.sha256,
        name="photo.jpg",
        media_type="image/jpeg",
        size=received.size,
        width=picture.width,
        height=picture.height,
        has_thumbnail=True,
        uploaded_by_id=alice.id,
    )
    session.add(row)
    session.commit()
    return attachments.file_path(note.id, row.id, row.name), received.sha256


def test_images_stored_before_lose_their_metadata_with_one_command(app, client, session, settings, note, alice):
    other = make_note(session, alice, title="Autre relevé")
    sent = _photo("JPEG", orientation=6)
    first, old = _attached_before(app, session, note, alice, sent)
    second, _ = _attached_before(app, session, other, alice, sent)  # the same bytes: one blob
    assert b"Alice Rivard" in client.get(first).content
    env = {
        "PRAXIS_DATA_DIR": str(settings.data_dir),
        "PRAXIS_DATABASE_URL": settings.database_url,
        "PRAXIS_SECRET_KEY": "x",
        "PRAXIS_CONTENT_DIR": str(settings.data_dir / "none"),
    }
    done = CliRunner().invoke(cli.app, ["strip-metadata"], env=env, catch_exceptions=False)
    assert done.exit_code == 0 and "1 image(s) read, 1 cleaned, 0 left as they were" in done.stdout, done.output
    for path in (first, second):
        served = client.get(path)
        _no_personal_metadata(served.content)
        assert Image.open(io.BytesIO(served.content)).size == (20, 40)  # turned as the camera said
        assert served.headers["etag"] != f'"{old}"'  # caches take the new bytes
        assert client.get(path.rsplit("/", 1)[0] + "/thumb").status_code == 200
    assert not app.state.files.blob_path(old).exists()
    again = CliRunner().invoke(cli.app, ["strip-metadata"], env=env, catch_exceptions=False)
    assert "1 image(s) read, 0 cleaned" in again.stdout
