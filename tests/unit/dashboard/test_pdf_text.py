"""The PDF text-layer fix: ToUnicode CMaps that name radicals are rewritten to the ideographs drawn."""

from __future__ import annotations

import re

from dashboard.exports.pdf_text import BLOCK_SIZE, TO_IDEOGRAPH, fix_cmap

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
