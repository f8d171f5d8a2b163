"""Email: an outbox table written in the same transaction as what it tells, drained by a
background task through SMTP (PRAXIS_SMTP_URL) with retries.

A request never talks to the mail server: it only adds rows to `outgoing_mail`. A mail server
that is down, slow or refusing loses nothing: the row stays, with its error and the time of the
next attempt (backoff doubling from 30 s to an hour), until the server takes it; a mail refused
for good (a 5xx answer, an address no server accepts) is set aside with its error."""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import jinja2
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from praxis import i18n
from praxis.config import SmtpServer, site_settings
from praxis.i18n import format_date
from praxis.models import OutgoingMail, ScheduledJob, utcnow

log = logging.getLogger("praxis.mail")

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
LEASE = timedelta(minutes=5)  # a mail being sent is out of other drains' reach this long
MAX_ATTEMPTS = 48  # about two days of hourly tries
BATCH = 50
SENT_KEPT = timedelta(days=30)  # a sent mail stays this long (did it leave? when?), then is forgotten
FAILED_KEPT = timedelta(days=90)  # a mail given up stays longer, with its error, for an admin to see why


def sender_address(site_name: str, site_url: str, configured: str | None) -> str:
    """PRAXIS_MAIL_FROM, or "Site <noreply@host of PRAXIS_SITE_URL>"."""
    if configured:
        return configured
    return formataddr((site_name, f"noreply@{urlsplit(site_url).hostname or 'localhost'}"))


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        extensions=["jinja2.ext.i18n"],
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    i18n.install(env)
    return env


def render(session: Session, template: str, **context: object) -> tuple[str, str]:
    """The plain text and the HTML of templates/mail/{name}.txt and .html."""
    settings = site_settings(session)
    tz = settings.timezone
    lang = i18n.site_language(session)  # mails' readers chose no other
    context = {
        "site_name": settings.site_name,
        "site_url": settings.site_url.rstrip("/"),
        "date": lambda value: format_date(value, tz=tz, lang=lang, with_time=True),
        "lang": lang,
        **context,
    }
    with i18n.using(lang):
        return _env().get_template(f"mail/{template}.txt").render(**context), _env().get_template(
            f"mail/{template}.html"
        ).render(**context)


def enqueue(session: Session, *, to: str, subject: str, text: str, html: str, reply_to: str | None = None) -> None:
    """Add a mail to the outbox: it leaves once the transaction has committed."""
    session.add(OutgoingMail(to_address=to, subject=subject[:300], text=text, html=html, reply_to=reply_to))


def _message(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].rstrip(">") or None)
    message["Auto-Submitted"] = "auto-generated"
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


def _send(server: SmtpServer, message: EmailMessage, timeout: float = 20) -> None:
    client: smtplib.SMTP
    if server.tls == "implicit":
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=timeout)
    with client:
        client.ehlo()
        if server.tls == "starttls" and client.has_extn("starttls"):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if server.username:
            client.login(server.username, server.password or "")
        client.send_message(message)


def _claim(engine: Engine, now: datetime) -> OutgoingMail | None:
    """Take the next due mail for a while (a lease): counted as an attempt and put out of the
    others' reach until LEASE has passed, in a short transaction of its own (rows locked and
    skipped on PostgreSQL, SQLite's write lock otherwise): no lock is held while SMTP talks."""
    with Session(engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False) as session:
        query = (
            select(OutgoingMail)
            .where(
                col(OutgoingMail.sent_at).is_(None),
                col(OutgoingMail.failed_at).is_(None),
                OutgoingMail.next_attempt_at <= now,
            )
            .order_by(col(OutgoingMail.next_attempt_at), col(OutgoingMail.id))
            .limit(1)
        )
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        mail = session.exec(query).first()
        if mail is not None:
            mail.attempts += 1
            mail.next_attempt_at = now + LEASE
            session.add(mail)
            session.commit()
        return mail


def _settle(engine: Engine, mail: OutgoingMail, **values: object) -> None:
    with Session(engine.execution_options(sqlite_begin="IMMEDIATE")) as session:
        row = session.get(OutgoingMail, mail.id)
        if row is not None:
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)
            session.commit()


def _permanent(exc: Exception) -> bool:
    """A refusal that no retry will change: a malformed mail, or a 5xx answer about it."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return exc.smtp_code >= 500
    return not isinstance(exc, (OSError, smtplib.SMTPException))  # a mail that cannot even be written


def deliver_due(engine: Engine, server: SmtpServer, sender: str, now: datetime | None = None) -> int:
    """Send what is due in the outbox; how many were sent. A mail the server cannot take now is
    tried again later (30 s, doubling, up to an hour apart, MAX_ATTEMPTS times); one refused for
    good is set aside (`failed_at`) so it never holds back the others."""
    sent = 0
    for _ in range(BATCH):
        moment = now or utcnow()
        mail = _claim(engine, moment)
        if mail is None:
            return sent
        try:
            _send(server, _message(mail, sender))
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the mail itself
            error = f"{type(exc).__name__}: {exc}"[:500]
            if _permanent(exc) or mail.attempts >= MAX_ATTEMPTS:
                _settle(engine, mail, failed_at=utcnow(), last_error=error)
                log.error("mail %s given up after %d attempts: %s", mail.id, mail.attempts, error)
                continue
            retry = moment + min(FIRST_RETRY * 2 ** (mail.attempts - 1), LAST_RETRY)
            _settle(engine, mail, next_attempt_at=retry, last_error=error)
            log.warning("mail %s not sent (attempt %d), next at %s: %s", mail.id, mail.attempts, retry, error)
            if isinstance(exc, OSError):
                return sent  # the server does not answer: the others wait for the next round
            continue
        _settle(engine, mail, sent_at=utcnow(), last_error=None)
        sent += 1
    return sent


def purge_outbox(session: Session, now: datetime) -> int:
    """Once a day (for all workers): forget the mails sent more than SENT_KEPT ago and those
    given up more than FAILED_KEPT ago, so that the outbox does not keep every mail ever sent;
    a mail still waiting is never touched. How many were forgotten."""
    if not claim_job(session, "outbox-purge", timedelta(days=1), now):
        return 0
    # A DELETE answers with a cursor result, which counts the rows it removed.
    result = cast(
        sa.CursorResult[Any],
        session.execute(
            delete(OutgoingMail).where(
                (col(OutgoingMail.sent_at) < now - SENT_KEPT) | (col(OutgoingMail.failed_at) < now - FAILED_KEPT)
            )
        ),
    )
    return result.rowcount


def claim_job(session: Session, name: str, every: timedelta, now: datetime) -> bool:
    """Whether the job `name` is due (last run at least `every` ago); if so it is marked run."""
    if session.get_bind().dialect.name == "postgresql":
        # The row exists before it is locked, so the first run ever is claimed once too: a second
        # worker's insert waits for the first's commit and then does nothing.
        session.execute(
            pg_insert(ScheduledJob)
            .values(name=name, last_run_at=datetime(1970, 1, 1, tzinfo=UTC))
            .on_conflict_do_nothing(index_elements=["name"])
        )
    job = session.get(
        ScheduledJob, name, with_for_update=True, populate_existing=True
    )  # workers take turns on PostgreSQL
    if job is not None and job.last_run_at + every > now:
        return False
    session.merge(ScheduledJob(name=name, last_run_at=now))
    return True
