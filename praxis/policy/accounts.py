"""Accounts and profiles: who opens an account, changes a profile, deactivates an account."""

from __future__ import annotations

from praxis.errors import Forbidden, Invalid
from praxis.models import User
from praxis.policy.core import Actor, ensure, is_admin, is_self


def can_register(actor: Actor, registration: str) -> bool:
    """Anyone may open an account while registration is open; only admins when it is closed."""
    return registration == "open" or is_admin(actor)


def ensure_can_register(
    actor: Actor, registration: str, message: str = "Registration is closed; an administrator creates accounts."
) -> None:
    """Closed registration is refused to visitors too (403): signing in would not open it."""
    if not can_register(actor, registration):
        raise Forbidden(message)


def can_open_account_for_others(actor: Actor) -> bool:
    """Admins open accounts for other people while signed in; anyone else signs out first."""
    return is_admin(actor)


def can_manage_accounts(actor: Actor) -> bool:
    """Admins deactivate and reactivate accounts."""
    return is_admin(actor)


def ensure_can_manage_accounts(actor: Actor) -> None:
    ensure(can_manage_accounts(actor), actor, "Only administrators can deactivate accounts.")


def can_set_active(actor: Actor, person: User, active: bool) -> bool:
    """Admins deactivate and reactivate accounts, but for their own, which they may not deactivate
    (the site would be left without the one who can bring it back)."""
    return can_manage_accounts(actor) and (active or not is_self(actor, person.id))


def ensure_can_set_active(actor: Actor, person: User, active: bool) -> None:
    ensure_can_manage_accounts(actor)
    if not can_set_active(actor, person, active):
        raise Invalid("You cannot deactivate your own account.", field="username")


def can_edit_profile(actor: Actor, person: User) -> bool:
    """People change their own name and how citations name them; admins change anyone's
    (profiles without login, made from the names in imported files, have no one else)."""
    return is_admin(actor) or is_self(actor, person.id)


def ensure_can_edit_profile(actor: Actor, person: User) -> None:
    ensure(can_edit_profile(actor, person), actor, "Only this person and administrators can change this profile.")
