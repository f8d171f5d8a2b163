"""Attached files in a real browser: shown in a sandbox of their own (never in the site's origin),
and still shown as they should: an image and a sound in the note page, each opened alone, and a
PDF in Chromium's viewer."""

from __future__ import annotations

import io
import wave

from PIL import Image

from praxis.schemas import NoteUpdate
from praxis.media import attachments
from praxis.notes import notes
from tests.conftest import one_database
from tests.factories import make_note, make_user

pytestmark = one_database  # where the browser shows a file (its origin, its headers): no SQL in it


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _wav() -> bytes:
    """A second of silence."""
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x00" * 8000)
    return out.getvalue()


def _pdf() -> bytes:
    """One page, all red (so its being shown is seen in a screenshot)."""
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (220, 20, 20)).save(out, "PDF")
    return out.getvalue()


def _until(page, expression: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until `expression` is true in the page. (Playwright's wait_for_function polls with an
    eval, which the pages' policy and the files' forbid.)"""
    for _ in range(150):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def _note_with_files(live_site, session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Relevés", visibility="public")
    files = {}
    for name, data in (("site.png", _png()), ("silence.wav", _wav()), ("plan.pdf", _pdf())):
        files[name] = attachments.attach(
            session=session,
            actor=alice,
            store=live_site.app.state.files,
            note_id=note.id,
            source=io.BytesIO(data),
            filename=name,
        )
    session.commit()
    body = f"{files['site.png'].markdown}\n\n{files['silence.wav'].markdown}\n\n{files['plan.pdf'].markdown}"
    notes.save_note(session=session, actor=alice, note_id=note.id, data=NoteUpdate(body=body, base_revision=1))
    session.commit()
    return note, files


def test_a_file_opened_alone_is_in_an_origin_of_its_own(live_site, browser, session):
    note, files = _note_with_files(live_site, session)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/")
    assert page.evaluate("window.origin") == live_site.url  # the note page is the site's
    # An image (or any document a file could be) is not the site: no cookie, no storage, no
    # same-origin request. (Not a PDF: Chromium draws it in its viewer, out of the page, where its
    # scripts never reach the site's origin. Nor a sound or a video, whose player needs the file's
    # origin: the policy keeps scripts out of it.)
    page.goto(live_site.url + files["site.png"].path)
    assert page.evaluate("window.origin") == "null"
    assert page.evaluate("() => { try { return document.cookie } catch (e) { return e.name } }") == "SecurityError"
    context.close()


def test_images_and_sounds_still_show_in_the_note_page_and_alone(live_site, browser, session):
    note, files = _note_with_files(live_site, session)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/")
    _until(page, "[...document.images].filter(i => i.src.includes('/files/')).every(i => i.complete)")
    shown = page.evaluate("[...document.images].filter(i => i.src.includes('/files/')).map(i => i.naturalWidth)")
    assert shown and all(width > 0 for width in shown), shown  # the picture in the text and its thumbnail
    _until(page, "document.querySelector('audio').readyState >= 1")
    assert page.evaluate("document.querySelector('audio').duration") == 1
    # Each opened alone: the browser's own page for an image and for a sound.
    page.goto(live_site.url + files["site.png"].path)
    _until(page, "document.images[0] && document.images[0].complete")
    assert page.evaluate("document.images[0].naturalWidth") == 120
    page.goto(live_site.url + files["silence.wav"].path)
    _until(page, "document.querySelector('video, audio') && document.querySelector('video, audio').readyState >= 1")
    context.close()


def test_a_pdf_still_opens_in_chromium_s_viewer(live_site, browser, session):
    note, files = _note_with_files(live_site, session)
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    page.goto(live_site.url + files["plan.pdf"].path)
    for _ in range(50):  # the viewer draws the page a moment after loading
        page.wait_for_timeout(200)
        shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        raw = shot.tobytes()
        red = sum(1 for i in range(0, len(raw), 3) if raw[i] > 180 and raw[i + 1] < 60 and raw[i + 2] < 60)
        if red > shot.width * shot.height // 10:
            break
    else:
        raise AssertionError("the PDF's red page was never drawn")
    context.close()


def test_an_svg_drawing_shows_in_the_note_page_and_alone_without_running_anything(live_site, browser, session):
    from tests.svg_corpus import HOSTILE, INKSCAPE

    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Logos", visibility="public")
    drawings = [
        attachments.attach(
            session=session,
            actor=alice,
            store=live_site.app.state.files,
            note_id=note.id,
            source=io.BytesIO(data),
            filename=name,
        )
        for name, data in (("logo.svg", INKSCAPE), ("piege.svg", HOSTILE["onload and onclick"]))
    ]
    session.commit()
    body = "\n\n".join(d.markdown for d in drawings)
    notes.save_note(session=session, actor=alice, note_id=note.id, data=NoteUpdate(body=body, base_revision=1))
    session.commit()
    context = browser.new_context()
    page = context.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_site.url}/n/{note.id}/")
    _until(page, "[...document.images].filter(i => i.src.includes('/files/')).every(i => i.complete)")
    shown = page.evaluate(
        "[...document.images].filter(i => i.src.includes('/files/')).map(i => [i.closest('.body') ? 'text' : 'list', i.naturalWidth])"
    )
    # Each drawing in the text and as its own thumbnail in the list of files.
    assert sorted(shown) == [["list", 120], ["list", 794], ["text", 120], ["text", 794]], shown
    # Opened alone: drawn, in an origin of its own, and what it held that would run is gone.
    page.goto(live_site.url + drawings[1].path)
    assert page.evaluate("document.documentElement.localName") == "svg"
    assert page.evaluate("window.origin") == "null"
    assert page.evaluate("document.getElementById('garde').getBoundingClientRect().width") == 50
    assert page.evaluate("document.documentElement.getAttribute('onload')") is None and alerts == []
    context.close()
