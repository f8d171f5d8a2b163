"""Registration, passwords, deactivation and the sign-in rate limit, over the API."""

import logging
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import select

from praxis.app import create_app
from praxis.models import LoginFailure
from tests.factories import PASSWORD, browser_for, csrf_from, make_user, token_for


def test_open_registration_creates_an_account_that_can_sign_in(client):
    created = client.post(
        "/api/v1/auth/register",
        json={"username": "nadia", "password": "un-bon-mot-de-passe", "display_name": "Nadia Roy"},
    )
    assert created.status_code == 201 and created.json()["display_name"] == "Nadia Roy"
    assert token_for(client, "nadia", "un-bon-mot-de-passe")
    taken = client.post("/api/v1/auth/register", json={"username": "nadia", "password": "un-autre-mot-de-passe"})
    assert taken.status_code == 409
    short = client.post("/api/v1/auth/register", json={"username": "omar", "password": "court"})
    assert short.status_code == 422 and short.json()["detail"][0]["loc"][-1] == "password"


def test_registration_says_what_a_username_may_hold_and_takes_any_letters_in_a_name(client):
    refused = client.post("/api/v1/auth/register", json={"username": "Élise", "password": "un-bon-mot-de-passe"})
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "username"] and error["type"] == "username_format"
    assert error["msg"] == (
        "A username is 2 to 64 characters: letters a to z without accents, digits, and . _ -,"
        " starting with a letter or a digit"
    )
    for username, name in (("elise", "Élise Côté-Ñúñez"), ("xiaolong", "李小龙")):
        created = client.post(
            "/api/v1/auth/register",
            json={"username": username, "password": "un-bon-mot-de-passe", "display_name": name},
        )
        assert created.status_code == 201 and created.json()["display_name"] == name


def test_closed_registration_leaves_account_creation_to_admins(settings, session):
    app = create_app(settings.model_copy(update={"registration": "closed"}))
    make_user(session, "adam", admin=True)
    with TestClient(app, base_url="https://testserver") as client:
        refused = client.post("/api/v1/auth/register", json={"username": "nadia", "password": "un-bon-mot-de-passe"})
        assert refused.status_code == 403
        assert client.get("/register").status_code == 403
        admin = token_for(client, "adam")
        created = client.post(
            "/api/v1/auth/register", json={"username": "nadia", "password": "un-bon-mot-de-passe"}, headers=admin
        )
        assert created.status_code == 201
    app.state.engine.dispose()


def test_password_change_needs_the_current_password_and_signs_out_other_sessions(app, client, session):
    alice = make_user(session, "alice")
    other_browser = browser_for(app, session, alice)
    other_token = token_for(client, "alice")
    headers = token_for(client, "alice")
    wrong = client.post(
        "/api/v1/me/password", json={"current_password": "faux", "new_password": "nouveau-secret"}, headers=headers
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"][-1] == "current_password"
    ok = client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "nouveau-secret"}, headers=headers
    )
    assert ok.status_code == 204
    assert other_browser.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=other_token).status_code == 401
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # the one that changed it stays
    assert client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD}).status_code == 401
    assert token_for(client, "alice", "nouveau-secret")


def test_deactivation_stops_sessions_and_tokens_at_once(app, client, session):
    make_user(session, "adam", admin=True)
    alice = make_user(session, "alice")
    browser = browser_for(app, session, alice)
    alice_token = token_for(client, "alice")
    admin = token_for(client, "adam")
    assert client.post("/api/v1/users/alice/deactivate", headers=alice_token).status_code == 403
    done = client.post("/api/v1/users/alice/deactivate", headers=admin)
    assert done.status_code == 200 and done.json()["is_active"] is False
    assert client.get("/api/v1/me", headers=alice_token).status_code == 401
    assert browser.get("/api/v1/me").status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD}).status_code == 401
    assert client.post("/api/v1/users/adam/deactivate", headers=admin).status_code == 422  # not oneself
    client.post("/api/v1/users/alice/activate", headers=admin)
    assert token_for(client, "alice")


def test_sign_in_is_rate_limited_per_account(client, session):
    make_user(session, "alice")
    for _ in range(5):
        assert client.post("/api/v1/auth/token", json={"username": "alice", "password": "devine"}).status_code == 401
    limited = client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert "detail" in limited.json()
    make_user(session, "bob")
    assert token_for(client, "bob")  # other accounts are not locked


def test_guessing_the_current_password_counts_towards_the_limit(client, session):
    make_user(session, "alice")
    headers = token_for(client, "alice")
    for _ in range(5):
        wrong = client.post(
            "/api/v1/me/password",
            json={"current_password": "devine", "new_password": "nouveau-secret"},
            headers=headers,
        )
        assert wrong.status_code == 422
    limited = client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "nouveau-secret"}, headers=headers
    )
    assert limited.status_code == 429


