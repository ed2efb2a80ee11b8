"""Several runs of the benchmark table into one: each figure as the median over the runs, with the spread.

    python -m benchmarks.combine RUN1.md RUN2.md RUN3.md [--out FILE]

Each file is a table as ``python -m benchmarks --out FILE`` writes it. For every row whose "measured" cell holds
numbers (``12.3 / 45.6 ms``, ``0.43 / 0.44 s``, ``989.6 KB``), the combined cell is the median of each number over
the runs and the spread is the lowest-highest of the last number (the p95 where there are two); the verdict is
the runs' verdicts side by side, so a figure that passed once and missed twice says so. Rows missing from a run
are combined over the runs that have them (the count is given).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class TableRow:
    """One row of a benchmark table, as printed."""

    figure: str
    measured: str
    naive: str
    ratio: str
    target: str
    verdict: str
    note: str


def parse_table(text: str) -> tuple[str, list[TableRow]]:
    """(the header line starting ``date``, the rows) of one printed run; other lines are ignored."""
    header = next((line for line in text.splitlines() if line.startswith("date ")), "")
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or cells[0] in ("figure", "") or set(cells[0]) <= {"-"}:
            continue
        rows.append(TableRow(*cells))
    return header, rows


def numbers(cell: str) -> list[float]:
    """The numbers of a cell, in order (thousands separators dropped)."""
    return [float(n.replace(",", "")) for n in NUMBER.findall(cell)]


def _format(value: float, like: str) -> str:
    decimals = len(like.split(".")[1]) if "." in like else 0
    return f"{value:,.{decimals}f}"


def median_cell(cells: Sequence[str]) -> str:
    """``cells`` (one per run, the same shape) with each number replaced by its median over the runs; the first
    cell unchanged when they do not share a shape (e.g. 'not run')."""
    shapes = {NUMBER.sub("#", c) for c in cells}
    parsed = [numbers(c) for c in cells]
    if len(shapes) != 1 or not parsed[0]:
        return cells[0]
    medians = [statistics.median(col) for col in zip(*parsed)]
    template = cells[0]
    out, last = [], 0
    for match, value in zip(NUMBER.finditer(template), medians):
        out.append(template[last:match.start()] + _format(value, match.group()))
        last = match.end()
    return "".join(out) + template[last:]


def spread(cells: Sequence[str]) -> str:
    """Lowest-highest of the last number of each cell (the p95 of 'p50 / p95'), '—' for one run."""
    last = [numbers(c)[-1] for c in cells if numbers(c)]
    if len(last) < 2:
        return "—"
    like = NUMBER.findall(cells[0])[-1]
    return f"{_format(min(last), like)}-{_format(max(last), like)}"


def combine(runs: Sequence[list[TableRow]]) -> list[list[str]]:
    """Rows of the combined table: figure, median, spread, runs, naive (median), ratio (median), target,
    verdicts, note (from the first run)."""
    order: list[str] = []
    by_figure: dict[str, list[TableRow]] = {}
    for rows in runs:
        for row in rows:
            if row.figure not in by_figure:
                order.append(row.figure)
                by_figure[row.figure] = []
            by_figure[row.figure].append(row)
    out = []
    for figure in order:
        rows = by_figure[figure]
        measured = [r.measured for r in rows]
        out.append([figure, median_cell(measured), spread(measured), str(len(rows)),
                    median_cell([r.naive for r in rows]), median_cell([r.ratio for r in rows]), rows[0].target,
                    " · ".join(r.verdict for r in rows), rows[0].note])
    return out


def render(headers: Sequence[str], rows: list[list[str]]) -> str:
    """The combined table as markdown, each run's header line above it."""
    lines = [f"run {i + 1}: {h}" for i, h in enumerate(headers)] + [""]
    lines.append("| figure | median (p50 / p95) | spread of p95 | runs | naive baseline | ratio | target | verdicts "
                 "| note |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.combine", description=__doc__.splitlines()[0])
    p.add_argument("runs", nargs="+", type=Path, help="tables written by python -m benchmarks --out FILE")
    p.add_argument("--out", type=Path, help="write the combined table here too")
    args = p.parse_args(argv)
    parsed = [parse_table(path.read_text(encoding="utf-8")) for path in args.runs]
    text = render([h for h, _ in parsed], combine([rows for _, rows in parsed]))
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
