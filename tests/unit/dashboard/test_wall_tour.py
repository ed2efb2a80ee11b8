from dashboard.wall_tour import step_state, tour_config
from geodata.wall_settings import WallSettings

BELTS = tuple(f"B{i:02d}" for i in range(1, 22))


def test_defaults_tour_the_county_then_every_belt():
    cfg = tour_config("", WallSettings(), BELTS)
    assert cfg.steps == (None, *BELTS) and cfg.count == 22
    assert (cfg.dwell, cfg.idle, cfg.lang, cfg.start, cfg.problems) == (20.0, 60.0, "zh", 1, ())


def test_url_overrides_the_file_defaults():
    defaults = WallSettings(dwell=30, idle=90, belts=("B03",), lang="en")
    cfg = tour_config("?dwell=5&idle=10&belts=B01,B05&lang=zh&step=3", defaults, BELTS)
    assert (cfg.dwell, cfg.idle, cfg.lang, cfg.steps, cfg.start) == (5.0, 10.0, "zh", (None, "B01", "B05"), 3)
    assert tour_config("", defaults, BELTS).steps == (None, "B03")


def test_every_bad_parameter_is_reported_and_its_default_used():
    cfg = tour_config("?dwell=0&idle=abc&belts=B01,B99,x<y&lang=de&step=40&zoom=2", WallSettings(), BELTS)
    assert (cfg.dwell, cfg.idle, cfg.lang, cfg.start) == (20.0, 60.0, "zh", 1)
    assert cfg.steps == (None, "B01")
    text = " | ".join(cfg.problems)
    for part in ("dwell", "idle", "B99", "'x<y'", "lang", "step", "'zoom'"):
        assert part in text, part


def test_no_known_belt_left_tours_them_all_and_the_file_problems_show():
    defaults = WallSettings(problems=("wall.json: dwell: 'x' is not a number",))
    cfg = tour_config("?belts=B77", defaults, BELTS)
    assert cfg.steps == (None, *BELTS)
    assert cfg.problems[0].startswith("wall.json") and "B77" in cfg.problems[1]


def test_a_huge_query_is_not_read():
    cfg = tour_config("?dwell=5&" + "x" * 5000, WallSettings(), BELTS)
    assert cfg.dwell == 20.0 and "ignored" in cfg.problems[0]


def test_step_states_frame_the_belt_with_its_township():
    cfg = tour_config("?belts=B02,B05&lang=en", WallSettings(), BELTS)
    towns = {"B02": "330824218", "B05": "330824101"}
    first = step_state(cfg, 1, towns)
    assert first.scope == ("county", None) and first.lang == "en"
    second = step_state(cfg, 2, towns)
    assert (second.belt, second.township, second.village) == ("B02", "330824218", None)
    assert step_state(cfg, 99, towns).belt == "B05"  # clamped
    assert step_state(cfg, -3, towns) == first
