"""Signing in and out, cookies and the headers every page carries."""

from tests.factories import csrf_from, make_user, sign_in


def test_login_sets_a_signed_httponly_lax_cookie_and_logout_revokes_it(client, session):
    make_user(session, "alice", name="Alice Rivard")
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": "mot-de-passe-test",
            "csrf_token": csrf_from(form.text),
            "next": "/n/new",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/n/new"
    cookie = [h for h in response.headers.get_list("set-cookie") if h.startswith("praxis_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie  # site URL is https
    raw_value = cookie.split(";")[0].split("=", 1)[1]
    assert "." in raw_value  # value.signature
    assert "Alice Rivard" in client.get("/").text
    stolen = dict(client.cookies)
    home = client.get("/")
    client.post("/logout", data={"csrf_token": csrf_from(home.text)})
    assert "Se connecter" in client.get("/").text
    client.cookies.update(stolen)
    assert "Alice Rivard" not in client.get("/").text  # the old cookie no longer works


def test_a_tampered_session_cookie_is_ignored(client, session):
    make_user(session, "alice", name="Alice Rivard")
    sign_in(client, "alice")
    value = client.cookies["praxis_session"]
    client.cookies.set("praxis_session", value[:-3] + "abc")
    assert "Alice Rivard" not in client.get("/").text


def test_failed_login_does_not_say_which_part_was_wrong(client, session):
    make_user(session, "alice")
    token = csrf_from(client.get("/login").text)
    wrong = client.post("/login", data={"username": "alice", "password": "mauvais", "csrf_token": token})
    unknown = client.post("/login", data={"username": "inconnu", "password": "mauvais", "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert (
        "Nom d'utilisateur ou mot de passe incorrect." in wrong.text
        and "Nom d'utilisateur ou mot de passe incorrect." in unknown.text
    )


def test_login_never_redirects_to_another_site(client, session):
    make_user(session, "alice")
    token = csrf_from(client.get("/login").text)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            "/login",
            data={"username": "alice", "password": "mot-de-passe-test", "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_oversized_form_posts_get_a_friendly_413(client):
    response = client.post("/login", data={"username": "x" * 1_200_000})
    assert response.status_code == 413 and "Contenu trop volumineux" in response.text


def test_a_csrf_token_with_odd_characters_is_refused_not_a_crash(client):
    client.get("/login")
    response = client.post("/login", data={"username": "x", "password": "y", "csrf_token": "é€😀"})
    assert response.status_code == 403 and "Accès refusé" in response.text
