"""Profiles: what a person's page shows, and the changes people make to their own (admins, to anyone's)."""

from __future__ import annotations

from sqlmodel import Session

from praxis import policy
from praxis.errors import Invalid, NotFound
from praxis.i18n import N_
from praxis.models import User
from praxis.people.accounts import get_user, user_read
from praxis.schemas import ProfileRead, ProfileUpdate, UserRead


def read_profile(*, session: Session, actor: User | None, username: str) -> ProfileRead:
    """A person's profile, and what `actor` may do with the account; NotFound for no one."""
    user = get_user(session, username)
    if user is None:
        raise NotFound("No such person.")
    return ProfileRead(
        **user_read(session, user).model_dump(),
        can_edit=policy.can_edit_profile(actor, user),
        can_set_active=policy.can_set_active(actor, user, not user.is_active),
    )


def _editable(session: Session, actor: User | None, username: str) -> User:
    """The person whose profile `actor` may change (themselves; anyone, for an admin)."""
    user = get_user(session, username) if len(username) <= 64 else None
    if user is None:
        raise NotFound("No such person.")
    policy.ensure_can_edit_profile(actor, user)
    return user


def load_editable_profile(session: Session, actor: User | None, username: str) -> UserRead:
    """The profile `actor` may change, for its form; NotFound, or Forbidden for someone else's."""
    return user_read(session, _editable(session, actor, username))


def update_profile(*, session: Session, actor: User | None, username: str, data: ProfileUpdate) -> UserRead:
    """Change a display name and how citations name the person (themselves, or an admin)."""
    user = _editable(session, actor, username)
    sent = data.model_dump(exclude_unset=True)
    if sent.get("display_name"):
        user.display_name = sent["display_name"]
    for name in ("family_name", "given_name"):
        if name in sent:
            setattr(user, name, sent[name] or None)  # an emptied field clears it
    if user.given_name and not user.family_name:
        if sent.get("given_name"):
            raise Invalid(
                "Given names are cited with a family name: give one too.",
                field="given_name",
                text=N_("Les prénoms se citent avec un nom de famille : donnez-en un aussi."),
            )
        user.given_name = None  # the family name was cleared: the split goes with it
    if sent.get("is_organisation") is not None:
        user.is_organisation = sent["is_organisation"]
    session.add(user)
    session.flush()
    return user_read(session, user)
