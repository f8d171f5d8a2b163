"""Site settings, read from PRAXIS_* environment variables."""

from __future__ import annotations

import importlib.metadata
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def N_(message: str) -> str:
    """Mark a French default the interface translates (praxis.i18n.N_, which imports this module)."""
    return message


# What the home page says the site is, until a site says it in its own words (shown as written).
# This default is in the catalogue: English readers read its translation.
DEFAULT_SITE_DESCRIPTION = N_(
    "Un commun de connaissances : des communautés de pratique y écrivent des notes, les relient entre elles "
    "et les rassemblent en carnets et en bases, avec un lexique et un répertoire d'organisations."
)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: str  # "implicit" (smtps://), "starttls" (when the server offers it), or "none" (?tls=none)


def parse_smtp_url(url: str) -> SmtpServer:
    """ "smtp://user:pass@host:587" (STARTTLS when offered), "smtps://…:465",
    "smtp://host:25?tls=none"; a ValueError says what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("PRAXIS_SMTP_URL must look like smtp://user:password@host:port")
    tls = "implicit" if parts.scheme == "smtps" else ("none" if "tls=none" in parts.query else "starttls")
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or (465 if tls == "implicit" else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
    )


class Settings(BaseSettings):
    """Every setting of a Praxis site, each with a default."""

    model_config = SettingsConfigDict(env_prefix="PRAXIS_", extra="ignore")

    data_dir: Path = Field(Path("./data"), description="Where the SQLite database, search index and uploads live.")
    database_url: str | None = Field(None, description="Any SQLAlchemy URL; default: SQLite file in the data dir.")
    search_backend: Literal["whoosh", "postgres"] | None = Field(
        None, description="Search backend; default whoosh on SQLite, postgres on PostgreSQL."
    )
    secret_key: str | None = Field(
        None, description="Signs sessions and CSRF tokens; generated once into the data dir."
    )
    site_url: str = Field(
        "http://127.0.0.1:8000", description="Absolute base of every URL in citations, feeds, exports."
    )
    site_name: str = Field("Praxis", description="The name used in pages and citations.")
    site_description: str = Field(
        DEFAULT_SITE_DESCRIPTION,
        max_length=500,
        description="One sentence on what the site is, atop the home page; the default is translated, "
        "a site's own is shown as written.",
    )
    timezone: str = Field("America/Toronto", description="Time zone of dates shown and cited.")
    language: Literal["fr", "en"] = Field("fr", description="Default UI and citation language.")
    registration: Literal["open", "closed"] = Field(
        "open", description="open, or closed (only admins create accounts)."
    )
    smtp_url: str | None = Field(
        None, description="smtp://user:pass@host:port (smtps:// for TLS); unset: mail waits in the outbox."
    )
    mail_from: str | None = Field(
        None, description="Sender of the site's mail; default: Site name <noreply@host of site_url>."
    )
    mail_interval: float = Field(15.0, gt=0, le=3600, description="Seconds between two runs of the outbox drain.")
    content_dir: Path | None = Field(
        None,
        description="What an empty site is seeded with on first start; default: the sample site shipped with Praxis.",
    )
    max_body_bytes: int = Field(1_000_000, description="Largest request body accepted, in bytes (413 beyond).")
    max_upload_bytes: int = Field(
        25 * 1024 * 1024, gt=0, description="Largest file attached to a note, in bytes (413 beyond)."
    )
    sqlite_busy_ms: int = Field(10_000, description="How long a SQLite write waits for the lock before answering 503.")
    db_pool_size: int = Field(10, ge=1, le=1000, description="PostgreSQL connections each worker process keeps open.")
    db_max_overflow: int = Field(
        20, ge=0, le=1000, description="PostgreSQL connections a worker may open beyond the pool when busy."
    )
    db_pool_timeout: float = Field(
        10.0, gt=0, le=600, description="Seconds a request waits for a free connection before answering 503."
    )
    db_prepared_statements: bool = Field(
        True, description="psycopg's server-side prepared statements; false behind pgbouncer in transaction mode."
    )
    # argon2-cffi's own defaults (RFC 9106's low-memory choice), above OWASP's minimums. Hashes
    # carry their cost: older ones still verify, and are hashed again at this cost at sign-in.
    password_time_cost: int = Field(3, ge=1, le=100, description="Argon2id passes over memory for each password hash.")
    password_memory_cost: int = Field(
        65536, ge=8, le=4_194_304, description="Argon2id memory for each password hash, in KiB."
    )
    password_parallelism: int = Field(4, ge=1, le=64, description="Argon2id lanes (threads) for each password hash.")
    session_days: int = Field(30, description="How long a browser session lasts, in days.")
    api_token_days: int = Field(365, ge=1, le=36500, description="How long an API token lasts, in days.")
    page_cache_mb: int = Field(
        64, ge=0, le=65536, description="Memory per process for pages kept for visitors (0: none)."
    )
    search_indexer: Literal["workers", "process"] = Field(
        "workers",
        description="Who applies the search queue after a write: the worker that wrote it (a thread), or one "
        "`praxis indexer` process (what `praxis serve` sets for its workers; it starts that process).",
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="Request and server logs: key=value text, or JSON lines."
    )

    @model_validator(mode="after")
    def _smtp_url_is_usable(self) -> Settings:
        if self.smtp_url:
            parse_smtp_url(self.smtp_url)  # a ValueError says what is wrong, at start
        return self

    @model_validator(mode="after")
    def _pool_is_large_enough(self) -> Settings:
        if self.db_pool_size + self.db_max_overflow < 3:
            # A write and the search indexing after its commit hold three connections at once.
            raise ValueError("PRAXIS_DB_POOL_SIZE + PRAXIS_DB_MAX_OVERFLOW must be at least 3")
        return self

    @model_validator(mode="after")
    def _password_memory_fits_lanes(self) -> Settings:
        if self.password_memory_cost < 8 * self.password_parallelism:
            # Argon2 gives each lane at least 8 KiB; less fails at the first hash, not at start.
            raise ValueError(
                "PRAXIS_PASSWORD_MEMORY_COST must be at least 8 KiB per lane (PRAXIS_PASSWORD_PARALLELISM)"
            )
        return self

    @model_validator(mode="after")
    def _search_backend_fits_database(self) -> Settings:
        if self.search_backend == "postgres" and self.is_sqlite:
            raise ValueError("PRAXIS_SEARCH_BACKEND=postgres needs a PostgreSQL PRAXIS_DATABASE_URL")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'praxis.db').resolve()}"

    @property
    def resolved_content_dir(self) -> Path:
        """The folder an empty site is seeded from: the one set, or the sample site."""
        return self.content_dir if self.content_dir is not None else sample_content_dir()

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def resolved_search_backend(self) -> str:
        if self.search_backend:
            return self.search_backend
        return "whoosh" if self.is_sqlite else "postgres"

    @property
    def secure_cookies(self) -> bool:
        return self.site_url.startswith("https://")

    def ensure_data_dir(self) -> Path:
        """Create the data dir if needed and return it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once and kept in the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.ensure_data_dir() / "secret_key"
        if not path.exists():
            # Written whole to a private temp file, then linked into place: workers starting
            # together all read the same complete key, never an empty one.
            fd, tmp = tempfile.mkstemp(dir=self.data_dir, prefix=".secret_key.")
            try:
                with os.fdopen(fd, "w", encoding="ascii") as fh:
                    fh.write(secrets.token_urlsafe(48))
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    pass
            finally:
                os.unlink(tmp)
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise ValueError(f"{path} holds no usable secret key; delete it to generate a new one")
        return key


