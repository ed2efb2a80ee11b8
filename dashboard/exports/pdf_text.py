"""Make a Chromium-made PDF's text layer say what its pages show.

Chromium maps every glyph of a font back to the lowest code point the font gives it, and Noto Sans CJK draws
水 and the Kangxi radical ⽔ with one glyph: a dossier's text said 清⽔⻥ where the page shows 清水鱼, so
copying or searching it failed. The fix rewrites each font's ``/ToUnicode`` CMap, replacing radicals with the
ideograph sharing their glyph (table from the font: ``cjk_radicals.py``). Only the text layer changes; what
is drawn does not.

The fix is an incremental update (PDF 32000-1, 7.5.6): the new CMaps, a new information dictionary and a
cross-reference section for them are appended to Chromium's file, which stays as it was. Reading only the
CMaps is cheap; parsing and rewriting every object of a dossier in Python (its fonts' glyph tables) took
longer than Chromium's print, so the whole file is rewritten only when it is not one this update can extend.
"""

from __future__ import annotations

import io
import re
import zlib

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


PRODUCER = "Kaihua Belts"
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+(\d+)\s+R")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def fixed_cmaps(pdf: bytes) -> dict[tuple[int, int], bytes]:
    """(object number, generation) -> the fixed CMap program, for each ToUnicode CMap of ``pdf`` that
    names a radical. Only the CMaps are parsed (pypdf reads them through the file's cross-reference)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    out: dict[tuple[int, int], bytes] = {}
    for num, gen in {(int(n), int(g)) for n, g in _TO_UNICODE.findall(pdf)}:
        stream = reader.get_object(num)
        if not hasattr(stream, "get_data"):  # not a stream (a stray match): leave it
            continue
        text = stream.get_data().decode("latin-1")
        if (fixed := fix_cmap(text)) != text:
            out[(num, gen)] = fixed.encode("latin-1")
    return out


def _trailer_entries(pdf: bytes) -> tuple[int, bytes, int, bytes] | None:
    """(previous startxref, the /Root reference, /Size, the /ID entry or b"") of a file whose last section is a classic
    cross-reference table and trailer; None for any other file (a cross-reference stream, say)."""
    tail = pdf[-4096:]
    last = _STARTXREF.search(tail)
    trailer = tail.rfind(b"trailer")
    if last is None or trailer < 0 or pdf[int(last.group(1)):int(last.group(1)) + 4] != b"xref":
        return None
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", tail[trailer:])
    size = re.search(rb"/Size\s+(\d+)", tail[trailer:])
    if root is None or size is None:
        return None
    ids = re.search(rb"/ID\s*\[[^\]]*\]", tail[trailer:])  # an update repeats the file's identifier
    return int(last.group(1)), root.group(1), int(size.group(1)), ids.group(0) if ids else b""


def incremental_update(pdf: bytes, streams: dict[tuple[int, int], bytes], prev: int, root: bytes,
                       size: int, ids: bytes = b"") -> bytes:
    """``pdf`` with ``streams`` (object -> new content, Flate-compressed here) and a new information
    dictionary (the producer) appended as an incremental update."""
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, tuple[int, int]] = {}
    for (num, gen), data in sorted(streams.items()):
        packed = zlib.compress(data)
        offsets[num] = (len(out), gen)
        out += b"%d %d obj\n<</Filter /FlateDecode /Length %d>>stream\n" % (num, gen, len(packed))
        out += packed + b"\nendstream\nendobj\n"
    info = size
    offsets[info] = (len(out), 0)
    out += b"%d 0 obj\n<</Producer (%s)>>\nendobj\n" % (info, PRODUCER.encode("ascii"))
    xref = len(out)
    out += b"xref\n"
    for num, (offset, gen) in sorted(offsets.items()):  # one subsection per object: simple and valid
        out += b"%d 1\n%010d %05d n \n" % (num, offset, gen)
    out += b"trailer\n<</Size %d /Root %s /Info %d 0 R /Prev %d%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size + 1, root, info, prev, b" " + ids if ids else b"", xref)
    return bytes(out)


def rewrite_text_layer(pdf: bytes) -> bytes:
    """``pdf`` rewritten whole by pypdf with its CMaps fixed (any file pypdf reads; slow on big fonts)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    seen: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font")
        for ref in (fonts.get_object().values() if fonts else []):
            stream = ref.get_object().get("/ToUnicode")
            stream = stream.get_object() if stream is not None else None
            if stream is None or id(stream) in seen:
                continue
            seen.add(id(stream))
            text = stream.get_data().decode("latin-1")
            if (fixed := fix_cmap(text)) != text:
                stream.set_data(fixed.encode("latin-1"))  # pypdf re-encodes with the stream's own filter
    writer.add_metadata({"/Producer": PRODUCER})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fix_text_layer(pdf: bytes) -> bytes:
    """``pdf`` with a text layer that reads what its pages show.

    Parameters
    ----------
    pdf : a PDF as Chromium prints it.

    Returns
    -------
    bytes
        The same pages with radicals replaced by their ideographs in every ToUnicode CMap and the producer
        named: an incremental update appended to ``pdf`` when it ends in a classic cross-reference table
        (Chromium's do), else the file rewritten whole by pypdf.
    """
    entries = _trailer_entries(pdf)
    if entries is None:
        return rewrite_text_layer(pdf)
    return incremental_update(pdf, fixed_cmaps(pdf), *entries)
