"""Reading the declared security settings (ris3hub.conf) with a clear message when one is wrong."""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured

from ris3hub import conf

# django-ratelimit's rate syntax: N per [multiplier] second, minute, hour or day ("60/m", "100/5m").
RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PER = {1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day"}
SWITCH = {"on": True, "1": True, "yes": True, "true": True, "off": False, "0": False, "no": False, "false": False}


def rate(name: str) -> str:
    value = conf.get(name).strip()
    if not RATE.match(value):
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate: write N/s, N/m, N/h or N/d, e.g. 60/m")
    return value


def split(value: str) -> tuple[int, int]:
    """'60/m' -> (60, 60): how many requests in how many seconds."""
    count, multiplier, unit = RATE.match(value).groups()
    return int(count), int(multiplier or 1) * PERIOD_SECONDS[unit]


def per(seconds: int) -> str:
    """60 -> 'a minute', 300 -> 'every 300 seconds'."""
    return PER.get(seconds, f"every {seconds} seconds")


def positive_int(name: str) -> int:
    value = conf.get(name).strip()
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number of at least 1")
    return int(value)


def switch(name: str) -> bool:
    value = conf.get(name).strip().lower()
    if value not in SWITCH:
        raise ImproperlyConfigured(f"{name}={value!r}: write on or off")
    return SWITCH[value]
