"""The load driver's event-loop wrapper: benchmarks run from a test session whose main thread may already run a
loop (Playwright's sync API keeps one there), where ``asyncio.run`` refuses to start."""

from __future__ import annotations

import asyncio
import threading

from benchmarks.load import run_in_own_loop


async def _add(a: int, b: int = 0) -> int:
    await asyncio.sleep(0)
    return a + b


def test_run_in_own_loop_returns_the_coroutines_result():
    assert run_in_own_loop(_add, 2, b=3) == 5


def test_run_in_own_loop_works_while_the_calling_thread_runs_a_loop():
    async def caller() -> int:
        return run_in_own_loop(_add, 4, b=1)

    # The caller's loop runs on a thread of its own: this test's thread may itself hold a running loop (Playwright's,
    # when browser tests share the session), where even starting the caller's loop would be refused.
    results: list[int] = []
    thread = threading.Thread(target=lambda: results.append(asyncio.run(caller())))
    thread.start()
    thread.join(timeout=30)
    assert results == [5]
