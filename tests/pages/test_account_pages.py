"""The account pages: changing one's password, and one's API tokens."""

from tests.factories import PASSWORD, browser_for, csrf_from, make_user, token_for


def _change_password(browser, current: str):  # type: ignore[no-untyped-def]
    form = browser.get("/account/password")
    return browser.post("/account/password", data={
        "csrf_token": csrf_from(form.text, "/account/password"), "current_password": current,
        "new_password": "nouveau-secret", "new_password_again": "nouveau-secret"})


def test_guesses_of_the_current_password_count_the_same_through_the_form_and_the_api(app, client, session):
    alice = make_user(session, "alice")
    browser = browser_for(app, session, alice)
    codes = [_change_password(browser, "devine").status_code for _ in range(8)]
    assert codes == [422] * 5 + [429] * 3
    # The same eight through the API, for another account: the two doors count alike.
    make_user(session, "bob")
    headers = token_for(client, "bob")
    api = [client.post("/api/v1/me/password", headers=headers,
                       json={"current_password": "devine", "new_password": "nouveau-secret"}).status_code for _ in range(8)]
    assert api == codes
    # The right password is refused too while the limit holds, so guessing gains nothing.
    assert _change_password(browser, PASSWORD).status_code == 429
