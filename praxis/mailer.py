"""The background task that empties the outbox: every PRAXIS_MAIL_INTERVAL seconds it queues
the daily digests when they are due and sends what is waiting, in a thread, so that requests
never wait for the mail server. Every worker runs one; they take turns on each mail."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.engine import Engine

from praxis.config import Settings, parse_smtp_url
from praxis.conversation import service as conversation_service
from praxis.db import session_scope
from praxis.models import utcnow

log = logging.getLogger("praxis.mail")


def run_round(engine: Engine, settings: Settings) -> int:
    """One round: digests if due, the daily purge of old mails, then delivery (each on its own:
    a failing digest never holds back what waits in the outbox); how many mails left."""
    assert settings.smtp_url
    try:
        with session_scope(engine, settings) as session:
            conversation_service.send_digests(session)
    except Exception:
        log.exception("the daily digests could not be prepared this round")
    try:
        with session_scope(engine, settings) as session:
            conversation_service.purge_outbox(session, utcnow())
    except Exception:
        log.exception("old mails could not be purged from the outbox this round")
    server = parse_smtp_url(settings.smtp_url)
    return conversation_service.deliver_due(
        engine, server, conversation_service.sender_address(settings.site_name, settings.site_url, settings.mail_from)
    )


async def drain_forever(engine: Engine, settings: Settings) -> None:
    # The first round waits one interval too: a starting worker serves before it mails.
    while True:
        await asyncio.sleep(settings.mail_interval)
        try:
            await asyncio.to_thread(run_round, engine, settings)
        except Exception:  # a bad round is logged; the next one tries again
            log.exception("the outbox could not be emptied this round")
