"""``python -m dashboard``: serve the app, manage its users, read the audit log.

    python -m dashboard [serve]                                  the app on KAIHUA_HOST:KAIHUA_PORT
    python -m dashboard users add NAME --role staff|admin --password-stdin
    python -m dashboard users passwd NAME --password-stdin
    python -m dashboard users remove NAME
    python -m dashboard users list
    python -m dashboard audit [--last N]

Users and the audit log live in the data store (``KAIHUA_DATA`` when it is a folder, else
``KAIHUA_DATA_STORE`` or ``var/data``). A password is read from standard input (one line), never from the
command line, where other users of the machine could read it. Exit status: 0 done, 1 refused, 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from dashboard import users
from dashboard.config import Settings
from geodata import audit


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise users.UserError("the passwords differ")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the app (the default)")
    u = sub.add_parser("users", help="add, change, remove or list users").add_subparsers(dest="action",
                                                                                           required=True)
    add = u.add_parser("add")
    add.add_argument("name")
    add.add_argument("--role", choices=["staff", "admin"], required=True)
    add.add_argument("--password-stdin", action="store_true")
    pw = u.add_parser("passwd")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    u.add_parser("remove").add_argument("name")
    u.add_parser("list")
    log = sub.add_parser("audit", help="print the audit log (oldest first)")
    log.add_argument("--last", type=int, default=200)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    if args.command in (None, "serve"):
        from dashboard.app import create_app

        create_app(settings).run(host=settings.host, port=settings.port, debug=settings.debug)
        return 0
    state = settings.state_location
    try:
        if args.command == "audit":
            for entry in audit.read(state, last=args.last):
                print(audit.format_entry(entry))
        elif args.action == "add":
            users.add_user(state, args.name, users.Role.parse(args.role), _password(args))
            print(f"added {args.name} ({args.role})")
        elif args.action == "passwd":
            users.set_password(state, args.name, _password(args))
            print(f"password of {args.name} changed")
        elif args.action == "remove":
            users.remove_user(state, args.name)
            print(f"removed {args.name}")
        elif args.action == "list":
            for user in users.list_users(state):
                print(f"{user.name}\t{user.role.label}")
    except users.UserError as err:
        print(f"refused: {err}", file=sys.stderr)
        return 1
    return 0
