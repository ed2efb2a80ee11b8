"""What a page's heap holds, by kind, from a V8 heap snapshot (Chrome DevTools Protocol).

``Performance.getMetrics``' JSHeapUsedSize is one number: it cannot tell the page keeping objects (a leak) from
V8 compiling the page's hot functions into optimised machine code (which grows for a while and then stops).
A heap snapshot can: each node has a type, and ``code`` nodes are compiled code, ``native`` nodes are the
browser's own objects (DOM, performance entries, DevTools' buffers), the rest is what the page's scripts hold.
"""

from __future__ import annotations

import json

# V8 snapshot node types by what they are; every other type (object, array, string, closure, number, ...) is
# what the page's scripts hold.
COMPILED = frozenset({"code"})
BROWSER = frozenset({"native"})
KINDS = ("page objects", "compiled code", "browser objects")


def kinds_of(snapshot: dict) -> dict[str, int]:
    """Bytes (self size) of a parsed ``.heapsnapshot`` by kind: page objects, compiled code, browser objects.

    Parameters
    ----------
    snapshot : dict
        A heap snapshot as V8 writes it: ``snapshot.meta.node_fields``/``node_types`` and the flat ``nodes``.
    """
    meta = snapshot["snapshot"]["meta"]
    fields = meta["node_fields"]
    types = meta["node_types"][fields.index("type")]
    width, at_type, at_size = len(fields), fields.index("type"), fields.index("self_size")
    nodes = snapshot["nodes"]
    totals = dict.fromkeys(KINDS, 0)
    for k in range(0, len(nodes), width):
        kind = types[nodes[k + at_type]]
        key = "compiled code" if kind in COMPILED else "browser objects" if kind in BROWSER else "page objects"
        totals[key] += nodes[k + at_size]
    return totals


def take_kinds(cdp) -> dict[str, int]:
    """Collect garbage, take a heap snapshot through ``cdp`` (a Playwright CDPSession) and split it by kind."""
    cdp.send("HeapProfiler.collectGarbage")
    chunks: list[str] = []

    def keep(event: dict) -> None:
        chunks.append(event["chunk"])

    cdp.on("HeapProfiler.addHeapSnapshotChunk", keep)
    try:
        cdp.send("HeapProfiler.takeHeapSnapshot", {"reportProgress": False})
    finally:
        cdp.remove_listener("HeapProfiler.addHeapSnapshotChunk", keep)
    return kinds_of(json.loads("".join(chunks)))


def growth(first: dict[str, int], last: dict[str, int]) -> dict[str, float]:
    """Growth of each kind from ``first`` to ``last``, in % (nan where the first is empty)."""
    return {k: (100.0 * (last[k] - first[k]) / first[k]) if first[k] else float("nan") for k in KINDS}
