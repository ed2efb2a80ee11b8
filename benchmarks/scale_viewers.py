"""Simulated viewers for the scale benchmark: what each one clicks, and playing it over HTTP.

A viewer is a person at a browser: it opens the page (``GET /`` and ``/_dash-layout``), on province data drills
into a county, then clicks belts of that county and now and then changes the measure, pausing between clicks;
going to another county loads the page afresh (as ``assets/explorer.js`` does), so a new session starts. What a
viewer does is a *script*, made by :func:`viewer_script` from the dataset's belts and the page's measures and a
seed: pure, so it can be tested and replayed. Playing a step sends the exact ``/_dash-update-component``
requests dash-renderer would, computed live by :class:`benchmarks.dashclient.DashClient` from the answers of
the server (each viewer has its own page state), over one httpx connection per viewer.
"""

from __future__ import annotations

import asyncio
import copy
import random
import time
from dataclasses import dataclass, field

from benchmarks.dashclient import UPDATE, DashClient, stringify_id
from dashboard import ids

OPEN = "open page"
DRILL = "drill in"
BELT = "select belt"
MEASURE = "change measure"


@dataclass(frozen=True)
class Catalogue:
    """What viewers can click: belts per county (one county: key ``""``) and the measure dropdown's values."""

    belts_by_county: dict[str, tuple[str, ...]]
    measures: tuple[str, ...]

    @property
    def drill(self) -> bool:
        """Province data: a viewer drills into a county before clicking its belts."""
        return len(self.belts_by_county) > 1


@dataclass(frozen=True)
class Step:
    """One thing a viewer does: open the page, or set ``ident.prop = value`` as a click would."""

    action: str
    ident: object = None
    prop: str | None = None
    value: object = None


def click(customdata: str) -> dict:
    """What plotly puts in ``clickData`` for a point; the app reads only ``customdata``."""
    return {"points": [{"curveNumber": 0, "pointNumber": 0, "pointIndex": 0, "customdata": customdata}]}


def catalogue_for(belts: list[tuple[str, str]], counties: int, measures: list[str]) -> Catalogue:
    """From (belt_id, first township code) pairs: the belts of each county (by the code's first 6 digits)."""
    by: dict[str, list[str]] = {}
    for belt, town in belts:
        by.setdefault(town[:6] if counties > 1 else "", []).append(belt)
    return Catalogue({k: tuple(sorted(v)) for k, v in sorted(by.items())}, tuple(measures))


def measures_in(layout: object) -> list[str]:
    """The values of the measure dropdown in a ``/_dash-layout`` answer (what a viewer can pick)."""
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and "props" in node:
            props = node["props"]
            if props.get("id") == ids.MEASURE:
                return [o["value"] if isinstance(o, dict) else o for o in props.get("options", [])]
            stack.append(props.get("children"))
    return []


def viewer_script(cat: Catalogue, seed: int, sessions: int = 20, clicks: tuple[int, int] = (2, 5),
                  measure_share: float = 0.3) -> list[Step]:
    """``sessions`` page visits: open the page, drill into a county (province data), then ``clicks`` clicks,
    each a belt of that county or (``measure_share`` of them) another measure. Same seed, same script."""
    rng = random.Random(seed)
    counties = list(cat.belts_by_county)
    steps: list[Step] = []
    for _ in range(sessions):
        county = rng.choice(counties)
        steps.append(Step(OPEN))
        if cat.drill:
            steps.append(Step(DRILL, ids.MAP, "clickData", click(f"county:{county}")))
        measure = None
        for _ in range(rng.randint(*clicks)):
            others = [m for m in cat.measures if m != measure]
            if others and rng.random() < measure_share:
                measure = rng.choice(others)
                steps.append(Step(MEASURE, ids.MEASURE, "value", measure))
            else:
                belt = rng.choice(cat.belts_by_county[county])
                steps.append(Step(BELT, ids.MAP, "clickData", click(f"belt:{belt}")))
    return steps


