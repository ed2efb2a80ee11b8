"""``python -m geodata briefing``: validate, import, versions, rollback, export; exit status and messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from geodata import audit
from geodata.briefing import SHIPPED_BRIEFING
from geodata.briefing_store import published_briefing
from geodata.cli import main

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = SHIPPED_BRIEFING.read_bytes()
BROKEN = SHIPPED.replace(b"facts: [belts, villages, green_fund", b"facts: [belts, villagez, green_fund")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_validate_names_file_step_and_field_and_writes_nothing(tmp_path, capsys):
    store = tmp_path / "store"
    bad = _write(tmp_path / "mine.yaml", BROKEN)
    assert BROKEN != SHIPPED
    assert main(["--store", str(store), "briefing", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "mine.yaml,第 1 步,字段 facts:未知的台账指标 “villagez”" in out
    assert "mine.yaml, step 1, field facts: unknown ledger key 'villagez'" in out
    assert not store.exists()
    good = _write(tmp_path / "good.yaml", SHIPPED)
    assert main(["--store", str(store), "--lang", "en", "briefing", "validate", str(good)]) == 0
    assert "passed" in capsys.readouterr().out and not store.exists()


def test_import_versions_rollback_export(backend, tmp_path, capsys):
    store = backend.source  # the store folder, or the database: the briefing lives where the data does
    args = [*backend.cli, "--lang", "en", "briefing"]
    first = _write(tmp_path / "first.yaml", SHIPPED)
    welcome = SHIPPED.replace("开化县乡村振兴党建示范带".encode(), "欢迎来开化".encode())
    second = _write(tmp_path / "second.yaml", welcome)
    assert main([*args, "import", str(first), "--note", "as shipped"]) == 0
    assert main([*args, "import", str(second), "--note", "welcome"]) == 0
    assert "published briefing version v0002.yaml" in capsys.readouterr().out
    assert main([*args, "import", str(_write(tmp_path / "bad.yaml", BROKEN))]) == 1  # refused: nothing changes
    assert "not published" in capsys.readouterr().out
    assert published_briefing(store) == "v0002.yaml"
    assert main([*args, "versions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("* v0002.yaml") and "welcome  second.yaml" in lines[0] and "cli:" in lines[0]
    assert lines[1].startswith("  v0001.yaml") and "as shipped  first.yaml" in lines[1]
    out = tmp_path / "exported.yaml"
    assert main([*args, "export", "--out", str(out)]) == 0
    assert "欢迎来开化" in out.read_text(encoding="utf-8")
    assert main([*args, "rollback", "1"]) == 0 and published_briefing(store) == "v0001.yaml"
    assert main([*args, "rollback", "v0007"]) == 1 and published_briefing(store) == "v0001.yaml"
    assert main([*args, "export", "--out", str(out)]) == 0 and out.read_bytes() == SHIPPED
    actions = [(e["action"], e["detail"]) for e in audit.read(store)]
    assert actions == [("publish", "briefing v0001.yaml (import on the command line)"),
                       ("publish", "briefing v0002.yaml (import on the command line)"),
                       ("export", "briefing v0002.yaml"), ("rollback", "briefing v0001.yaml"),
                       ("export", "briefing v0001.yaml")]


def test_export_to_stdout_and_usage_errors(tmp_path):
    run = subprocess.run([sys.executable, "-m", "geodata", "--store", str(tmp_path / "s"), "briefing", "export"],
                         cwd=ROOT, capture_output=True)
    assert run.returncode == 0 and run.stdout == SHIPPED  # nothing published: the shipped file
    run = subprocess.run([sys.executable, "-m", "geodata", "briefing", "frobnicate"], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 2 and "invalid choice" in run.stderr
    missing = subprocess.run([sys.executable, "-m", "geodata", "--store", str(tmp_path / "s"), "briefing",
                              "validate", str(tmp_path / "nope.yaml")], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_a_file_that_is_not_yaml_is_refused_with_its_line(tmp_path, capsys):
    bad = _write(tmp_path / "broken.yaml", b"version: 1\nsteps: [\n  - id: x\n")
    assert main(["--store", str(tmp_path / "s"), "--lang", "zh", "briefing", "import", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "broken.yaml:" in out and "格式错误" in out and "行" in out
