""" "Discuter de la note" on the note's page: the thread, its forms, and what is kept on error."""

from __future__ import annotations

import re
from html import unescape

from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text


def _discussion(html: str) -> str:
    start = html.index('<section id="discussion"')
    return html[start : html.index("</section>", start)]


def test_readers_comment_and_reply_from_the_page(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    browser = browser_for(app, session, bob)
    page = browser.get(f"/n/{note.id}/")
    assert "Discuter de la note (0)" in page_text(page.text) and "Personne n'a encore commenté cette note." in page.text
    sent = browser.post(
        f"/n/{note.id}/comments",
        data={
            "csrf_token": csrf_from(page.text, f"/n/{note.id}/comments"),
            "body": "Une *question* : comment démarrer?",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303 and re.fullmatch(rf"/n/{note.id}/#c-[\w-]+", sent.headers["location"])
    comment_id = sent.headers["location"].rsplit("#c-", 1)[1]
    author = browser_for(app, session, alice)
    page = author.get(f"/n/{note.id}/")
    thread = _discussion(page.text)
    assert (
        "Bob Tremblay" in thread and "<em>question</em>" in thread and "Discuter de la note (1)" in page_text(page.text)
    )
    assert f'action="/comments/{comment_id}/hide"' in thread and f'action="/comments/{comment_id}/delete"' not in thread
    replied = author.post(
        f"/n/{note.id}/comments",
        data={
            "csrf_token": csrf_from(page.text, f"/n/{note.id}/comments"),
            "body": "Commencez petit.",
            "parent_id": comment_id,
        },
    )
    assert replied.status_code == 200
    thread = _discussion(replied.text)
    assert 'class="comment depth-1 comment-visible"' in thread and thread.index("comment démarrer") < thread.index(
        "Commencez petit"
    )
    visitor = browser_for(app, session, None).get(f"/n/{note.id}/")
    assert "Connectez-vous pour participer à la discussion." in visitor.text and 'name="body"' not in _discussion(
        visitor.text
    )
    assert f'href="/n/{note.id}/discussion.atom"' in visitor.text
    listing = browser_for(app, session, None).get("/notes/")
    assert f'href="/n/{note.id}/#discussion">2 commentaires</a>' in listing.text


def test_a_refused_comment_comes_back_with_what_was_typed(app, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    browser = browser_for(app, session, alice)
    page = browser.get(f"/n/{note.id}/")
    token = csrf_from(page.text, f"/n/{note.id}/comments")
    too_long = "Long. " * 2000
    refused = browser.post(f"/n/{note.id}/comments", data={"csrf_token": token, "body": too_long})
    assert refused.status_code == 422 and "Ce texte est trop long." in refused.text
    assert too_long.strip() in unescape(refused.text)  # nothing typed is lost
    for i in range(10):
        browser.post(
            f"/n/{note.id}/comments", data={"csrf_token": token, "body": f"Message {i}"}, follow_redirects=False
        )
    limited = browser.post(f"/n/{note.id}/comments", data={"csrf_token": token, "body": "Encore un mot."})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert "Encore un mot." in limited.text
    assert "Trop de commentaires en peu de temps : réessayez plus tard." in unescape(limited.text)
    english = browser.post(f"/n/{note.id}/comments?lang=en", data={"csrf_token": token, "body": "One more word."})
    assert english.status_code == 429 and "Too many comments in a short time: try again later." in unescape(
        english.text
    )


def test_edit_delete_hide_restore_and_close_from_the_page(app, session):
    alice = make_user(session, "alice")
    bob = make_user(session, "bob", name="Bob Tremblay")
    root = make_user(session, "root", admin=True)
    note = make_note(session, alice)
    writer = browser_for(app, session, bob)
    page = writer.get(f"/n/{note.id}/")
    location = writer.post(
        f"/n/{note.id}/comments",
        data={"csrf_token": csrf_from(page.text, f"/n/{note.id}/comments"), "body": "Premier jet."},
        follow_redirects=False,
    ).headers["location"]
    comment_id = location.rsplit("#c-", 1)[1]
    form = writer.get(f"/comments/{comment_id}/edit")
    assert form.status_code == 200 and "Premier jet." in form.text
    writer.post(f"/comments/{comment_id}/edit", data={"csrf_token": csrf_from(form.text), "body": "Version revue."})
    thread = _discussion(writer.get(f"/n/{note.id}/").text)
    assert (
        "Version revue." in thread
        and "modifié le" in thread
        and "1 version antérieure" in thread
        and "Premier jet." in thread
    )
    assert browser_for(app, session, alice).get(f"/comments/{comment_id}/edit").status_code == 403
    moderator = browser_for(app, session, alice)
    page = moderator.get(f"/n/{note.id}/")
    moderator.post(
        f"/comments/{comment_id}/hide",
        data={"csrf_token": csrf_from(page.text, f"/comments/{comment_id}/hide"), "reason": "Hors sujet"},
    )
    seen_by_visitor = _discussion(browser_for(app, session, None).get(f"/n/{note.id}/").text)
    assert (
        "Commentaire masqué — raison : Hors sujet" in page_text(seen_by_visitor)
        and "Version revue." not in seen_by_visitor
    )
    admin = browser_for(app, session, root)
    page = admin.get(f"/n/{note.id}/")
    admin.post(
        f"/comments/{comment_id}/restore", data={"csrf_token": csrf_from(page.text, f"/comments/{comment_id}/restore")}
    )
    assert "Version revue." in _discussion(browser_for(app, session, None).get(f"/n/{note.id}/").text)
    page = moderator.get(f"/n/{note.id}/")
    moderator.post(
        f"/n/{note.id}/discussion", data={"csrf_token": csrf_from(page.text, f"/n/{note.id}/discussion"), "closed": "1"}
    )
    closed = writer.get(f"/n/{note.id}/")
    assert "La discussion est fermée" in closed.text and f'action="/n/{note.id}/comments"' not in closed.text
    page = writer.get(f"/n/{note.id}/")
    writer.post(
        f"/comments/{comment_id}/delete", data={"csrf_token": csrf_from(page.text, f"/comments/{comment_id}/delete")}
    )
    assert "Version revue." not in writer.get(f"/n/{note.id}/").text


def test_an_empty_edit_of_someone_elses_comment_is_refused_not_offered(app, session):
    """A refused edit shows the edit form again only to whoever may change the comment: anyone
    else is refused as the edit page refuses them, not offered a form its service refuses."""
    alice = make_user(session, "alice")
    bob = make_user(session, "bob")
    carole = make_user(session, "carole")
    note = make_note(session, alice)
    writer = browser_for(app, session, bob)
    page = writer.get(f"/n/{note.id}/")
    location = writer.post(
        f"/n/{note.id}/comments",
        data={"csrf_token": csrf_from(page.text, f"/n/{note.id}/comments"), "body": "Premier jet."},
        follow_redirects=False,
    ).headers["location"]
    comment_id = location.rsplit("#c-", 1)[1]
    other = browser_for(app, session, carole)
    page = other.get(f"/n/{note.id}/")
    empty = other.post(f"/comments/{comment_id}/edit", data={"csrf_token": csrf_from(page.text), "body": ""})
    assert empty.status_code == 403 and f'action="/comments/{comment_id}/edit"' not in empty.text
    # Its author still gets the form back, with what was wrong.
    form = writer.get(f"/comments/{comment_id}/edit")
    again = writer.post(f"/comments/{comment_id}/edit", data={"csrf_token": csrf_from(form.text), "body": ""})
    assert again.status_code == 422 and f'action="/comments/{comment_id}/edit"' in again.text


@one_database
def test_hostile_comments_staypage_text(app, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    browser = browser_for(app, session, alice)
    page = browser.get(f"/n/{note.id}/")
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>[x](javascript:alert(3))"
    browser.post(
        f"/n/{note.id}/comments", data={"csrf_token": csrf_from(page.text, f"/n/{note.id}/comments"), "body": payload}
    )
    thread = _discussion(browser.get(f"/n/{note.id}/").text)
    assert "<script" not in thread and "<img" not in thread and 'href="javascript' not in thread
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in thread  # shown as the text it is


def _comment(browser, note_id: str, body: str, parent_id: str = ""):  # type: ignore[no-untyped-def]
    page = browser.get(f"/n/{note_id}/")
    data = {"csrf_token": csrf_from(page.text, f"/n/{note_id}/comments"), "body": body} | (
        {"parent_id": parent_id} if parent_id else {}
    )
    return browser.post(f"/n/{note_id}/comments", data=data, follow_redirects=False)


def _hide(browser, comment_id: str, note_id: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.get(f"/n/{note_id}/")
    hidden = browser.post(
        f"/comments/{comment_id}/hide",
        data={"csrf_token": csrf_from(page.text, f"/comments/{comment_id}/hide"), "reason": "Publicité"},
        follow_redirects=False,
    )
    assert hidden.status_code == 303


def test_a_hidden_comment_is_not_counted_in_the_list_of_notes(app, session):
    alice = make_user(session, "alice")
    bob = make_user(session, "bob")
    note = make_note(session, alice, title="Chantier")
    writer = browser_for(app, session, bob)
    _comment(writer, note.id, "Un avis.")
    spam = _comment(writer, note.id, "Achetez maintenant!").headers["location"].rsplit("#c-", 1)[1]
    visitor = browser_for(app, session, None)
    assert f'href="/n/{note.id}/#discussion">2 commentaires</a>' in visitor.get("/notes/").text
    _hide(browser_for(app, session, alice), spam, note.id)
    home = visitor.get("/notes/").text
    assert f'href="/n/{note.id}/#discussion">1 commentaire</a>' in home and "2 commentaires" not in home


def test_a_reply_to_a_comment_hidden_meanwhile_is_refused_with_what_was_typed(app, session):
    alice = make_user(session, "alice")
    bob = make_user(session, "bob")
    carole = make_user(session, "carole")
    note = make_note(session, alice, title="Chantier")
    spam = (
        _comment(browser_for(app, session, bob), note.id, "Achetez maintenant!").headers["location"].rsplit("#c-", 1)[1]
    )
    replier = browser_for(app, session, carole)
    page = replier.get(f"/n/{note.id}/")  # read before the comment was hidden: its reply form is there
    assert f'<input type="hidden" name="parent_id" value="{spam}">' in page.text
    _hide(browser_for(app, session, alice), spam, note.id)
    refused = replier.post(
        f"/n/{note.id}/comments",
        data={
            "csrf_token": csrf_from(page.text, f"/n/{note.id}/comments"),
            "body": "Je réponds quand même.",
            "parent_id": spam,
        },
    )
    assert refused.status_code == 409
    thread = _discussion(refused.text)
    assert "Ce commentaire a été masqué : on ne peut plus y répondre." in unescape(thread)
    assert "Je réponds quand même." in unescape(thread)  # nothing typed is lost
    assert "Je réponds quand même." not in _discussion(browser_for(app, session, alice).get(f"/n/{note.id}/").text)
    assert "non lues" not in page_text(browser_for(app, session, bob).get("/").text)  # its author is not told
