"""Presenter rooms: shared state that every worker reads the same way."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dashboard.rooms import FolderRooms, RoomState, open_rooms, valid_room


def _state(room="lobby", step=3, active=True, updated=1000.0):
    return RoomState(room=room, step=step, step_id="sorghum", query="?story=S01", active=active, updated=updated)


def test_a_room_round_trips_through_its_folder(tmp_path):
    rooms = FolderRooms(tmp_path / "rooms")
    assert rooms.get("lobby") is None
    rooms.put(_state())
    assert rooms.get("lobby") == _state()
    rooms.put(_state(step=4))
    assert rooms.get("lobby").step == 4
    assert [p.name for p in (tmp_path / "rooms").iterdir()] == ["lobby.json"]  # no temporary file left


def test_another_process_sees_the_move(tmp_path):
    FolderRooms(tmp_path).put(_state(step=7))
    code = ("import sys; from dashboard.rooms import FolderRooms; "
            "print(FolderRooms(sys.argv[1]).get('lobby').step)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "7"


@pytest.mark.parametrize("name", ["", "../etc", "a/b", "x" * 33, "大厅", None, 5])
def test_room_names_are_checked(tmp_path, name):
    assert not valid_room(name)
    with pytest.raises(ValueError):
        FolderRooms(tmp_path).get(name)


def test_a_damaged_room_file_reads_as_no_room(tmp_path):
    (tmp_path / "lobby.json").write_text("{not json", encoding="utf-8")
    assert FolderRooms(tmp_path).get("lobby") is None


def test_a_wall_follows_only_an_active_recent_presenter():
    assert _state(updated=1000).following(idle_seconds=60, now=1030)
    assert not _state(updated=1000).following(idle_seconds=60, now=1061)
    assert not _state(active=False, updated=1000).following(idle_seconds=60, now=1001)


def test_without_redis_the_folder_serves(tmp_path):
    assert isinstance(open_rooms(tmp_path, None), FolderRooms)


def test_a_wall_in_a_room_renders_the_presenters_step_as_for_the_public():
    from callbacks import wall as cb
    from dashboard.config import Settings
    from dashboard.wall_tour import tour_config
    from geodata import open_dataset
    from geodata.wall_settings import WallSettings

    ds = open_dataset()
    assert tour_config("?room=lobby", WallSettings(), ("B01",)).room == "lobby"
    assert tour_config("?room=../x", WallSettings(), ("B01",)).room is None
    state, title, theme, villages, tiles, chart, chart_hidden, story, shown = cb.step_view(
        {"step": 1, "brief": 14, "height": 1080, "nonce": 3}, "?room=lobby", Settings(), ds)
    assert shown["brief"] == 14 and "lobby" in theme and state["view"]["story"] == "S08"
    assert "陈强龙" not in str(story)  # the veteran is named on staff screens only
    # without a room the wall never renders a briefing step, whatever the browser sends
    assert "brief" not in cb.step_view({"step": 1, "brief": 14, "height": 1080, "nonce": 4}, "", Settings(), ds)[-1]


def test_a_wall_following_a_presenter_hides_its_chart_box_on_a_step_without_a_chart():
    from callbacks import wall as cb
    from callbacks.brief import briefing_of
    from dashboard.config import Settings
    from geodata import open_dataset

    ds, settings = open_dataset(), Settings()
    steps = briefing_of(settings, ds).briefing.steps
    without = next(k for k, s in enumerate(steps, 1) if s.chart is None)
    with_chart = next(k for k, s in enumerate(steps, 1) if s.chart is not None)
    for k, hidden in ((without, True), (with_chart, False)):
        out = cb.step_view({"step": 1, "brief": k, "height": 1080, "nonce": k}, "?room=lobby", settings, ds)
        assert out[6] is hidden, k
