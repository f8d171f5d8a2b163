"""Who may see and do what: the single place permissions are decided, and refused.

Reading is decided by SQL clauses (`visible_notes`, `visible_carnets`, `visible_bases`), so a
list, a count, a link and a single page can never disagree: `can_read_note` asks the same clause
about one note. Doing is decided by pairs: `can_x(...)` says whether the actor may (the flag a
page shows to offer the action), and `ensure_can_x(...)` refuses with the right domain error
(`NotSignedIn` 401 when signing in may be all that is missing, `Forbidden` 403 otherwise, or
`NotFound` 404 for what the actor may not know exists) from the same rule; where a refusal has
several reasons, `x_refusal(...)` returns the error (or None) and `can_x` is its absence. Services
call these; routes and templates only show the flags.

- public: everyone, signed in or not.
- community: members (and managers) of the note's community.
- restricted: the readers its authors chose.
Authors always read their notes; admins read everything, deleted notes included.

One module per domain: `core` (the actor, `refuse`), `notes`, `collections` (carnets, bases,
communities), `discussion`, `accounts`; everything is reached as `policy.name`.
"""

from praxis.policy.accounts import (
    can_edit_profile,
    can_manage_accounts,
    can_register,
    can_set_active,
    ensure_can_edit_profile,
    ensure_can_manage_accounts,
    ensure_can_register,
    ensure_can_set_active,
)
from praxis.policy.collections import (
    can_contribute_to_carnet,
    can_create_base,
    can_create_carnet,
    can_create_community,
    can_link_community,
    can_manage_base,
    can_manage_carnet,
    can_manage_community,
    can_remove_base_manager,
    can_remove_carnet_member,
    can_remove_community_member,
    can_remove_entry,
    can_see_community_members,
    ensure_can_contribute_to_carnet,
    ensure_can_create_base,
    ensure_can_create_carnet,
    ensure_can_create_community,
    ensure_can_manage_base,
    ensure_can_manage_carnet,
    ensure_can_manage_community,
    ensure_can_order_carnet,
    ensure_can_remove_carnet_member,
    ensure_can_remove_community_member,
    ensure_can_remove_entry,
    visible_bases,
    visible_carnets,
)
from praxis.policy.core import (
    SYSTEM,
    Actor,
    ensure,
    is_admin,
    is_public,
    is_self,
    is_signed_in,
    refuse,
    require_signed_in,
    shared_caches_may_keep,
)
from praxis.policy.discussion import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_hide_comment,
    can_moderate_discussion,
    can_read_comment,
    can_restore_comment,
    ensure_can_comment,
    ensure_can_delete_comment,
    ensure_can_edit_comment,
    ensure_can_hide_comment,
    ensure_can_moderate_discussion,
    ensure_can_restore_comment,
    is_comment_author,
)
from praxis.policy.notes import (
    asked_again_refusal,
    can_create_note,
    can_edit_note,
    can_leave_note,
    can_manage_note,
    can_read_note,
    can_request_edit,
    can_see_note_readers,
    edit_request_refusal,
    ensure_can_answer_edit_request,
    ensure_can_edit_note,
    invitation_stands,
    leave_note_refusal,
    names_author_at_once,
    note_grants,
    reader_grants,
    visible_notes,
)

__all__ = [
    "SYSTEM", "Actor", "asked_again_refusal", "can_comment", "can_contribute_to_carnet", "can_create_base",
    "can_create_carnet", "can_create_community", "can_create_note", "can_delete_comment", "can_edit_comment",
    "can_edit_note", "can_edit_profile", "can_hide_comment", "can_leave_note", "can_link_community",
    "can_manage_accounts", "can_manage_base", "can_manage_carnet", "can_manage_community", "can_manage_note",
    "can_moderate_discussion", "can_read_comment", "can_read_note", "can_register", "can_remove_base_manager", "can_remove_carnet_member",
    "can_remove_community_member", "can_remove_entry", "can_request_edit", "can_restore_comment",
    "can_see_community_members", "can_see_note_readers", "can_set_active", "edit_request_refusal", "ensure",
    "ensure_can_answer_edit_request", "ensure_can_comment", "ensure_can_contribute_to_carnet", "ensure_can_create_base",
    "ensure_can_create_carnet", "ensure_can_create_community", "ensure_can_delete_comment", "ensure_can_edit_comment",
    "ensure_can_edit_note", "ensure_can_edit_profile", "ensure_can_hide_comment", "ensure_can_manage_accounts",
    "ensure_can_manage_base", "ensure_can_manage_carnet", "ensure_can_manage_community",
    "ensure_can_moderate_discussion", "ensure_can_order_carnet", "ensure_can_register",
    "ensure_can_remove_carnet_member", "ensure_can_remove_community_member", "ensure_can_remove_entry",
    "ensure_can_restore_comment", "ensure_can_set_active", "invitation_stands", "is_admin", "is_comment_author",
    "is_public", "is_self", "is_signed_in", "leave_note_refusal", "names_author_at_once", "note_grants",
    "reader_grants", "refuse", "require_signed_in", "shared_caches_may_keep", "visible_bases", "visible_carnets",
    "visible_notes",
]
