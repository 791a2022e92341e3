"""`ris3hub token create|list|revoke`: API tokens from the command line (for scripts and administrators).

    ris3hub token create alice --name "nightly sync" --scope read --scope write --expires-days 90
    ris3hub token list [alice]
    ris3hub token revoke r3h_Xa81kQ2z

`create` prints the secret once on standard output (and what it is on standard error), so that
`TOKEN=$(ris3hub token create ...)` keeps just the secret.
"""

from __future__ import annotations

import argparse
import sys

SCOPES = ("read", "write", "export")


def _user(username: str):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        print(f"error: no user {username!r}; create it with `ris3hub manage createsuperuser` or on the site's "
              "sign-up page", file=sys.stderr)
    return user


def cmd_create(args) -> int:
    from django.core.exceptions import ValidationError

    from ris3hub.tokens.actions import create_token

    user = _user(args.username)
    if user is None:
        return 1
    try:
        new = create_token(user, args.name, args.scope or [], expires_days=args.expires_days)
    except ValidationError as error:
        print(f"error: {' '.join(error.messages)}", file=sys.stderr)
        return 1
    expires = f"expires {new.token.expires:%Y-%m-%d}" if new.token.expires else "never expires"
    print(f"token {new.token.prefix}… {new.token.name!r} of {user.get_username()}: scopes "
          f"{', '.join(new.token.scopes)}, {expires}. The secret below is shown only this once:", file=sys.stderr)
    print(new.secret)
    return 0


def cmd_list(args) -> int:
    from ris3hub.tokens.models import ApiToken

    tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created", "-pk")
    if args.username:
        user = _user(args.username)
        if user is None:
            return 1
        tokens = tokens.filter(user=user)
    rows = [(t.prefix, t.user.get_username(), t.name, ",".join(t.scopes), t.status,
             f"{t.created:%Y-%m-%d}", f"{t.expires:%Y-%m-%d}" if t.expires else "never",
             f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "never") for t in tokens]
    if not rows:
        print("no API token" + (f" of {args.username}" if args.username else ""), file=sys.stderr)
        return 0
    header = ("prefix", "user", "name", "scopes", "status", "created", "expires", "last used")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())
    return 0


def cmd_revoke(args) -> int:
    from ris3hub.tokens.actions import revoke_token
    from ris3hub.tokens.models import ApiToken

    prefix = args.prefix.rstrip("…").rstrip(".")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None:
        print(f"error: no API token starts with {prefix!r}; `ris3hub token list` shows them", file=sys.stderr)
        return 1
    already = token.revoked is not None
    revoke_token(token)
    print(f"token {token.prefix}… {token.name!r} of {token.user.get_username()} "
          + ("was already revoked" if already else "revoked"))
    return 0


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of days") from None
    if not 1 <= days <= 3650:
        raise argparse.ArgumentTypeError(f"expires-days must be between 1 and 3650, not {days}")
    return days


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("token", parents=[common], help="API tokens: create, list, revoke",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="token_command", required=True)

    p = commands.add_parser("create", parents=[common], help="create a token for a user and print its secret once")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="what the token is for")
    p.add_argument("--scope", action="append", choices=SCOPES, required=True,
                   help="read (non-public data the user may see), write (changes), export (bulk downloads); repeat")
    p.add_argument("--expires-days", type=_days, metavar="DAYS", help="valid for DAYS days (default: never expires)")
    p.set_defaults(func=cmd_create)

    p = commands.add_parser("list", parents=[common], help="list the tokens (of one user)")
    p.add_argument("username", nargs="?")
    p.set_defaults(func=cmd_list)

    p = commands.add_parser("revoke", parents=[common], help="revoke the token with this prefix")
    p.add_argument("prefix", help="the token's first characters, as `token list` shows them (r3h_...)")
    p.set_defaults(func=cmd_revoke)
