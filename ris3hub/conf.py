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
    Setting("RIS3HUB_ENV", "development", "'production' switches on secure settings."),
    Setting("RIS3HUB_SECRET_KEY", "", "Secret key; required in production."),
    Setting("RIS3HUB_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the server answers."),
    Setting("RIS3HUB_DEBUG", "", "Set to 1 to show Django's debug pages."),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return _BY_NAME[name].value()


def data_dir() -> Path:
    return Path(get("RIS3HUB_DATA_DIR")).expanduser().resolve()


def nuts_version() -> int:
    return int(get("RIS3HUB_NUTS_VERSION"))
