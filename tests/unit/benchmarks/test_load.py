"""The load driver's event-loop wrapper: benchmarks run from a test session whose main thread may already run a
loop (Playwright's sync API keeps one there), where ``asyncio.run`` refuses to start."""

from __future__ import annotations

import asyncio

from benchmarks.load import run_in_own_loop


async def _add(a: int, b: int = 0) -> int:
    await asyncio.sleep(0)
    return a + b


def test_run_in_own_loop_returns_the_coroutines_result():
    assert run_in_own_loop(_add, 2, b=3) == 5


def test_run_in_own_loop_works_while_the_calling_thread_runs_a_loop():
    async def caller() -> int:
        return run_in_own_loop(_add, 4, b=1)

    assert asyncio.run(caller()) == 5
