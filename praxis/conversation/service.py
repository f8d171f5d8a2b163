"""Conversation: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.conversation.discussion import create as create_comment
from praxis.conversation.discussion import delete as delete_comment
from praxis.conversation.discussion import get_comment
from praxis.conversation.discussion import get_for_editing as comment_for_editing
from praxis.conversation.discussion import hide as hide_comment
from praxis.conversation.discussion import restore as restore_comment
from praxis.conversation.discussion import set_closed as set_discussion_closed
from praxis.conversation.discussion import thread as comment_thread
from praxis.conversation.discussion import update as update_comment
from praxis.conversation.inbox import open_inbox
from praxis.conversation.mail import deliver_due, purge_outbox, sender_address
from praxis.conversation.messages import contact as contact_authors
from praxis.conversation.messages import mark_read as mark_messages_read
from praxis.conversation.messages import received as received_messages
from praxis.conversation.messages import reply as reply_to_message
from praxis.conversation.notifications import get_settings as notification_settings
from praxis.conversation.notifications import inbox as list_notifications
from praxis.conversation.notifications import mark_read as mark_notifications_read
from praxis.conversation.notifications import send_digests, unread_count
from praxis.conversation.notifications import set_settings as set_notification_settings

__all__ = [
    "comment_for_editing",
    "contact_authors",
    "create_comment",
    "delete_comment",
    "deliver_due",
    "get_comment",
    "hide_comment",
    "list_notifications",
    "mark_messages_read",
    "mark_notifications_read",
    "notification_settings",
    "open_inbox",
    "purge_outbox",
    "received_messages",
    "reply_to_message",
    "restore_comment",
    "send_digests",
    "sender_address",
    "set_discussion_closed",
    "set_notification_settings",
    "comment_thread",
    "unread_count",
    "update_comment",
]
