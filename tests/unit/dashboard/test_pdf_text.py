"""The PDF text-layer fix: ToUnicode CMaps that name radicals are rewritten to the ideographs drawn."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from dashboard.exports.pdf_text import BLOCK_SIZE, PRODUCER, TO_IDEOGRAPH, fix_cmap, fix_text_layer, rewrite_text_layer

HEAD = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\n" \
       "endcodespacerange\n"
TAIL = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def _map(cmap: str) -> dict[int, str]:
    """glyph -> text, read back from a CMap (bfchar and bfrange, both forms)."""
    out = {}
    for kind, body in re.findall(r"\d+\s+begin(bfchar|bfrange)\s*(.*?)\s*end\1", cmap, re.S):
        if kind == "bfchar":
            for src, dst in re.findall(r"<([0-9A-F]+)>\s*<([0-9A-F]*)>", body):
                out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
        else:
            for lo, hi, dst in re.findall(r"<([0-9A-F]+)>\s*<([0-9A-F]+)>\s*<([0-9A-F]+)>", body):
                start = bytes.fromhex(dst).decode("utf-16-be")
                for k in range(int(hi, 16) - int(lo, 16) + 1):
                    out[int(lo, 16) + k] = chr(ord(start) + k)
    return out


def test_the_table_maps_the_radicals_seen_in_dossiers():
    assert {chr(k): chr(v) for k, v in TO_IDEOGRAPH.items() if chr(k) in "⽔⻥⺠⻓⻔⽂⼈"} == {
        "⽔": "水", "⻥": "鱼", "⺠": "民", "⻓": "长", "⻔": "门", "⽂": "文", "⼈": "人"}


def test_single_entries_are_rewritten():
    cmap = HEAD + "3 beginbfchar\n<0003> <0020>\n<0100> <2F54>\n<0101> <2EE5>\nendbfchar\n" + TAIL
    fixed = fix_cmap(cmap)
    assert _map(fixed) == {0x3: " ", 0x100: "水", 0x101: "鱼"}
    assert fixed.startswith(HEAD) and fixed.endswith(TAIL)


def test_a_range_that_yields_a_radical_is_split_and_the_others_kept():
    cmap = HEAD + ("2 beginbfrange\n<0010> <0012> <0030>\n<0200> <0202> <2F53>\nendbfrange\n"
                   "1 beginbfchar\n<0003> <0020>\nendbfchar\n") + TAIL
    got = _map(fix_cmap(cmap))
    assert got[0x10] == "0" and got[0x12] == "2"  # the digits' range is untouched
    assert [got[0x200], got[0x201], got[0x202]] == ["气", "水", "火"]  # ⽓⽔⽕, one glyph each
    assert got[0x3] == " "


def test_a_cmap_without_radicals_is_returned_as_it_was():
    cmap = HEAD + "1 beginbfchar\n<0003> <6C34>\nendbfchar\n1 beginbfrange\n<0010> <0012> <0030>\nendbfrange\n" + TAIL
    assert fix_cmap(cmap) is cmap


def test_blocks_hold_at_most_the_allowed_number_of_entries():
    entries = "\n".join(f"<{0x300 + k:04X}> <2F54>" for k in range(250))
    fixed = fix_cmap(HEAD + f"250 beginbfchar\n{entries}\nendbfchar\n" + TAIL)
    counts = [int(n) for n in re.findall(r"(\d+) beginbfchar", fixed)]
    assert counts == [BLOCK_SIZE, BLOCK_SIZE, 50]
    assert set(_map(fixed).values()) == {"水"}


def _pdf_showing_a_radical() -> bytes:
    """A one-page PDF whose font maps code 1 to the radical ⽔ (as Chromium writes 水), showing that code."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 100)
    cmap = DecodedStreamObject()
    cmap.set_data(("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n"
                   "<01> <FF>\nendcodespacerange\n1 beginbfchar\n<01> <2F54>\nendbfchar\n" + TAIL).encode())
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/ToUnicode"): writer._add_object(cmap)})  # noqa: SLF001
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})  # noqa: SLF001
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 10 50 Td <01> Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)  # noqa: SLF001
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_text_layer_is_fixed_by_an_update_appended_to_the_file():
    pdf = _pdf_showing_a_radical()
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text() == "⽔"
    fixed = fix_text_layer(pdf)
    assert fixed.startswith(pdf)  # what Chromium wrote stays as it was: an incremental update follows
    reader = PdfReader(io.BytesIO(fixed))
    assert reader.pages[0].extract_text() == "水"
    assert reader.metadata.producer == PRODUCER


def test_a_file_the_update_cannot_extend_is_rewritten_whole():
    pdf = _pdf_showing_a_radical()
    fixed = rewrite_text_layer(pdf)
    assert PdfReader(io.BytesIO(fixed)).pages[0].extract_text() == "水"
    updated = PdfWriter(io.BytesIO(pdf), incremental=True)  # pypdf's own updates end in a cross-reference stream
    updated.add_metadata({"/Title": "x"})
    out = io.BytesIO()
    updated.write(out)
    assert b"/XRef" in out.getvalue()[len(pdf):]
    assert PdfReader(io.BytesIO(fix_text_layer(out.getvalue()))).pages[0].extract_text() == "水"
