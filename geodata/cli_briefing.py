"""``python -m geodata briefing ...``: check, publish, list, roll back and export the visitors' briefing file.

    python -m geodata briefing validate FILE          # check only: every problem by file, step and field
    python -m geodata briefing import FILE [--note T] # check, then publish as the next version
    python -m geodata briefing versions               # * = published; time, who, note, source file
    python -m geodata briefing rollback VERSION       # v0002, v0002.yaml or 2: publish it again
    python -m geodata briefing export [--out FILE]    # the published file (or the shipped one), to edit

Same store and exit status as the rest of ``python -m geodata``: 0 done, 1 the file failed validation or the
action was refused, 2 bad usage. Only :mod:`geodata.briefing_store`'s public functions touch the store.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from geodata import audit
from geodata.briefing import BriefingError
from geodata.briefing_store import (
    check_briefing,
    current_briefing_file,
    list_briefing_versions,
    publish_briefing,
    resolve_briefing_version,
    rollback_briefing,
)
from geodata.dataset import Dataset, open_dataset


def _view_check(ds: Dataset) -> Callable[[dict], list[str]]:
    # A step's view is checked by the page's own link parser, so the shell accepts exactly what /brief shows.
    from dashboard.brief import view_checker

    return view_checker(ds)


def _audit(store: Path | str, action: str, detail: str) -> None:
    try:
        audit.record(store, action, f"cli:{getpass.getuser()}", "local", detail)
    except (OSError, KeyError) as err:
        print(f"audit log not written: {err}", file=sys.stderr)


def _print_problems(exc: BriefingError, lang: str) -> None:
    for code in ("zh", "en") if lang == "both" else (lang,):
        head = (f"{exc.file}:未通过校验,共 {len(exc.problems)} 处问题" if code == "zh"
                else f"{exc.file}: failed validation, {len(exc.problems)} problem(s)")
        print("\n".join([head, *(f"  - {p.text(code, exc.file)}" for p in exc.problems)]))


def _checked(args: argparse.Namespace) -> tuple[Dataset, bytes] | None:
    """The dataset and the file's bytes if the file passes (else the problems are printed: None)."""
    ds = open_dataset(args.data)
    raw = args.file.read_bytes()
    try:
        briefing = check_briefing(ds, raw, args.file.name, _view_check(ds))
    except BriefingError as exc:
        _print_problems(exc, args.lang)
        return None
    print(f"{args.file.name}:通过校验,{len(briefing.steps)} 步 / passed, {len(briefing.steps)} steps")
    return ds, raw


def cmd_validate(args: argparse.Namespace) -> int:
    return 0 if _checked(args) is not None else 1


def cmd_import(args: argparse.Namespace) -> int:
    checked = _checked(args)
    if checked is None:
        print("未发布 / not published")
        return 1
    ds, raw = checked
    name = publish_briefing(args.data, raw, args.file.name, ds, _view_check(ds), args.note,
                            f"cli:{getpass.getuser()}")
    _audit(args.data, "publish", f"briefing {name} (import on the command line)")
    print(f"已发布简报版本 {name} / published briefing version {name}")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    listed = list_briefing_versions(args.data)
    if not listed:
        print(f"{args.data}: 尚无简报版本,使用随附简报 / no briefing versions yet: serving the shipped briefing")
    for v in listed:
        print(f"{'*' if v.current else ' '} {v.name}  {v.created}  {v.who}  {v.note}  {v.source}")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    name = resolve_briefing_version(args.data, args.version)
    ds = open_dataset(args.data)
    try:
        rollback_briefing(args.data, name, ds, _view_check(ds))
    except BriefingError as exc:  # an earlier file that no longer fits the data: refused, CURRENT stays
        _print_problems(exc, args.lang)
        print("未恢复 / not restored")
        return 1
    _audit(args.data, "rollback", f"briefing {name}")
    print(f"已恢复简报版本 {name} / briefing version {name} is published again")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    name, raw = current_briefing_file(args.data)
    if args.out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
    else:
        args.out.write_bytes(raw)
        print(f"{name} → {args.out}", file=sys.stderr)
    _audit(args.data, "export", f"briefing {name}")
    return 0


def add_commands(add: Callable[..., argparse.ArgumentParser], shared: argparse.ArgumentParser) -> None:
    """``briefing`` and its subcommands, on ``python -m geodata``'s parser (``add`` makes one subcommand with
    the shared ``--store``/``--lang``; ``shared`` is that parent, for the nested subcommands)."""
    sub = add("briefing", help="the visitors' briefing file (YAML or JSON)").add_subparsers(
        dest="briefing_command", required=True)

    def nested(name: str, func, help_text: str) -> argparse.ArgumentParser:
        s = sub.add_parser(name, parents=[shared], help=help_text)
        s.set_defaults(func=func)
        return s

    nested("validate", cmd_validate, "check a briefing file (nothing is written)").add_argument("file", type=Path)
    s = nested("import", cmd_import, "check a briefing file and publish it as the next version")
    s.add_argument("file", type=Path)
    s.add_argument("--note", default="", help="a note kept with the version")
    nested("versions", cmd_versions, "list the briefing versions")
    nested("rollback", cmd_rollback, "publish an earlier briefing version again").add_argument("version")
    nested("export", cmd_export, "write the published briefing file").add_argument(
        "--out", type=Path, help="file to write (default: standard output)")
