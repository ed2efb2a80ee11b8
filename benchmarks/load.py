"""A load run: N simulated viewers replaying recorded callback chains against a local server.

Each viewer is a small asyncio task with its own connection: it plays one of the recorded interactions
(its requests in order, as dash-renderer sends them), pauses as a person would, and plays the next. It sends
only to the ``base_url`` it is given (the benchmark passes 127.0.0.1) and stops by itself: at the end of the
run's duration or after ``max_requests``, whichever comes first.
"""

from __future__ import annotations

import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from benchmarks.dashclient import UPDATE
from benchmarks.report import Stat


@dataclass
class LoadResult:
    """What the run saw: per-request latencies, failures and how long it ran."""

    viewers: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def stat(self) -> Stat:
        return Stat.of(self.latencies)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def fail(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def _viewer(base_url: str, chains: list[list[dict]], deadline: float, result: LoadResult,
                  budget: list[int], think: tuple[float, float], rng: random.Random) -> None:
    import httpx

    headers = {"Accept-Encoding": "gzip", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=10.0) as client:
        await asyncio.sleep(rng.uniform(0, think[1]))  # viewers arrive spread out, not in one burst
        while time.monotonic() < deadline and budget[0] > 0:
            for body in rng.choice(chains):
                budget[0] -= 1
                start = time.perf_counter()
                try:
                    resp = await client.post(UPDATE, json=body)
                    await resp.aread()
                except httpx.HTTPError as exc:
                    result.fail(type(exc).__name__)
                    continue
                if resp.status_code in (200, 204):
                    result.latencies.append(time.perf_counter() - start)
                else:
                    result.fail(f"HTTP {resp.status_code}")
            await asyncio.sleep(rng.uniform(*think))


async def run_load(base_url: str, chains: list[list[dict]], viewers: int, seconds: float,
                   think: tuple[float, float] = (0.5, 2.0), max_requests: int | None = None,
                   seed: int = 6) -> LoadResult:
    """Run ``viewers`` viewers for ``seconds`` against ``base_url`` (a loopback URL)."""
    if not base_url.startswith(("http://127.", "http://localhost")):
        raise ValueError("load runs target this machine only")
    result = LoadResult(viewers, seconds)
    budget = [max_requests or int(viewers * seconds * 20)]  # a hard cap on requests, whatever happens
    deadline = time.monotonic() + seconds
    start = time.monotonic()
    rng = random.Random(seed)
    await asyncio.gather(*(
        _viewer(base_url, chains, deadline, result, budget, think, random.Random(rng.random()))
        for _ in range(viewers)))
    result.seconds = time.monotonic() - start
    return result


def run_in_own_loop(coroutine_function, *args, **kwargs):
    """Run ``coroutine_function(*args, **kwargs)`` to completion in a new event loop on its own thread.

    The caller may already run an event loop (Playwright's sync API keeps one in the main thread, so a
    test session with browser tests has one), where :func:`asyncio.run` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function(*args, **kwargs))).result()


def load(base_url: str, chains: list[list[dict]], viewers: int, seconds: float, **kwargs) -> LoadResult:
    """Blocking wrapper of :func:`run_load` (see :func:`run_in_own_loop`)."""
    return run_in_own_loop(run_load, base_url, chains, viewers, seconds, **kwargs)
