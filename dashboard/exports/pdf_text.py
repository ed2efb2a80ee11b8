"""Make a Chromium-made PDF's text layer say what its pages show.

Chromium maps every glyph of a font back to the lowest code point the font gives it, and Noto Sans CJK draws
水 and the Kangxi radical ⽔ with one glyph: a dossier's text said 清⽔⻥ where the page shows 清水鱼, so
copying or searching it failed. The fix rewrites each font's ``/ToUnicode`` CMap, replacing radicals with the
ideograph sharing their glyph (table from the font: ``cjk_radicals.py``). Only the text layer changes; what
is drawn does not.
"""

from __future__ import annotations

import re

from dashboard.exports.cjk_radicals import IDEOGRAPHS, RADICALS

TO_IDEOGRAPH = {ord(r): ord(i) for r, i in zip(RADICALS, IDEOGRAPHS, strict=True)}
_BLOCK = re.compile(r"(\d+)\s+begin(bfchar|bfrange)\s*(.*?)\s*end\2", re.S)
_HEX = re.compile(r"<([0-9A-Fa-f]*)>")
_RANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
_CHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
BLOCK_SIZE = 100  # the most entries one CMap block may hold


def _decode(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="surrogatepass")


def _encode(text: str) -> str:
    return text.encode("utf-16-be", errors="surrogatepass").hex().upper()


def _fix(text: str) -> str:
    return text.translate(TO_IDEOGRAPH)


def _blocks(kind: str, entries: list[str]) -> str:
    return "".join(f"{len(part)} begin{kind}\n" + "\n".join(part) + f"\nend{kind}\n"
                   for part in (entries[i:i + BLOCK_SIZE] for i in range(0, len(entries), BLOCK_SIZE)))


def fix_cmap(cmap: str) -> str:
    """``cmap`` (a ToUnicode CMap program) with radicals mapped to their ideographs; unchanged if none occur.

    A range that would produce a radical is split into single entries (a range maps consecutive glyphs to
    consecutive code points, which a replaced one breaks)."""
    chars: list[str] = []
    ranges: list[str] = []
    changed = False
    for _count, kind, body in _BLOCK.findall(cmap):
        if kind == "bfchar":
            for src, dst in _CHAR.findall(body):
                text = _decode(dst)
                changed |= _fix(text) != text
                chars.append(f"<{src}> <{_encode(_fix(text))}>")
            continue
        for lo, hi, dst in _RANGE.findall(body):
            first, last = int(lo, 16), int(hi, 16)
            if dst.startswith("["):
                targets = [_decode(h) for h in _HEX.findall(dst)]
            else:
                start = _decode(dst[1:-1])
                targets = [start[:-1] + chr(ord(start[-1]) + k) for k in range(last - first + 1)] if start else []
            if not any(_fix(x) != x for x in targets):
                ranges.append(f"<{lo}> <{hi}> {dst}")
                continue
            changed = True
            width = len(lo)
            chars += [f"<{first + k:0{width}X}> <{_encode(_fix(x))}>" for k, x in enumerate(targets)]
    if not changed:
        return cmap
    start = _BLOCK.search(cmap).start()
    end = cmap.rfind("endbf")
    end = cmap.index("\n", end) + 1 if "\n" in cmap[end:] else len(cmap)
    return cmap[:start] + _blocks("bfchar", chars) + _blocks("bfrange", ranges) + cmap[end:]


def fix_text_layer(writer) -> int:
    """Rewrite the ToUnicode CMaps of every font on every page of a :class:`pypdf.PdfWriter`; returns how
    many CMaps changed."""
    seen: set[int] = set()
    changed = 0

    def fonts_of(resources):
        fonts = resources.get("/Font") if resources else None
        for ref in (fonts.get_object().values() if fonts else []):
            font = ref.get_object()
            yield font
            for child in font.get("/DescendantFonts", []):
                yield child.get_object()

    for page in writer.pages:
        for font in fonts_of(page.get("/Resources")):
            ref = font.get("/ToUnicode")
            stream = ref.get_object() if ref is not None else None
            if stream is None or id(stream) in seen:
                continue
            seen.add(id(stream))
            text = stream.get_data().decode("latin-1")
            fixed = fix_cmap(text)
            if fixed != text:
                stream.set_data(fixed.encode("latin-1"))  # pypdf re-encodes with the stream's own filter
                changed += 1
    return changed
