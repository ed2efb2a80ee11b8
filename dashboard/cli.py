"""``python -m dashboard``: serve the app, manage its users, read the audit log.

    python -m dashboard [serve]                                  the app on KAIHUA_HOST:KAIHUA_PORT
    python -m dashboard users add NAME --role staff|admin --password-stdin
    python -m dashboard users passwd NAME --password-stdin
    python -m dashboard users remove NAME
    python -m dashboard users list
    python -m dashboard audit [--last N]
    python -m dashboard wall show | wall set FILE                the wall settings (wall.json)

Users and the audit log live in the data store (``KAIHUA_DATA`` when it is a folder, else
``KAIHUA_DATA_STORE`` or ``var/data``), or in the database when ``DATABASE_URL`` is set; so do the wall
settings (the data store's ``wall.json``). A password is read from standard input (one line), never from the
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
from geodata.wall_settings import load_wall_settings, save_wall_settings


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
    wall = sub.add_parser("wall", help="show or set the wall settings").add_subparsers(dest="action", required=True)
    wall.add_parser("show")
    wall.add_parser("set").add_argument("file", help="a wall.json file")
    return parser


def _wall(settings: Settings, args: argparse.Namespace) -> int:
    where = settings.content_location
    if where is None:
        print("refused: this server serves a fixed GeoPackage: no store, no database for wall settings",
              file=sys.stderr)
        return 1
    if args.action == "set":
        try:
            with open(args.file, encoding="utf-8") as fh:
                wall = save_wall_settings(where, fh.read())
        except (OSError, UnicodeDecodeError, ValueError) as err:
            print(f"refused: {err}", file=sys.stderr)
            return 1
    else:
        wall = load_wall_settings(where)
    print(f"dwell {wall.dwell:g} s, idle {wall.idle:g} s, belts {','.join(wall.belts) or 'all'}, lang {wall.lang}")
    for problem in wall.problems:
        print(f"problem: {problem}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    if args.command in (None, "serve"):
        from dashboard.app import create_app

        create_app(settings).run(host=settings.host, port=settings.port, debug=settings.debug)
        return 0
    if args.command == "wall":
        return _wall(settings, args)
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
