"""The brief-steps script's table: the benchmark's flat list of transition times, one row per step."""

from __future__ import annotations

import pytest

from benchmarks.brief_steps import per_step


def test_each_step_gets_its_time_from_every_pass_in_order():
    # two passes through three transitions, as measure_brief returns them: pass 1 then pass 2
    assert per_step([10.0, 20.0, 30.0, 11.0, 21.0, 31.0], 2) == [[10.0, 11.0], [20.0, 21.0], [30.0, 31.0]]
    assert per_step([5.0, 6.0], 1) == [[5.0], [6.0]]


@pytest.mark.parametrize("times, passes", [([1.0, 2.0, 3.0], 2), ([1.0], 0)])
def test_times_that_are_not_whole_passes_are_refused(times, passes):
    with pytest.raises(ValueError, match="equal passes"):
        per_step(times, passes)
