import json
import math

import pytest

from geodata import open_dataset
from geodata.provenance import as_of, illustrative_layers, source_document
from geodata.wall_settings import WallSettings, load_wall_settings, parse_wall_settings, save_wall_settings


def test_saved_settings_are_read_back_on_both_backends(state_backend):
    where = state_backend.location
    assert load_wall_settings(where) == WallSettings() and load_wall_settings(where).problems == ()
    saved = save_wall_settings(where, json.dumps({"dwell": 12, "idle": 30, "belts": ["B02", "B07"], "lang": "en"}))
    s = load_wall_settings(where)
    assert s == saved and (s.dwell, s.idle, s.belts, s.lang, s.problems) == (12.0, 30.0, ("B02", "B07"), "en", ())
    save_wall_settings(where, '{"dwell": 40, "lang": "fr"}')  # a wrong value is kept and reported, as in a file
    s = load_wall_settings(where)
    assert s.dwell == 40 and s.lang == "zh" and "lang" in s.problems[0]


@pytest.mark.parametrize("text", ["{dwell: 3", "[1, 2]", ""])
def test_text_that_is_not_a_json_object_is_refused_and_nothing_changes(state_backend, text):
    where = state_backend.location
    save_wall_settings(where, '{"dwell": 15}')
    with pytest.raises(ValueError, match="wall.json"):
        save_wall_settings(where, text)
    assert load_wall_settings(where).dwell == 15


def test_no_store_or_no_file_gives_the_defaults(tmp_path):
    assert load_wall_settings(None) == WallSettings()
    assert load_wall_settings(tmp_path) == WallSettings()
    assert load_wall_settings(tmp_path).problems == ()


def test_file_values_are_read(tmp_path):
    (tmp_path / "wall.json").write_text(json.dumps({"dwell": 12, "idle": 30, "belts": ["B02", "B07"], "lang": "en"}))
    s = load_wall_settings(tmp_path)
    assert (s.dwell, s.idle, s.belts, s.lang, s.problems) == (12.0, 30.0, ("B02", "B07"), "en", ())


def test_a_changed_file_is_read_again(tmp_path):
    path = tmp_path / "wall.json"
    path.write_text('{"dwell": 12}')
    assert load_wall_settings(tmp_path).dwell == 12
    path.write_text('{"dwell": 40}')
    import os
    os.utime(path, ns=(1, 10**18))
    assert load_wall_settings(tmp_path).dwell == 40


def test_bad_values_are_reported_and_defaults_kept():
    s = parse_wall_settings({"dwell": "fast", "idle": 1, "belts": "B01,<b>", "lang": "fr", "colour": 1})
    assert (s.dwell, s.idle, s.lang) == (20.0, 60.0, "zh")
    assert s.belts == ("B01",)
    text = " | ".join(s.problems)
    for part in ("dwell", "idle", "'<b>'", "lang", "unknown key 'colour'"):
        assert part in text
    assert parse_wall_settings({"dwell": math.nan}).problems
    assert parse_wall_settings({"dwell": True}).problems


def test_broken_json_is_reported_not_raised(tmp_path):
    (tmp_path / "wall.json").write_text("{dwell: 3")
    s = load_wall_settings(tmp_path)
    assert s.dwell == 20.0 and "not valid JSON" in s.problems[0]
    (tmp_path / "wall.json").write_text("[1, 2]")
    import os
    os.utime(tmp_path / "wall.json", ns=(1, 2 * 10**18))
    assert "not a JSON object" in load_wall_settings(tmp_path).problems[0]


def test_illustrative_layers_follow_the_provenance_flags():
    ds = open_dataset()
    layers = illustrative_layers(ds)
    prov = ds.provenance()
    assert set(layers) == set(prov.layer[prov.synthetic.astype(bool)])
    assert "villages" in layers and "county" not in layers
    assert as_of(ds) == ds.meta()["ledger_year"]
    assert source_document(ds).startswith("衢州组工信息")


def test_the_wall_command_sets_and_shows_the_settings(state_backend, tmp_path, monkeypatch, capsys):
    from dashboard.cli import main

    monkeypatch.delenv("KAIHUA_DATA", raising=False)
    monkeypatch.setenv("KAIHUA_DATA_STORE", str(state_backend.folder))
    if state_backend.database:
        monkeypatch.setenv("DATABASE_URL", state_backend.location)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    good, bad = tmp_path / "wall.json", tmp_path / "bad.json"
    good.write_text('{"dwell": 9, "belts": ["B04"]}', encoding="utf-8")
    bad.write_text("[1]", encoding="utf-8")
    assert main(["wall", "set", str(good)]) == 0
    assert main(["wall", "set", str(bad)]) == 1
    capsys.readouterr()
    assert main(["wall", "show"]) == 0
    assert "dwell 9 s" in capsys.readouterr().out
    assert load_wall_settings(state_backend.location).belts == ("B04",)
    assert (state_backend.folder / "wall.json").exists() is not state_backend.database
