"""Rendered fragments of public pages, kept until the data they show change.

The expensive part of the home page, a region profile and a search result (dozens of aggregate
queries, a map of a few hundred shapes) is the same for every visitor: it shows public data only.
Views render that part once through :func:`cached_fragment` and embed it in a page rendered per request,
so what differs between visitors (the signed-in user's menu, the CSRF token of the forms, messages)
is never cached and never shared between users or roles. A fragment must therefore hold public data only.

A fragment's key holds the language and the *data version*: a random token kept in the shared cache
(``settings.CACHES["default"]``, shared by the server's workers and the command line) and replaced:

* after every committed save, delete or many-to-many change of a model of ris3hub's apps (signals,
  see :func:`connect_signals`), which covers forms, the admin and the apps' actions;
* after every committed import (``core.loading.run_import``) and demo build, which write in bulk;
* whenever the token is missing (evicted, cache cleared): a new token, never an old one, so an
  eviction can only make entries unreachable, never bring a stale one back.

The token is replaced once the transaction has committed, and read before the data: a page rendered
from data older than a write is stored under a token that the write has already retired. When this
process has served a fragment since the last bump, a write inside a transaction also replaces the token
at once, so that later reads in the same transaction (a test, a multi-step action) see their own writes.
Writes that bypass signals and imports (``QuerySet.update``, ``bulk_create`` in a custom script) call
:func:`note_data_changed`; ``RIS3HUB_PAGE_CACHE_SECONDS`` bounds how long a missed one could show.
``RIS3HUB_PAGE_CACHE=off`` renders every fragment afresh (to measure, or to rule the cache out).

Each process also keeps the fragments it served last in memory, by the same keys: the data version is
still read from the shared cache on every request, so this saves a round trip and never serves stale HTML.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ris3hub import conf

VERSION_KEY = "ris3hub:data-version"
KEY_PREFIX = "ris3hub:fragment"
# Apps whose writes never change what a public fragment shows, and which write often.
QUIET_APPS = frozenset({"tokens"})


def enabled() -> bool:
    return conf.get("RIS3HUB_PAGE_CACHE").strip().lower() not in {"off", "0", "false", "no"}


def timeout() -> int:
    return int(conf.get("RIS3HUB_PAGE_CACHE_SECONDS"))


def data_version() -> str:
    """The current data version; a fresh one when the cache holds none."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


# Whether this process has used the data version since it last replaced it (see note_data_changed).
_served_since_bump = False


def bump_data_version() -> None:
    """Retire every cached fragment at once (now; see :func:`note_data_changed` inside a transaction)."""
    global _served_since_bump
    _served_since_bump = False
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _bump_pending(using: str | None) -> bool:
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return False
    # One bump a transaction is enough: a demo step saving thousands of rows schedules it once.
    # Entries are (savepoint ids, function, robust); a rolled-back savepoint drops its own.
    return any(entry[1] is bump_data_version for entry in connection.run_on_commit)


def note_data_changed(using: str | None = None) -> None:
    """Bump the data version once the current transaction commits (at once outside a transaction).

    Inside a transaction, also at once when this process has served a fragment since the last bump;
    a loop saving thousands of rows in one transaction (a demo step) thus bumps once or twice, not
    thousands of times.
    """
    if not transaction.get_connection(using).in_atomic_block:
        bump_data_version()
        return
    if _served_since_bump:
        bump_data_version()
    if not _bump_pending(using):
        transaction.on_commit(bump_data_version, using=using)


def fragment_key(name: str, parts: tuple, version: str | None = None) -> str:
    digest = hashlib.sha256(repr(tuple(str(p) for p in parts)).encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{name}:{get_language() or ''}:{version or data_version()}:{digest}"


def cached_fragment(name: str, parts: tuple, render: Callable[[], str]) -> SafeString:
    """``render()``'s HTML for ``name`` and ``parts`` (e.g. a region code), in the active language.

    ``render`` must produce the same HTML for every visitor: public data, no user, no CSRF token.
    """
    global _served_since_bump
    if not enabled():
        return mark_safe(render())
    key = fragment_key(name, parts)
    _served_since_bump = True
    html = _recent.get(key)
    if html is None:
        html = cache.get(key)
        if html is None:
            html = str(render())
            cache.set(key, html, timeout())
        _recent.put(key, html)
    return mark_safe(html)


class _Recent:
    """The fragments this process served last, by key: a key names one data version, so an entry
    can never be stale, only unused; it saves a trip to the shared cache for the pages most asked for."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
            return html

    def put(self, key: str, html: str) -> None:
        with self.lock:
            self.entries[key] = html
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_recent = _Recent(size=128)


def _is_quiet(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    app_config = getattr(meta, "app_config", None)  # None for models outside an app (migration records)
    if app_config is None:
        return True
    return not app_config.name.startswith("ris3hub.") or meta.app_label in QUIET_APPS


def _on_write(sender, using=None, **kwargs) -> None:
    if not _is_quiet(sender):
        note_data_changed(using)


def _on_m2m(sender, action, using=None, **kwargs) -> None:
    # The sender is the through model, auto-created ones in the app of the model holding the field.
    if action in {"post_add", "post_remove", "post_clear"} and not _is_quiet(sender):
        note_data_changed(using)


def connect_signals() -> None:
    """Bump the data version after every write to a model of ris3hub's apps (CoreConfig.ready)."""
    post_save.connect(_on_write, dispatch_uid="ris3hub-page-cache-save")
    post_delete.connect(_on_write, dispatch_uid="ris3hub-page-cache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="ris3hub-page-cache-m2m")
