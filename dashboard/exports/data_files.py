"""The villages of a view state's scope as data files: CSV (UTF-8 with BOM), XLSX, GeoJSON, GeoPackage.

One table per request: each village of the scope with its code, names, township, belts, population, the
year's pillar scores and every indicator of that year (one column each, named by the indicator's id; the
XLSX has a second sheet describing the columns). A staff request adds the first secretaries' names and the
prevailing cadre rating; a public one never sees those columns.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata.audience import redact
from geodata.figures import scope_villages
from geodata.measures import village_ratings
from geodata.schema import PILLARS
from geodata.scores import village_scores

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3"}
PERSONAL_COLUMNS = ("first_secretaries", "cadre_rating")
LAYER_NAME = "villages"


def scope_codes(ds: Dataset, state: ViewState) -> frozenset[str]:
    kind, value = state.scope
    return scope_villages(ds, kind, value)


def _belts_of(ds: Dataset) -> pd.DataFrame:
    bv = ds.belt_villages().merge(ds.belts()[["belt_id", "name"]], on="belt_id").sort_values(["belt_id", "seq"])
    return bv.groupby("village_code").agg(belts=("belt_id", ";".join), belt_names=("name", ";".join))


def village_table(ds: Dataset, state: ViewState, audience: Audience) -> gpd.GeoDataFrame:
    """The villages of ``state``'s scope for ``audience`` (rows in code order, geometry in EPSG:4326)."""
    codes = scope_codes(ds, state)
    vil = ds.villages()
    vil = vil[vil.code.isin(codes)].sort_values("code")
    towns = ds.townships().set_index("code")
    out = pd.DataFrame({
        "code": vil.code.to_numpy(), "name": vil.name.to_numpy(), "name_en": vil.name_en.to_numpy(),
        "kind": vil.kind.to_numpy(), "township_code": vil.township_code.to_numpy(),
        "township": vil.township_code.map(towns.name).to_numpy(),
        "township_en": vil.township_code.map(towns.name_en).to_numpy(),
    })
    belts = _belts_of(ds)
    out["belts"] = out.code.map(belts.belts).fillna("")
    out["belt_names"] = out.code.map(belts.belt_names).fillna("")
    for column in ("area_km2", "population", "households", "party_members", "patrol_volunteers"):
        out[column] = vil[column].to_numpy()
    out["year"] = state.year
    scores = village_scores(ds, state.year)
    for column in (*PILLARS, "overall"):
        if column in scores:
            out[f"score_{column}"] = out.code.map(scores[column]).round(1)
    ind = ds.indicators()
    wide = ind[(ind.year == state.year) & ind.village_code.isin(codes)].pivot_table(
        index="village_code", columns="indicator", values="value", aggfunc="first")
    for indicator in ds.indicator_catalogue().indicator:
        if indicator in wide and indicator not in out:
            out[indicator] = out.code.map(wide[indicator])
    if audience is Audience.STAFF:
        cadres = redact("cadres", ds.layer("cadres"), audience)
        firsts = cadres[cadres.role == "第一书记"].groupby("village_code").name.agg(";".join)
        out["first_secretaries"] = out.code.map(firsts).fillna("")
        out["cadre_rating"] = out.code.map(village_ratings(ds)).fillna("")
    out["synthetic"] = vil.synthetic.astype(bool).to_numpy()
    return gpd.GeoDataFrame(out, geometry=vil.geometry.to_numpy(), crs="EPSG:4326")


def column_notes(ds: Dataset, table: pd.DataFrame) -> pd.DataFrame:
    """One row per column of ``table``: what it holds, in Chinese and English, with its unit."""
    cat = ds.indicator_catalogue().set_index("indicator")
    rows = []
    for column in table.columns:
        if column in cat.index:
            rows.append((column, cat.name_zh[column], cat.name_en[column], cat.unit[column]))
        else:
            rows.append((column, "", column.replace("_", " "), ""))
    return pd.DataFrame(rows, columns=["column", "name_zh", "name_en", "unit"])


def to_bytes(ds: Dataset, table: gpd.GeoDataFrame, fmt: str) -> bytes:
    """``table`` as a file of ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "csv":
        frame = pd.DataFrame(table.drop(columns="geometry"))
        point = table.geometry.representative_point()
        frame["lon"], frame["lat"] = point.x.round(5), point.y.round(5)
        return frame.to_csv(index=False).encode("utf-8-sig")  # the BOM: Excel opens the Chinese intact
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            pd.DataFrame(table.drop(columns="geometry")).to_excel(writer, sheet_name=LAYER_NAME, index=False)
            column_notes(ds, table).to_excel(writer, sheet_name="columns", index=False)
        return buffer.getvalue()
    if fmt == "geojson":
        return table.to_json(ensure_ascii=False, drop_id=True).encode("utf-8")
    if fmt == "gpkg":
        with tempfile.TemporaryDirectory(prefix="kaihua-data-") as work:
            path = Path(work) / "villages.gpkg"
            table.to_file(path, layer=LAYER_NAME, driver="GPKG", engine="pyogrio")
            return path.read_bytes()
    raise ValueError(f"unknown data format {fmt!r}; expected one of {', '.join(FORMATS)}")