@dataclass
class LevelResult:
    """One load level: latencies (seconds) per kind of request, failures, and how long it ran."""

    viewers: int
    servers: int
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def all_latencies(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]

    @property
    def requests(self) -> int:
        return len(self.all_latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def ok(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def fail(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def new_page(blank: DashClient) -> DashClient:
    """A fresh page state from the freshly loaded one: its own top-level props (what :meth:`DashClient._apply`
    changes), sharing the layout's values, which are never changed in place."""
    page = copy.copy(blank)
    page.props = {k: dict(v) for k, v in blank.props.items()}
    page.ids = dict(blank.ids)
    return page


class _Viewer:
    """One viewer's page state and connection."""

    def __init__(self, http, blank: DashClient, result: LevelResult) -> None:
        self.http, self.blank, self.result = http, blank, result
        self.page = new_page(blank)

    async def _timed(self, kind: str, method: str, path: str, **kw):
        import httpx

        start = time.perf_counter()
        try:
            # Read the body as sent (gzip) without decoding it: the client's CPU is the servers' CPU here.
            async with self.http.stream(method, path, **kw) as resp:
                body = b"".join([chunk async for chunk in resp.aiter_raw()])
        except httpx.HTTPError as exc:
            self.result.fail(type(exc).__name__)
            return None
        if resp.status_code not in (200, 204):
            self.result.fail(f"HTTP {resp.status_code}")
            return None
        self.result.ok(kind, time.perf_counter() - start)
        return resp, body

    async def open_page(self) -> None:
        """A page load: the index and the layout (sent and timed; the page state starts from the run's copy)."""
        await self._timed(OPEN, "GET", "/")
        await self._timed(OPEN, "GET", "/_dash-layout")
        self.page = new_page(self.blank)

    async def act(self, step: Step, max_rounds: int = 6) -> None:
        """Set a prop as the user would and send every server callback that follows, round by round."""
        import gzip
        import json

        page = self.page
        key = stringify_id(step.ident)
        page.props.setdefault(key, {})[step.prop] = step.value
        changed: dict[str, frozenset] = {f"{key}.{step.prop}": frozenset()}
        for _ in range(max_rounds):
            next_changed: dict[str, frozenset] = {}
            for dep, hits, predecessors in page._fired_by(changed):
                got = await self._timed(step.action, "POST", UPDATE, json=page.body_for(dep, hits))
                if got is None or got[0].status_code != 200:
                    continue
                resp, body = got
                if resp.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                page.follow(json.loads(body), dep, predecessors, next_changed)
            if not next_changed:
                break
            changed = next_changed


async def _run_viewer(http, blank: DashClient, script: list[Step], deadline: float,
                      result: LevelResult, think: tuple[float, float], rng: random.Random) -> None:
    viewer = _Viewer(http, blank, result)
    await asyncio.sleep(rng.uniform(0, think[1]))  # viewers arrive spread out, not in one burst
    while time.monotonic() < deadline:
        for step in script:
            if time.monotonic() >= deadline:
                return
            if step.action == OPEN:
                await viewer.open_page()
            else:
                await viewer.act(step)
                await asyncio.sleep(rng.uniform(*think))


def viewer_address(i: int) -> str:
    """The loopback address viewer ``i`` connects from (127.0.1.2, 127.0.1.3, ...; 250 to a block)."""
    return f"127.0.{1 + i // 250}.{2 + i % 250}"


async def run_level(base_urls: list[str], layout: dict, deps: list[dict], cat: Catalogue, viewers: int,
                    seconds: float, think: tuple[float, float] = (0.5, 2.0), seed: int = 14) -> LevelResult:
    """``viewers`` viewers for ``seconds``, viewer i on server i mod len(base_urls) (a round-robin balancer)."""
    import ssl

    import httpx

    for url in base_urls:
        if not url.startswith(("http://127.", "http://localhost")):
            raise ValueError("scale runs target this machine only")
    result = LevelResult(viewers, len(base_urls))
    blank = DashClient(layout, deps, post=None)  # posts are made by the viewers, asynchronously
    # Every client is made before the clock starts, with one TLS context (plain HTTP is all they speak): an
    # httpx client loads the CA bundle by default, ~50 ms each, which for 200 viewers would stall the loop.
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # Each viewer from its own loopback address, as people are: the servers' per-address limits (whole-map
    # answers, 120 a minute, shared in Redis) would otherwise count every viewer as one and answer 429.
    clients = [httpx.AsyncClient(base_url=base_urls[i % len(base_urls)], headers={"Accept-Encoding": "gzip"},
                                 timeout=15.0,
                                 transport=httpx.AsyncHTTPTransport(local_address=viewer_address(i), verify=tls))
               for i in range(viewers)]
    try:
        start = time.monotonic()
        deadline = start + seconds
        await asyncio.gather(*(
            _run_viewer(clients[i], blank, viewer_script(cat, seed * 1000 + i), deadline, result, think,
                        random.Random(seed * 7919 + i))
            for i in range(viewers)))
        result.seconds = time.monotonic() - start
    finally:
        for client in clients:
            await client.aclose()
    return result
