"""``python -m analysis users init|add|reset|role|disable|enable|list``: accounts from the command line.

Accounts from the command line of the machine that serves the app (whoever
can run this can already read the database).  ``users init`` is what
``make run`` calls first: on an empty database it makes the ``admin`` account
and prints its one-time password, once.  Every change is recorded in the
audit trail as ``cli:<system user>``.
"""

from __future__ import annotations

import argparse
import json

from analysis.accounts import ROLES, AccountStore, normalise_username
from analysis.audit import AuditLog
from analysis.config import load_config
from cli.actor import actor
from core.i18n import LANGS, t


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``users`` sub-command."""
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=t("cli.help.lang"))
    users = subparsers.add_parser("users", help=t("cli.help.users"), description=t("cli.help.users"))
    actions = users.add_subparsers(dest="action", required=True)
    actions.add_parser("init", help=t("cli.help.users_init"), parents=[lang])
    add = actions.add_parser("add", help=t("cli.help.users_add"), parents=[lang])
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--team", default="", help=t("cli.help.users_team"))
    role = actions.add_parser("role", help=t("cli.help.users_role"), parents=[lang])
    role.add_argument("username")
    role.add_argument("--role", required=True, choices=ROLES)
    role.add_argument("--team", default="", help=t("cli.help.users_team"))
    for name in ("reset", "disable", "enable"):
        actions.add_parser(name, help=t(f"cli.help.users_{name}"), parents=[lang]).add_argument("username")
    actions.add_parser("list", help=t("cli.help.users_list"), parents=[lang])
    users.set_defaults(func=run_users)


def run_users(args: argparse.Namespace) -> int:
    """Make, change or list accounts; passwords are printed once, never written anywhere."""
    database = load_config().database
    store, audit = AccountStore(database), AuditLog(database)
    actor_here = actor()
    if args.action == "init":
        password = store.ensure_first_admin()
        if password is None:
            print(t("cli.users.exists", args.lang, n=store.count()))
        else:
            audit.record(*actor_here, "user_created", account="admin", new_role="admin")
            print(t("cli.users.first_admin", args.lang, username="admin", password=password))
    elif args.action == "add":
        user, password = store.create_user(args.username, args.role, args.team)
        audit.record(*actor_here, "user_created", account=user.username, new_role=user.role, team=user.team)
        print(json.dumps({"username": user.username, "role": user.role, "team": user.team,
                          "one_time_password": password}, ensure_ascii=False))
    elif args.action == "role":
        user = store.set_role(args.username, args.role, args.team)
        audit.record(*actor_here, "user_changed", account=user.username, new_role=user.role, team=user.team)
        print(json.dumps({"username": user.username, "role": user.role, "team": user.team}, ensure_ascii=False))
    elif args.action == "reset":
        password = store.reset_password(args.username)
        audit.record(*actor_here, "password_reset", account=normalise_username(args.username))
        print(json.dumps({"username": normalise_username(args.username), "one_time_password": password}))
    elif args.action in ("disable", "enable"):
        store.set_active(args.username, args.action == "enable")
        audit.record(*actor_here, "user_changed", account=normalise_username(args.username),
                     active=args.action == "enable")
        print(json.dumps({"username": normalise_username(args.username), "active": args.action == "enable"}))
    else:
        for row in store.users().to_dict("records"):
            print(json.dumps(row, ensure_ascii=False, default=str))
    return 0
