"""The account pages: changing one's password, and one's API tokens."""

import re

from tests.factories import PASSWORD, browser_for, csrf_from, make_user, page_text, token_for


def _change_password(browser, current: str):  # type: ignore[no-untyped-def]
    form = browser.get("/account/password")
    return browser.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(form.text, "/account/password"),
            "current_password": current,
            "new_password": "nouveau-secret",
            "new_password_again": "nouveau-secret",
        },
    )


def test_guesses_of_the_current_password_count_the_same_through_the_form_and_the_api(app, client, session):
    alice = make_user(session, "alice")
    browser = browser_for(app, session, alice)
    codes = [_change_password(browser, "devine").status_code for _ in range(8)]
    assert codes == [422] * 5 + [429] * 3
    # The same eight through the API, for another account: the two doors count alike.
    make_user(session, "bob")
    headers = token_for(client, "bob")
    api = [
        client.post(
            "/api/v1/me/password",
            headers=headers,
            json={"current_password": "devine", "new_password": "nouveau-secret"},
        ).status_code
        for _ in range(8)
    ]
    assert api == codes
    # The right password is refused too while the limit holds, so guessing gains nothing.
    assert _change_password(browser, PASSWORD).status_code == 429


def test_a_failed_sign_in_is_counted_the_same_through_the_form_and_the_api(app, client, session):
    make_user(session, "alice")
    visitor = browser_for(app, session, None)
    token = csrf_from(visitor.get("/login").text)
    for _ in range(3):  # the form comes back, as typed, and the failure is kept
        failed = visitor.post("/login", data={"username": "alice", "password": "devine", "csrf_token": token})
        assert failed.status_code == 401 and 'value="alice"' in failed.text and "<form" in failed.text
    for _ in range(2):
        assert client.post("/api/v1/auth/token", json={"username": "alice", "password": "devine"}).status_code == 401
    # Five failures in all, whichever door they came through: the right password waits, at both doors.
    assert client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD}).status_code == 429
    limited = visitor.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token})
    assert limited.status_code == 429 and limited.headers["retry-after"]


def test_the_account_lists_api_tokens_and_revokes_them(app, client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    issued = client.post(
        "/api/v1/auth/token", json={"username": "alice", "password": PASSWORD, "name": "Sauvegarde nocturne"}
    ).json()
    used = {"Authorization": f"Bearer {issued['access_token']}"}
    client.get("/api/v1/me", headers=used)
    token_for(client, "bob")  # somebody else's is not shown
    browser = browser_for(app, session, alice)
    assert 'href="/account/tokens"' in browser.get("/account/password").text
    listing = browser.get("/account/tokens")
    text = page_text(listing.text)
    assert listing.status_code == 200 and "Sauvegarde nocturne" in text
    assert "Expire le" in text and "Dernière utilisation" in text and "jamais utilisé" not in text
    assert text.count("Révoquer") == 1
    assert "Révoquer Sauvegarde nocturne" in text  # each button names its token, for a screen reader's list of buttons
    action = re.search(r'action="(/account/tokens/\d+/revoke)"', listing.text).group(1)  # type: ignore[union-attr]
    revoked = browser.post(action, data={"csrf_token": csrf_from(listing.text, action)})
    assert revoked.status_code == 200 and "Aucun jeton d'API en cours." in page_text(revoked.text)
    assert client.get("/api/v1/me", headers=used).status_code == 401
    assert browser.post(action, data={"csrf_token": csrf_from(listing.text, action)}).status_code == 404
