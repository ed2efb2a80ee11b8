"""The clerk's batch: every report file of one year in one folder, with a progress bar and a summary.

    python -m dashboard.exports batch --out DIR [--lang zh|en] [--year Y] [--belts B01,B05]

writes the county dossier, each belt's dossier, a 4K PNG and an A4 (300 dpi) PNG of each belt's map, and the
county's village data as CSV, XLSX, GeoJSON and GeoPackage. Files are drawn as for the public. Exit status 0 =
every file written, 1 = some failed (the summary names them), 2 = bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from dashboard.config import Settings
from dashboard.exports.data_files import FORMATS, to_bytes, village_table
from dashboard.exports.render import RENDERER, ExportFailed, ExportUnavailable, render_png
from dashboard.exports.routes import county_pdf, dossier_pdf, map_sheet
from dashboard.exports.snapshot import SIZES
from dashboard.state import LANGS, ViewState
from geodata import Audience, Dataset, open_dataset
from geodata.vocabulary import vocabulary


@dataclass(frozen=True)
class Job:
    name: str  # file name in the folder
    make: object  # () -> bytes


@dataclass(frozen=True)
class Outcome:
    name: str
    size: int
    seconds: float
    error: str | None = None


def plan(ds: Dataset, settings: Settings, belts: list[str], lang: str, year: int, day: str) -> list[Job]:
    """Every file of the batch, in the order written."""
    public = settings  # every file is drawn for the public: the builders are given Audience.PUBLIC
    jobs = [Job(f"county-dossier-{year}-{lang}.pdf", lambda: county_pdf.__wrapped__(ds, public, lang, year, day))]
    for belt in belts:
        state = ViewState(belt=belt, year=year, lang=lang)
        jobs.append(Job(f"{belt}-dossier-{year}-{lang}.pdf",
                        lambda b=belt: dossier_pdf.__wrapped__(ds, public, b, lang, year, day)))
        for size in ("4k", "a4"):
            jobs.append(Job(f"{belt}-map-{size}-{year}-{lang}.png",
                            lambda s=state, z=size: render_png(map_sheet(ds, public, Audience.PUBLIC, s, SIZES[z],
                                                                         day), SIZES[z])))
    county = ViewState(year=year, lang=lang)
    for fmt in FORMATS:
        jobs.append(Job(f"villages-{year}.{fmt}",
                        lambda f=fmt: to_bytes(ds, village_table(ds, county, Audience.PUBLIC), f)))
    return jobs


def run(jobs: list[Job], out: Path, progress: bool = True) -> list[Outcome]:
    """Make and write each job's file into ``out``; a failed file is reported, the rest go on."""
    out.mkdir(parents=True, exist_ok=True)
    outcomes = []
    bar = tqdm(jobs, desc="exports", unit="file", disable=not progress, file=sys.stderr)
    for job in bar:
        bar.set_postfix_str(job.name)
        start = time.perf_counter()
        try:
            body = job.make()
        except (ExportFailed, ValueError, OSError) as err:
            outcomes.append(Outcome(job.name, 0, time.perf_counter() - start, str(err)))
            continue
        path = out / job.name
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(body)
        tmp.replace(path)  # a file in the folder is always whole
        outcomes.append(Outcome(job.name, len(body), time.perf_counter() - start))
    return outcomes


def summary(outcomes: list[Outcome], out: Path) -> str:
    done = [o for o in outcomes if o.error is None]
    failed = [o for o in outcomes if o.error is not None]
    seconds = sum(o.seconds for o in outcomes)
    lines = [f"{len(done)} of {len(outcomes)} files written to {out} "
             f"({sum(o.size for o in done) / 1e6:.1f} MB, {seconds:.1f} s)"]
    kinds: dict[str, list[float]] = {}
    for o in done:
        kinds.setdefault(o.name.rsplit(".", 1)[-1] if "-map-" not in o.name else "map png", []).append(o.seconds)
    lines += [f"  {kind}: {len(t)} files, {sum(t) / len(t):.2f} s each" for kind, t in sorted(kinds.items())]
    lines += [f"  FAILED {o.name}: {o.error}" for o in failed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.exports", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    batch = sub.add_parser("batch", help="write every report file of a year into a folder")
    batch.add_argument("--out", required=True, type=Path, help="the folder to write into")
    batch.add_argument("--lang", default="zh", choices=LANGS)
    batch.add_argument("--year", type=int, default=None, help="default: the latest year of the data")
    batch.add_argument("--belts", default=None, help="comma-separated belt ids (default: all 21)")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    ds = open_dataset(settings.data_path)
    vocab = vocabulary(ds)
    year = args.year if args.year is not None else max(vocab.years)
    if year not in vocab.years:
        parser.error(f"--year must be one of {', '.join(map(str, sorted(vocab.years)))}")
    belts = sorted(vocab.belts) if not args.belts else [b.strip() for b in args.belts.split(",") if b.strip()]
    unknown = [b for b in belts if b not in vocab.belts]
    if unknown:
        parser.error(f"unknown belt(s): {', '.join(unknown)}")
    jobs = plan(ds, settings, belts, args.lang, year, dt.date.today().isoformat())
    try:
        outcomes = run(jobs, args.out, progress=not args.quiet)
    except ExportUnavailable as err:
        print(err, file=sys.stderr)
        return 1
    finally:
        RENDERER.close()
    print(summary(outcomes, args.out))
    return 0 if all(o.error is None for o in outcomes) else 1
