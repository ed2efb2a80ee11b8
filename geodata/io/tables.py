"""CSV and XLSX import: plain tables (indicators, chief rosters, any non-spatial layer).

Cells are read as text; the schema check converts them, naming the row and field of any that do
not convert. Indicators may come in long form (village_code, year, [pillar,] indicator, value) or
wide form (village_code, year, one column per indicator): :func:`melt_wide` turns wide into long.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.io.raw import RawLayer
from geodata.io.safety import Limits, check_archive, check_file, check_xml, read_checked
from geodata.report import Refused


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) if valid, else GB18030 (a superset of GBK, as Excel saves in China)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Refused("CSV 编码无法识别(应为 UTF-8 或 GBK)", "CSV encoding not recognised (use UTF-8 or GBK)") from exc


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.rename(columns=lambda c: str(c).strip())
    frame = frame.dropna(how="all")
    return frame.reset_index(drop=True)


def read_csv(path: Path, name: str, work: Path, limits: Limits) -> list[RawLayer]:
    text = decode_text(read_checked(path, limits))
    try:
        frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise Refused(f"CSV 无法解析:{exc}", f"CSV cannot be parsed: {exc}") from exc
    return [RawLayer(name, _clean(frame))]


def cell_text(value: object) -> str | None:
    """A cell as text, None when empty (None, NaN, NA). Excel keeps every number as a float, so
    330824106200.0 is a code, 330824106200 (12 digits fit a float exactly)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, name: str, work: Path, limits: Limits) -> list[RawLayer]:
    """Every non-empty sheet (named by its title when the workbook has several)."""
    from openpyxl import load_workbook  # openpyxl parses with defusedxml when it is installed (it is)

    check_file(path, limits)
    infos = check_archive(path, limits)  # an .xlsx is a zip: sizes and ratios checked before anything unpacks it
    with zipfile.ZipFile(path) as zf:
        for info in infos:  # openpyxl's read-only sheet parser does not refuse DTDs: we do
            check_xml(zf.read(info), info.filename)  # bounded: zipfile reads no more than the checked size
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise Refused(f"XLSX 无法读取:{exc}", f"XLSX cannot be read: {exc}") from exc
    layers = []
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if len(rows) < 2:
            continue
        frame = pd.DataFrame(rows[1:], columns=[str(c) if c is not None else "" for c in rows[0]])
        frame = frame.map(cell_text)
        layers.append(RawLayer(sheet.title if len(workbook.worksheets) > 1 else name, _clean(frame)))
    workbook.close()
    return layers


def is_wide(columns: Iterable[str], indicators: Iterable[str]) -> bool:
    cols = set(columns)
    return {"village_code", "year"} <= cols and "indicator" not in cols and bool(cols & set(indicators))


def melt_wide(frame: pd.DataFrame, indicators: Iterable[str]) -> pd.DataFrame:
    """Wide indicators (one column per indicator) to long form; other columns are kept as ids."""
    value_cols = [c for c in frame.columns if c in set(indicators)]
    id_cols = [c for c in frame.columns if c not in value_cols]
    # ignore_index=False: each value keeps the index of its row in the file, so findings name that row
    long = frame.melt(id_vars=id_cols, value_vars=value_cols, var_name="indicator", value_name="value",
                      ignore_index=False)
    return long.dropna(subset=["value"]).sort_index(kind="stable")