def test_simultaneous_guesses_are_all_counted(app, client, session):
    import threading

    make_user(session, "dave")
    codes: list[int] = []

    def guess(i: int) -> None:
        with TestClient(app, base_url="https://testserver") as c:
            codes.append(c.post("/api/v1/auth/token", json={"username": "dave", "password": f"faux-{i}"}).status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert codes.count(401) == 5 and codes.count(429) == 7


def test_sign_in_is_rate_limited_per_address(client, session):
    make_user(session, "alice")
    for i in range(20):
        client.post("/api/v1/auth/token", json={"username": f"inconnu{i}", "password": "devine"})
    limited = client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD})
    assert limited.status_code == 429 and "retry-after" in limited.headers


def test_the_login_form_is_rate_limited_too(client, session):
    from tests.factories import csrf_from

    make_user(session, "alice")
    token = csrf_from(client.get("/login").text)
    for _ in range(5):
        client.post("/login", data={"username": "alice", "password": "devine", "csrf_token": token})
    limited = client.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token})
    assert limited.status_code == 429 and "Trop de requêtes" in limited.text and limited.headers["retry-after"]


def test_passwords_and_tokens_never_reach_the_logs(client, session, caplog):
    caplog.set_level(logging.DEBUG)
    make_user(session, "alice")
    client.post("/api/v1/auth/register", json={"username": "nadia", "password": "secret-nadia-42"})
    client.post("/api/v1/auth/token", json={"username": "alice", "password": "secret-faux-99"})
    headers = token_for(client, "alice")
    token = headers["Authorization"].split()[1]
    client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "secret-nouveau-77"}, headers=headers
    )
    client.get("/api/v1/me", headers={"Authorization": "Bearer secret-jeton-invalide"})
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in ("secret-nadia-42", "secret-faux-99", PASSWORD, "secret-nouveau-77", token, "secret-jeton-invalide"):
        assert secret not in logged


# --- throttled per address and per account together: failing on purpose locks nobody out ------


def _from(app, address: str) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, base_url="https://testserver", client=(address, 50000))


def _token(client: TestClient, password: str) -> int:
    return client.post("/api/v1/auth/token", json={"username": "alice", "password": password}).status_code


def _form(client: TestClient, password: str) -> int:
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login", data={"username": "alice", "password": password, "csrf_token": token}, follow_redirects=False
    ).status_code


def _later(session, seconds: int) -> None:  # type: ignore[no-untyped-def]
    """Time passes: every recorded failure moves `seconds` into the past."""
    for row in session.exec(select(LoginFailure)).all():
        row.created_at -= timedelta(seconds=seconds)
        session.add(row)
    session.commit()


def test_an_attacker_failing_from_one_address_does_not_lock_the_owner_out(app, session):
    make_user(session, "alice")
    for attempt, signed_in in ((_token, 200), (_form, 303)):
        attacker, owner = _from(app, "203.0.113.7"), _from(app, "198.51.100.20")
        assert [attempt(attacker, "devine") for _ in range(5)] == [401] * 5
        assert attempt(owner, PASSWORD) == signed_in  # from an address that never failed: at once
        assert attempt(attacker, PASSWORD) == 429  # the attacker's address is throttled, even with the right one
        _later(session, 16 * 60)  # the failures age out before the other door is tried


def test_many_addresses_against_one_account_are_slowed_without_locking_the_owner_out(app, session):
    make_user(session, "alice")
    for attempt, signed_in in ((_token, 200), (_form, 303)):
        attackers = [_from(app, f"203.0.113.{i}") for i in range(1, 7)]
        assert [attempt(a, "devine") for a in attackers[:5]] == [401] * 5
        assert attempt(attackers[5], "devine") == 429  # a sixth address must wait
        assert attempt(attackers[0], "devine") == 429  # and so do those that failed already
        owner = _from(app, "198.51.100.20")
        slowed = owner.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD})
        assert slowed.status_code == 429 and 0 < int(slowed.headers["retry-after"]) <= 60  # a short delay
        _later(session, 61)
        assert attempt(owner, PASSWORD) == signed_in  # then the owner signs in
        assert attempt(attackers[0], "devine") == 401 and attempt(attackers[0], "devine") == 429  # slowed again at once
        _later(session, 16 * 60)


def test_ipv4_visitors_seen_through_a_dual_stack_listener_are_each_their_own_address(app, session):
    """Behind a dual-stack listener every IPv4 visitor arrives as ::ffff:a.b.c.d: an attacker
    failing from one of them does not throttle the owner arriving from another."""
    make_user(session, "alice")
    attacker, owner = _from(app, "::ffff:203.0.113.7"), _from(app, "::ffff:198.51.100.20")
    assert [_token(attacker, "devine") for _ in range(5)] == [401] * 5
    assert _token(owner, PASSWORD) == 200
    assert _token(attacker, PASSWORD) == 429
