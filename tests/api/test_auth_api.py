"""Bearer tokens over the API."""

from tests.factories import PASSWORD, make_user, token_for


def test_token_grants_access_and_can_be_revoked(client, session):
    make_user(session, "alice", name="Alice Rivard")
    headers = token_for(client, "alice")
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["display_name"] == "Alice Rivard"
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    again = client.get("/api/v1/me", headers=headers)
    assert again.status_code == 401 and again.json() == {"detail": "Invalid or revoked token."}


def test_wrong_password_and_unknown_user_get_the_same_answer(client, session):
    make_user(session, "alice")
    wrong = client.post("/api/v1/auth/token", json={"username": "alice", "password": "pas-le-bon"})
    unknown = client.post("/api/v1/auth/token", json={"username": "personne", "password": "pas-le-bon"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Incorrect username or password."}


def test_profiles_without_login_cannot_get_a_token(client, session):
    make_user(session, "profil", password=None)
    assert client.post("/api/v1/auth/token", json={"username": "profil", "password": ""}).status_code == 401


def test_tokens_are_stored_hashed(client, session):
    from sqlmodel import select

    from praxis.models import AuthToken

    make_user(session, "alice")
    raw = token_for(client, "alice")["Authorization"].split()[1]
    stored = session.exec(select(AuthToken.token_hash)).all()
    assert stored and raw not in stored and all(len(h) == 64 for h in stored)


def test_me_needs_credentials(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and "detail" in response.json()
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nimporte-quoi"}).status_code == 401


def test_tokens_expire_after_a_year_and_an_expired_one_is_refused(client, session):
    from datetime import datetime, timedelta, timezone

    from sqlmodel import select

    from praxis.models import AuthToken

    make_user(session, "alice")
    issued = client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD, "name": "script"})
    body = issued.json()
    assert body["token_type"] == "bearer" and body["access_token"]
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=364) < expires - datetime.now(timezone.utc) <= timedelta(days=365)
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    row = session.exec(select(AuthToken).where(AuthToken.name == "script")).one()
    assert row.expires_at == expires  # what was stored is what was said
    row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_tokens_are_listed_with_their_last_use_and_revoked_one_by_one(client, session):
    make_user(session, "alice")
    make_user(session, "bob")
    first = client.post(
        "/api/v1/auth/token", json={"username": "alice", "password": PASSWORD, "name": "sauvegarde"}
    ).json()
    headers = token_for(client, "alice")
    listed = client.get("/api/v1/me/tokens", headers=headers).json()
    assert listed["total"] == 2
    mine = {t["name"]: t for t in listed["items"]}
    assert mine["sauvegarde"]["last_used_at"] is None and mine["sauvegarde"]["expires_at"]
    again = {t["name"]: t for t in client.get("/api/v1/me/tokens", headers=headers).json()["items"]}
    assert again[None]["last_used_at"] is not None  # the one that asked, used just now
    # Used: stamped once, not at each request.
    used = {"Authorization": f"Bearer {first['access_token']}"}
    client.get("/api/v1/me", headers=used)
    stamped = {t["name"]: t for t in client.get("/api/v1/me/tokens", headers=headers).json()["items"]}["sauvegarde"][
        "last_used_at"
    ]
    assert stamped is not None
    client.get("/api/v1/me", headers=used)
    assert {t["name"]: t for t in client.get("/api/v1/me/tokens", headers=headers).json()["items"]}["sauvegarde"][
        "last_used_at"
    ] == stamped
    # Revoked one by one; nobody else's.
    other = token_for(client, "bob")
    assert client.delete(f"/api/v1/me/tokens/{mine['sauvegarde']['id']}", headers=other).status_code == 404
    assert client.delete(f"/api/v1/me/tokens/{mine['sauvegarde']['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=used).status_code == 401
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me/tokens", headers=headers).json()["total"] == 1
    assert client.delete("/api/v1/me/tokens/99999999999", headers=headers).status_code == 422


def test_a_password_hashed_at_a_lower_cost_takes_the_sites_cost_at_the_next_sign_in(settings, session):
    from argon2 import extract_parameters
    from fastapi.testclient import TestClient

    from praxis.app import create_app
    from praxis.config import Settings
    from praxis.models import User
    from tests.factories import CHEAP_PASSWORDS

    alice = make_user(session, "alice")  # hashed at the test site's cheapest cost
    assert extract_parameters(alice.password_hash).time_cost == 1
    # The same accounts, on a site that now hashes at the default (production) cost.
    site_cost = {name: Settings.model_fields[name].default for name in CHEAP_PASSWORDS}
    site = create_app(settings.model_copy(update=site_cost))
    try:
        with TestClient(site, base_url="https://testserver") as client:
            token_for(client, "alice")
            session.expire_all()
            stored = extract_parameters(session.get(User, alice.id).password_hash)
            session.commit()  # a test's session writes: reading opened a writing transaction
            assert (stored.time_cost, stored.memory_cost, stored.parallelism) == (3, 65536, 4)
            token_for(client, "alice")  # the password still opens the account
    finally:
        site.state.search.close()
        site.state.engine.dispose()
