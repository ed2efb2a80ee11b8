"""Combining benchmark runs: medians per number, the spread of the p95, every run's verdict."""

from __future__ import annotations

from benchmarks.combine import combine, main, median_cell, parse_table, spread

RUN = """date 2026-12-02 05:40 UTC · run full · load average at start {load}

| figure | measured (p50 / p95) | naive baseline | ratio | target | verdict | note |
|---|---|---|---|---|---|---|
| click belt | {p50} / {p95} ms | 900 / 1,500 ms | {ratio}x | p95 ≤ 100 ms | {verdict} | pointer press |
| first page load | 989.6 KB (raw 4.19 MB) | — | — | ≤ 1.5 MB | pass | cold |
"""


def _run(p50, p95, ratio, verdict, load="0.5"):
    return RUN.format(p50=p50, p95=p95, ratio=ratio, verdict=verdict, load=load)


def test_parse_keeps_header_and_rows_only():
    header, rows = parse_table(_run("40.0", "90.0", "10.0", "pass"))
    assert header.startswith("date 2026-12-02") and [r.figure for r in rows] == ["click belt", "first page load"]


def test_median_of_each_number_and_spread_of_the_last():
    cells = ["40.0 / 90.0 ms", "50.0 / 1,200.0 ms", "45.0 / 110.0 ms"]
    assert median_cell(cells) == "45.0 / 110.0 ms"
    assert spread(cells) == "90.0-1,200.0"
    assert median_cell(["not run", "40.0 / 90.0 ms"]) == "not run"  # shapes differ: no invented median


def test_combined_rows_show_every_verdict(tmp_path, capsys):
    runs = [parse_table(_run(a, b, r, v))[1] for a, b, r, v in
            [("40.0", "90.0", "10.0", "pass"), ("60.0", "130.0", "7.0", "**miss**"), ("50.0", "95.0", "9.0", "pass")]]
    click = combine(runs)[0]
    assert click[:4] == ["click belt", "50.0 / 95.0 ms", "90.0-130.0", "3"]
    assert click[5] == "9.0x" and click[7] == "pass · **miss** · pass"
    paths = []
    for i, text in enumerate([_run("40.0", "90.0", "10.0", "pass", "0.3"), _run("60.0", "130.0", "7.0", "pass")]):
        paths.append(tmp_path / f"r{i}.md")
        paths[-1].write_text(text, encoding="utf-8")
    assert main([str(p) for p in paths] + ["--out", str(tmp_path / "all.md")]) == 0
    out = (tmp_path / "all.md").read_text(encoding="utf-8")
    assert "run 1: date" in out and "| click belt | 50.0 / 110.0 ms | 90.0-130.0 | 2 |" in out
