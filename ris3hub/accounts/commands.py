"""`ris3hub privacy purge [--dry-run]`, `ris3hub roles grant|revoke|list`."""

from __future__ import annotations

import sys


def cmd_purge(args) -> int:
    from ris3hub.accounts.privacy import purge

    try:
        report = purge(dry_run=args.dry_run)
    except ValueError as exc:  # a retention setting that is not a number of days
        print(exc, file=sys.stderr)
        return 1
    for line in report.lines(args.dry_run):
        print(line)
    return 0


def _user_and_organisation(args):
    from django.contrib.auth import get_user_model

    from ris3hub.registry.models import Organisation

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        print(f"no user {args.user!r}", file=sys.stderr)
        return None, None, False
    organisation = None
    if args.organisation is not None:
        organisation = Organisation.objects.filter(pk=args.organisation).first()
        if organisation is None:
            print(f"no organisation {args.organisation}", file=sys.stderr)
            return None, None, False
    return user, organisation, True


def cmd_grant(args) -> int:
    from django.core.exceptions import ValidationError

    from ris3hub.accounts.roles import grant

    user, organisation, ok = _user_and_organisation(args)
    if not ok:
        return 1
    try:
        grant(user, args.role, organisation)
    except ValidationError as exc:
        print("; ".join(exc.messages), file=sys.stderr)
        return 1
    where = f" of {organisation} ({organisation.pk})" if organisation else ""
    print(f"{user.get_username()} is now {args.role}{where}")
    return 0


def cmd_revoke(args) -> int:
    from django.core.exceptions import ValidationError

    from ris3hub.accounts.roles import revoke

    user, organisation, ok = _user_and_organisation(args)
    if not ok:
        return 1
    try:
        removed = revoke(user, args.role, organisation)
    except ValidationError as exc:
        print("; ".join(exc.messages), file=sys.stderr)
        return 1
    print(f"{user.get_username()}: {removed} role removed" if removed else
          f"{user.get_username()} did not hold that role")
    return 0


def cmd_list(args) -> int:
    from ris3hub.accounts.models import RoleAssignment

    assignments = RoleAssignment.objects.select_related("user", "organisation").order_by("user__username", "role")
    if args.user:
        assignments = assignments.filter(user__username=args.user)
    for a in assignments:
        where = f"\t{a.organisation} ({a.organisation_id})" if a.organisation_id else ""
        print(f"{a.user.get_username()}\t{a.role}{where}")
    return 0


ROLES = ("editor", "coordinator", "analyst", "administrator")  # ris3hub.accounts.models.Role, without Django


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("privacy", help="personal data: anonymise what is kept past the retention settings")
    sub = parser.add_subparsers(dest="privacy_command", required=True)
    p = sub.add_parser("purge", parents=[common],
                       help="anonymise event registrations, unlink consultation responses and delete inactive "
                            "accounts past RIS3HUB_RETENTION_* (see `ris3hub settings`)")
    p.add_argument("--dry-run", action="store_true", help="say what would be anonymised, change nothing")
    p.set_defaults(func=cmd_purge)

    parser = subparsers.add_parser("roles", help="who is editor, coordinator, analyst or administrator")
    sub = parser.add_subparsers(dest="roles_command", required=True)
    for name, func, text in (("grant", cmd_grant, "give a user a role"), ("revoke", cmd_revoke, "take a role away")):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("user", help="the user name")
        p.add_argument("role", choices=ROLES)
        p.add_argument("organisation", type=int, nargs="?",
                       help="the organisation's id (editors: the organisation; coordinators: the network)")
        p.set_defaults(func=func)
    p = sub.add_parser("list", parents=[common], help="list the roles")
    p.add_argument("--user", help="only this user's")
    p.set_defaults(func=cmd_list)
