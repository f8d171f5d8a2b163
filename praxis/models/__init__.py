"""Table models (SQLModel).

One module per domain: `common` (the UTC datetime column type, `utcnow`, `pk`, `table_of`),
`accounts` (people, tokens, sign-in failures, communities), `notes` (notes, authors, readers,
links, revisions, edit requests, author invitations), `carnets` (carnets and bases), `discussion`
(comments, notifications, messages, the mail outbox), `files` (attachments), `site` (site state and
identity, scheduled jobs, the search queue); every name is reached as `praxis.models.name`.
Importing this package registers every table on `SQLModel.metadata`: Alembic's env.py relies on it,
and migrations name the column type as `praxis.models.UTCDateTime`.
"""

from praxis.models.accounts import AuthToken, Community, CommunityMember, LoginFailure, User
from praxis.models.carnets import (
    BaseCarnet,
    BaseManager,
    Carnet,
    CarnetAxis,
    CarnetCategory,
    CarnetEntry,
    CarnetMember,
    EntryCategory,
    KnowledgeBase,
)
from praxis.models.common import UTCDateTime, pk, table_of, utcnow
from praxis.models.discussion import (
    Comment,
    CommentEdit,
    Message,
    MessageRecipient,
    Notification,
    NotificationSetting,
    OutgoingMail,
)
from praxis.models.files import Attachment
from praxis.models.notes import (
    AuthorInvitation,
    EditRequest,
    ImportSource,
    Note,
    NoteAuthor,
    NoteLabel,
    NoteLink,
    NoteReader,
    Revision,
)
from praxis.models.site import ScheduledJob, SearchQueue, SiteIdentity, SiteState

__all__ = [
    "Attachment",
    "AuthToken",
    "AuthorInvitation",
    "BaseCarnet",
    "BaseManager",
    "Carnet",
    "CarnetAxis",
    "CarnetCategory",
    "CarnetEntry",
    "CarnetMember",
    "Comment",
    "CommentEdit",
    "Community",
    "CommunityMember",
    "EditRequest",
    "ImportSource",
    "EntryCategory",
    "KnowledgeBase",
    "LoginFailure",
    "Message",
    "MessageRecipient",
    "Note",
    "NoteAuthor",
    "NoteLabel",
    "NoteLink",
    "NoteReader",
    "Notification",
    "NotificationSetting",
    "OutgoingMail",
    "Revision",
    "ScheduledJob",
    "SearchQueue",
    "SiteIdentity",
    "SiteState",
    "UTCDateTime",
    "User",
    "pk",
    "table_of",
    "utcnow",
]
