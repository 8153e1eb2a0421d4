"""registry.switching: a short GIL switch interval while ingests write, restored after the last."""

from __future__ import annotations

import sys

from registry.switching import INTERVAL, responsive


def test_interval_is_short_inside_and_restored_after_the_last_user() -> None:
    before = sys.getswitchinterval()
    assert before > INTERVAL  # CPython's default, 0.005
    with responsive():
        assert sys.getswitchinterval() == INTERVAL
        with responsive():  # a second ingest at the same time
            assert sys.getswitchinterval() == INTERVAL
        assert sys.getswitchinterval() == INTERVAL  # the first one still writes
    assert sys.getswitchinterval() == before


def test_restored_when_the_block_fails() -> None:
    before = sys.getswitchinterval()
    try:
        with responsive():
            raise RuntimeError("a failed ingest")
    except RuntimeError:
        pass
    assert sys.getswitchinterval() == before


def test_a_shorter_interval_already_set_is_kept() -> None:
    before = sys.getswitchinterval()
    sys.setswitchinterval(INTERVAL / 2)
    try:
        with responsive():
            assert sys.getswitchinterval() == INTERVAL / 2
        assert sys.getswitchinterval() == INTERVAL / 2
    finally:
        sys.setswitchinterval(before)
