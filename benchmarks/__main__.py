"""``python -m benchmarks [--quick] [--data FILE.gpkg] [--out FILE]``: measure and print one markdown table.

``python -m benchmarks --scale [...]`` runs the scale-out benchmark instead (``benchmarks/scale.py``; its own
options: ``python -m benchmarks --scale --help``)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from benchmarks.run import PRESETS, run, run_wall_only


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer repeats; 10 viewers for 15 s")
    size.add_argument("--tiny", action="store_true", help="a few repeats of everything (for tests)")
    p.add_argument("--data", type=Path, help="GeoPackage to benchmark on (default: the shipped county data)")
    p.add_argument("--out", type=Path, help="also write the table to this file")
    p.add_argument("--viewers", type=int, help="simulated viewers in the load run")
    p.add_argument("--seconds", type=float, help="length of the load run")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    p.add_argument("--no-png", action="store_true", help="skip the kaleido PNG export")
    p.add_argument("--no-load", action="store_true", help="skip the gunicorn load run")
    p.add_argument("--no-memory", action="store_true", help="skip the memory-against-publishing run")
    p.add_argument("--publishes", type=int, help="publishes in the memory run (default 20; tiny: 2)")
    p.add_argument("--no-wall", action="store_true", help="skip the wall display's tour")
    p.add_argument("--wall-minutes", type=float, help="length of the wall's tour (full 30, quick 1)")
    p.add_argument("--wall-only", action="store_true", help="measure only the wall display's rows")
    p.add_argument("--exports", action="store_true",
                   help="only the export rows: other users' callbacks during 20 exports, dossier and 4K PNG times")
    p.add_argument("--exports-n", type=int, default=20, help="simultaneous exports in the --exports run")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> str:
    argv = sys.argv[1:] if argv is None else list(argv)
    if "--scale" in argv:
        from benchmarks.scale import main as scale_main

        return scale_main([a for a in argv if a != "--scale"])
    args = parse(argv)
    cfg = PRESETS["quick" if args.quick else "tiny" if args.tiny else "full"]
    changes = {"data": args.data, "browser": not args.no_browser, "png": not args.no_png, "load": not args.no_load,
               "memory": not args.no_memory, "wall": not args.no_wall}
    if args.publishes:
        changes["publishes"] = args.publishes
    if args.wall_minutes:
        changes["wall_minutes"] = args.wall_minutes
    if args.viewers:
        changes["viewers"] = args.viewers
    if args.seconds:
        changes["seconds"] = args.seconds
    cfg = dataclasses.replace(cfg, **changes)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    if args.exports:
        from benchmarks.export_jobs import run_exports

        text = run_exports(n_exports=args.exports_n, log=log)
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        return text
    text = run_wall_only(cfg, log) if args.wall_only else run(cfg, log=log)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return text


if __name__ == "__main__":
    main()
