"""Bearer tokens over the API."""

from tests.factories import make_user, token_for


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
