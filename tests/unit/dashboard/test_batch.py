"""The batch command's plan and usage (rendering itself: tests/browser/test_exports.py runs a small batch)."""

from __future__ import annotations

import pytest

from dashboard.config import Settings
from dashboard.exports.batch import Outcome, main, plan, summary


def test_the_plan_has_every_file_of_the_year(dataset):
    belts = sorted(dataset.belts().belt_id)
    names = [job.name for job in plan(dataset, Settings(), belts, "en", 2017, "2026-12-02")]
    assert names[0] == "county-dossier-2017-en.pdf"
    assert len(names) == 1 + 21 * 3 + 4 and len(set(names)) == len(names)
    assert {"B05-dossier-2017-en.pdf", "B05-map-4k-2017-en.png", "B05-map-a4-2017-en.png"} <= set(names)
    assert {f"villages-2017.{f}" for f in ("csv", "xlsx", "geojson", "gpkg")} <= set(names)


@pytest.mark.parametrize("argv", [["batch"], ["batch", "--out", "x", "--lang", "fr"],
                                  ["batch", "--out", "x", "--year", "1990"], ["batch", "--out", "x", "--belts", "B99"]])
def test_bad_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


def test_the_summary_counts_and_names_failures(tmp_path):
    text = summary([Outcome("a.pdf", 2_000_000, 1.0), Outcome("b.csv", 0, 0.1, "boom")], tmp_path)
    assert text.startswith("1 of 2 files written") and "FAILED b.csv: boom" in text