_SESSION_KEY = "praxis_settings"


def give_settings(info: dict[str, object], settings: Settings) -> None:
    """Give a session (its `info`) the site's settings: done by the session factory alone
    (`db.new_session`)."""
    info[_SESSION_KEY] = settings


def site_settings(session: Session) -> Settings:
    """The site's settings, as the session factory gave them to `session`: the one way services
    read them (their defaults are written once, above)."""
    try:
        settings = session.info[_SESSION_KEY]
    except KeyError:
        raise RuntimeError("This session carries no settings: make it with praxis.db.new_session.") from None
    assert isinstance(settings, Settings)
    return settings


# The folder that holds the package: a checkout, or what an editable install points to (the
# Docker image's /app). Its content/ is the sample site.
_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def sample_content_dir() -> Path:
    """The sample site shipped with Praxis, wherever it was installed from: content/ beside the
    package, else where a wheel put it (`share/praxis/content` under the installation prefix,
    pyproject's data-files). Never the current folder: `praxis serve` seeds the same site from
    wherever it is started."""
    beside = _SOURCE_ROOT / "content"
    if beside.is_dir():
        return beside
    try:
        files = importlib.metadata.distribution("praxis").files or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.parts[-5:-2] == ("share", "praxis", "content"):
            return Path(str(file.locate())).resolve().parents[1]
    return beside  # nowhere: the path said in the log line that tells it is missing
