"""Create, use and revoke API tokens: the one way the page, the command and the tests change them."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ris3hub.tokens.models import ApiToken, Scope

SECRET_START = "r3h_"
PREFIX_LENGTH = len(SECRET_START) + 8
# last_used is written at most this often per token, so that a busy client does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_NAME = 100


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once: only its hash is stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def clean_scopes(scopes) -> list[str]:
    """The scopes in a stable order; ValidationError naming any unknown one or an empty set."""
    wanted = set(scopes)
    unknown = sorted(wanted - set(Scope.values))
    if unknown:
        raise ValidationError(f"unknown scope(s) {', '.join(map(repr, unknown))}: "
                              f"the scopes are {', '.join(Scope.values)}")
    if not wanted:
        raise ValidationError(f"give the token at least one scope among {', '.join(Scope.values)}")
    return [s for s in Scope.values if s in wanted]


def create_token(user, name: str, scopes, *, expires_days: int | None = None) -> NewToken:
    """A new token of ``user``; the returned secret is the only time it exists in clear."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("give the token a name that says what it is for")
    if len(name) > MAX_NAME:
        raise ValidationError(f"the token's name is {len(name)} characters long; at most {MAX_NAME}")
    if expires_days is not None and not 1 <= expires_days <= 3650:
        raise ValidationError(f"expires-days must be between 1 and 3650, not {expires_days}")
    if not user.is_active:
        raise ValidationError(f"the account {user.get_username()} is disabled")
    scopes = clean_scopes(scopes)
    now = timezone.now()
    expires = now + timedelta(days=expires_days) if expires_days is not None else None
    for _attempt in range(5):
        secret = SECRET_START + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(user=user, name=name, prefix=secret[:PREFIX_LENGTH],
                                                key_hash=hash_secret(secret), scopes=scopes,
                                                created=now, expires=expires)
        except IntegrityError:  # the same prefix drawn twice: draw again
            continue
        return NewToken(token, secret)
    raise RuntimeError("could not draw a token prefix not in use after 5 attempts")


def revoke_token(token: ApiToken) -> ApiToken:
    """Revoke ``token`` from now on (revoking it again keeps the first date)."""
    if token.revoked is None:
        token.revoked = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=token.revoked)
    return token


def find_token(secret: str) -> ApiToken | None:
    """The token of this secret, whatever its state; None when no token has it."""
    if not secret.startswith(SECRET_START) or len(secret) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()


def note_use(token: ApiToken, now=None) -> None:
    """Record that ``token`` was just used (at most once per LAST_USED_RESOLUTION)."""
    now = now or timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        token.last_used = now
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
