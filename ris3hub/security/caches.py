"""The cache shared by the server's workers, from RIS3HUB_CACHE_URL.

Rate-limit counters must be seen by every gunicorn worker, so the default is not a
per-process memory cache but Django's DatabaseCache in the table ``ris3hub_cache`` (created by
this app's migration, so the `migrate` that every `ris3hub` command runs makes it; no service
to start). A Redis server is faster and counts atomically: ``redis://host:6379/0`` (it needs the
``redis`` package). ``file:///folder`` is Django's FileBasedCache; ``locmem://`` suits one
process only (a test, a shell).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DATABASE_TABLE = "ris3hub_cache"
DATABASE_BACKEND = "django.core.cache.backends.db.DatabaseCache"
LOCMEM_BACKEND = "django.core.cache.backends.locmem.LocMemCache"
FILE_BACKEND = "django.core.cache.backends.filebased.FileBasedCache"
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def cache_settings(url: str) -> dict:
    """Django's CACHES for ``url`` (see the module's docstring); ImproperlyConfigured names a bad one."""
    url = url.strip()
    if not url or url in {"db://", "database://"}:
        default = {"BACKEND": DATABASE_BACKEND, "LOCATION": DATABASE_TABLE}
    else:
        scheme = urlsplit(url).scheme
        if scheme in {"redis", "rediss", "unix"}:
            try:
                import redis  # noqa: F401
            except ImportError as exc:
                raise ImproperlyConfigured(f"RIS3HUB_CACHE_URL={url} needs the 'redis' package "
                                           "(pip install redis), or leave it empty for the database cache") from exc
            default = {"BACKEND": REDIS_BACKEND, "LOCATION": url}
        elif scheme == "file":
            parts = urlsplit(url)
            folder = Path(parts.path)
            if parts.netloc not in {"", "localhost"} or not folder.is_absolute() or ".." in folder.parts:
                raise ImproperlyConfigured(f"RIS3HUB_CACHE_URL={url}: a file cache needs an absolute folder, "
                                           "e.g. file:///var/cache/ris3hub")
            default = {"BACKEND": FILE_BACKEND, "LOCATION": str(folder)}
        elif scheme == "locmem":
            default = {"BACKEND": LOCMEM_BACKEND, "LOCATION": "ris3hub"}
        else:
            raise ImproperlyConfigured(f"RIS3HUB_CACHE_URL={url}: the scheme '{scheme}' is not one of redis://, "
                                       "rediss://, file://, locmem:// (or empty for the database)")
    return {"default": {**default, "KEY_PREFIX": "ris3hub", "TIMEOUT": 300}}
