"""System checks for the security settings, in place of django-ratelimit's cache checks.

django-ratelimit flags any cache but memcached and django-redis (django_ratelimit.E003/W001),
including the database cache ris3hub uses by default. Its count there is not atomic: two workers
racing on the same key may count one request fewer, which lets a client a request or two past a
limit of hundreds and never blocks anyone wrongly. What matters is that every worker sees the same
counters, which a per-process cache breaks: that is what this check reports instead
(settings.SILENCED_SYSTEM_CHECKS lists the two django-ratelimit checks this replaces).
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from ris3hub.security.caches import LOCMEM_BACKEND

NOT_SHARED = {LOCMEM_BACKEND, "django.core.cache.backends.dummy.DummyCache"}


@checks.register(checks.Tags.caches)
def check_rate_limit_cache(app_configs, **kwargs):
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return []
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend in NOT_SHARED:
        return [checks.Warning(
            f"the cache '{alias}' ({backend}) is not shared between processes: each server worker counts rate "
            "limits on its own",
            hint="leave RIS3HUB_CACHE_URL empty (database cache) or set it to redis://... or file://...",
            id="security.W001",
        )]
    return []
