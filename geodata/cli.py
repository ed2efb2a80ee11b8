"""``python -m geodata``: validate, import, export, list and roll back dataset versions.

    python -m geodata validate FILE [--layer L] [--crs gcj02|bd09|EPSG:xxxx]
    python -m geodata import FILE [--layer L] [--crs ...] [--note TEXT]
    python -m geodata export [--out DIR] [--format gpkg|geojson|csv]
    python -m geodata versions
    python -m geodata rollback VERSION
    python -m geodata briefing validate|import|versions|rollback|export ...   (geodata/cli_briefing.py)

The store is ``--database URL`` or ``DATABASE_URL`` (PostgreSQL + PostGIS) when given, else the folder ``--store``,
``KAIHUA_DATA`` (when it is a folder), ``KAIHUA_DATA_STORE`` or ``var/data``; the audit log and the briefing live
where the data does (the database's ``kb_audit`` and ``kb_briefing_*`` tables with a database).
Exit status: 0 success, 1 the file failed validation or the action was refused, 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from geodata import audit, cli_briefing, importing
from geodata import export as exporting
from geodata.backend import backend_for
from geodata.dataset import open_dataset
from geodata.db import is_database_url
from geodata.errors import DataError
from geodata.io.safety import Limits
from geodata.report import Report
from geodata.store import default_store


def _audit(store: Path | str, action: str, detail: str) -> None:
    """The operator's action, in the store's audit log (who: the machine's user; from: this machine)."""
    try:
        audit.record(store, action, f"cli:{getpass.getuser()}", "local", detail)
    except (OSError, KeyError) as err:
        print(f"audit log not written: {err}", file=sys.stderr)


def _print_report(report: Report, lang: str) -> None:
    for code in ("zh", "en") if lang == "both" else (lang,):
        print("\n".join(report.lines(code)))


def _options(args: argparse.Namespace) -> importing.Options:
    return importing.Options(layer=args.layer, crs=args.crs, limits=Limits.from_env(os.environ))


def cmd_validate(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="kaihua-validate-") as work:
        report = importing.build(args.file, args.file.name, open_dataset(args.data), Path(work), _options(args))
    _print_report(report, args.lang)
    return 0 if report.ok else 1


def cmd_import(args: argparse.Namespace) -> int:
    backend = backend_for(args.data)
    staged = backend.stage(args.file, args.file.name, _options(args))
    _print_report(staged.report, args.lang)
    if staged.token is None:
        print("未发布 / not published")
        return 1
    vid = backend.publish(staged.token, args.note)
    _audit(args.data, "publish", f"{vid} (import on the command line)")
    print(f"已发布版本 {vid} / published version {vid}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    for path in exporting.export(open_dataset(args.data), args.out, args.format):
        print(path)
    _audit(args.data, "export", f"{args.format} to {args.out}")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    listed = backend_for(args.data).list_versions()
    if not listed:
        where = "database" if is_database_url(args.data) else args.store
        print(f"{where}: 尚无版本,使用随附数据 / no versions yet: serving the shipped dataset")
    for v in listed:
        counts = ", ".join(f"{k} {v.counts[k]}" for k in ("villages", "belts", "indicators") if k in v.counts)
        print(f"{'*' if v.current else ' '} {v.id}  {v.created}  {v.source}  {v.note}  [{counts}]")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    backend_for(args.data).rollback(args.version)
    _audit(args.data, "rollback", args.version)
    print(f"已恢复版本 {args.version} / version {args.version} is published again "
          f"(data {open_dataset(args.data).version})")
    return 0


def _common(p: argparse.ArgumentParser, default: object) -> None:
    """``--store`` and ``--lang``, accepted before the subcommand and after it (as README shows)."""
    p.add_argument("--store", type=Path, default=default, help="data store folder")
    p.add_argument("--database", default=default, metavar="URL",
                   help="PostgreSQL + PostGIS database (postgresql://...; default DATABASE_URL)")
    p.add_argument("--lang", choices=("zh", "en", "both"), default=default, help="report language")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geodata", description="Kaihua Belts data management")
    _common(p, None)
    # After the subcommand the options default to SUPPRESS: a value given before it is not overwritten.
    shared = argparse.ArgumentParser(add_help=False)
    _common(shared, argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, **kw: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[shared], **kw)

    for name, func in (("validate", cmd_validate), ("import", cmd_import)):
        s = add(name, help=f"{name} a GeoPackage, GeoJSON, zipped Shapefile, KML, CSV or XLSX")
        s.add_argument("file", type=Path)
        s.add_argument("--layer", help="the layer the file holds (when it cannot be told from the file)")
        s.add_argument("--crs", help="gcj02 or bd09 (Chinese web-map offsets), or a CRS for a file without one")
        if name == "import":
            s.add_argument("--note", default="", help="a note kept with the version")
        s.set_defaults(func=func)
    s = add("export", help="export the published dataset")
    s.add_argument("--out", type=Path, default=Path("export"))
    s.add_argument("--format", choices=exporting.FORMATS, default="gpkg")
    s.set_defaults(func=cmd_export)
    add("versions", help="list the versions").set_defaults(func=cmd_versions)
    s = add("rollback", help="publish an earlier version again")
    s.add_argument("version")
    s.set_defaults(func=cmd_rollback)
    cli_briefing.add_commands(add, shared)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.store = args.store or default_store(os.environ)
    args.database = args.database or os.environ.get("DATABASE_URL") or None
    if args.database is not None and not is_database_url(args.database):
        print("--database / DATABASE_URL must be a postgresql:// URL", file=sys.stderr)
        return 2
    args.data = args.database or args.store  # what is served, imported into and rolled back
    args.lang = args.lang or "both"
    if getattr(args, "file", None) is not None and not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 1
    try:
        return args.func(args)
    except (DataError, ValueError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk while exporting, an unreadable folder: a clear line, never a traceback
        print(f"错误 / error: {exc.strerror or exc} ({exc.filename or args.store})", file=sys.stderr)
        return 1
