"""People: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.people.accounts import (
    change_password,
    create_user,
    issue_token,
    register,
    revoke_token,
    set_active,
    sign_in,
    user_for_token,
    user_read,
)
from praxis.people.coauthors import answer as answer_invitation
from praxis.people.coauthors import mine as my_invitations
from praxis.people.coauthors import remove_author
from praxis.people.communities import create as create_community
from praxis.people.communities import list_all as list_communities
from praxis.people.communities import mine as my_communities
from praxis.people.communities import offered as communities_offered
from praxis.people.communities import read as read_community
from praxis.people.communities import remove_member as remove_community_member
from praxis.people.communities import set_member as set_community_member
from praxis.people.edit_requests import decide as decide_edit_request
from praxis.people.edit_requests import list_for_note as edit_requests_for_note
from praxis.people.edit_requests import mine as my_edit_requests
from praxis.people.edit_requests import request_edit
from praxis.people.naming import named_person, people_named, suggest_people
from praxis.people.profiles import load_editable_profile, read_profile, update_profile
from praxis.people.tokens import issue_api_token, list_api_tokens, revoke_api_token

__all__ = [
    "answer_invitation",
    "change_password",
    "communities_offered",
    "create_community",
    "create_user",
    "decide_edit_request",
    "edit_requests_for_note",
    "issue_api_token",
    "issue_token",
    "list_api_tokens",
    "list_communities",
    "load_editable_profile",
    "my_communities",
    "my_edit_requests",
    "my_invitations",
    "read_community",
    "read_profile",
    "register",
    "remove_author",
    "remove_community_member",
    "request_edit",
    "revoke_api_token",
    "revoke_token",
    "set_active",
    "set_community_member",
    "sign_in",
    "named_person",
    "people_named",
    "suggest_people",
    "update_profile",
    "user_for_token",
    "user_read",
]
