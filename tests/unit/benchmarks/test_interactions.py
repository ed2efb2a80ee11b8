"""The interactions the benchmark times are recorded as a browser would send them, and say what they drew."""

from __future__ import annotations

from benchmarks.interactions import MAP_CALLBACK, record
from benchmarks.server import InProcess
from dashboard.config import Settings
from geodata import open_dataset


def test_a_belt_selected_on_the_map_is_the_state_the_benchmark_draws(tmp_path):
    settings = Settings(state_dir=tmp_path)
    server = InProcess(settings)
    ds = open_dataset(settings.data_path)
    inters = record(server.get_json("/_dash-layout"), server.get_json("/_dash-dependencies"), server.post, ds)
    belt = next(i for i in inters if i.name == "select belt")
    # the click arrives as the map's clickData; what the map drew has the belt (the browser run clicks it)
    assert belt.map_state["belt"] in set(ds.belts().belt_id)
    assert belt.requests[0].name == MAP_CALLBACK and len(belt.requests) == 3
    assert any("key-figure-value" in r.name for r in belt.requests)  # the charts follow


def test_the_chain_script_prints_every_callback_and_the_chain(capsys):
    from benchmarks.chain import main

    main(["--n", "2"])
    out = capsys.readouterr().out
    assert "3 callbacks" in out and "map.figure" in out and "chain " in out and "never seen" in out
