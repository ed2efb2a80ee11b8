"""``python -m geodata``: exit status and the printed report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from geodata.cli import main
from tests.unit.geodata.files import indicators_long, write_csv

ROOT = Path(__file__).resolve().parents[3]


def test_validate_prints_the_report_and_fails_on_errors(backend, tmp_path, capsys):
    bad = indicators_long(3).drop(columns="value")
    path = write_csv(tmp_path / "indicators.csv", bad)
    assert main([*backend.cli, "validate", str(path), "--layer", "indicators"]) == 1
    out = capsys.readouterr().out
    assert "缺少必填列 value" in out and "missing required column value" in out
    assert not backend.folder.exists()  # validating writes nothing to the store ...
    assert backend.published() == (None, ())  # ... nor to the database


def test_import_versions_export_rollback(backend, tmp_path, capsys):
    store = [*backend.cli, "--lang", "en"]
    path = write_csv(tmp_path / "indicators.csv", indicators_long(5))
    assert main([*store, "import", str(path), "--note", "first survey"]) == 0
    assert "published version v0002" in capsys.readouterr().out
    assert main([*store, "versions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("* v0002") and "indicators.csv  first survey" in lines[0]
    assert lines[1].startswith("  v0001")
    assert main([*store, "rollback", "v0001"]) == 0
    capsys.readouterr()
    assert main([*store, "versions"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("* v0001")
    assert main([*store, "rollback", "v0042"]) == 1
    assert main([*store, "export", "--out", str(tmp_path / "out"), "--format", "csv"]) == 0
    assert (tmp_path / "out" / "villages.csv").read_text(encoding="utf-8-sig").startswith("code,")
    from geodata import audit

    actions = [(e["action"], e["from"]) for e in audit.read(backend.source)]
    # the operator's actions, logged where the data is (the database with --database)
    assert actions == [("publish", "local"), ("rollback", "local"), ("export", "local")]


def test_missing_file_and_bad_usage(tmp_path):
    assert main(["--store", str(tmp_path), "validate", str(tmp_path / "nope.csv")]) == 1
    run = subprocess.run([sys.executable, "-m", "geodata", "frobnicate"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2 and "invalid choice" in run.stderr


def test_refused_file_exits_non_zero_with_reason(tmp_path):
    path = tmp_path / "x.vrt"
    path.write_text("<OGRVRTDataSource/>")
    run = subprocess.run([sys.executable, "-m", "geodata", "--store", str(tmp_path / "s"), "--lang", "en",
                          "validate", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    assert "VRT files are refused" in run.stdout


def test_store_and_lang_after_the_subcommand(tmp_path, capsys):
    """``python -m geodata import FILE --store DIR`` (as README shows) uses DIR, not the default store."""
    store = tmp_path / "store"
    path = write_csv(tmp_path / "indicators.csv", indicators_long(5))
    assert main(["import", str(path), "--store", str(store), "--lang", "en", "--note", "after"]) == 0
    out = capsys.readouterr().out
    assert "published version v0002" in out and "未发布" not in out and "通过" not in out
    assert (store / "CURRENT").read_text().strip() == "v0002"
    assert main(["versions", "--store", str(store)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("* v0002")
    # before the subcommand still works, and a value given there is not overwritten by the default after it
    assert main(["--store", str(store), "rollback", "v0001"]) == 0
    assert (store / "CURRENT").read_text().strip() == "v0001"
    run = subprocess.run([sys.executable, "-m", "geodata", "versions", "--store", str(store)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.splitlines()[1].startswith("* v0001")


def test_the_store_comes_from_the_environment(backend, tmp_path):
    """``DATABASE_URL`` (or ``KAIHUA_DATA``) names the store when no option does, as for the app."""
    path = write_csv(tmp_path / "indicators.csv", indicators_long(5))
    env = {**backend.env, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "geodata", "--lang", "en", "import", str(path), "--note", "env"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0 and "published version v0002" in run.stdout, run.stderr
    assert [(v.id, v.current, v.note) for v in backend.backend.list_versions()][0] == ("v0002", True, "env")
