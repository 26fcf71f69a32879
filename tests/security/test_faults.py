"""Issue 17's faults: `kill -9` of a `charter load` and of a `charter record` at several
moments (from reading the file to writing the cached states). Afterwards the database holds
the whole company or none of it, the whole batch or none of it, and verifies: the events,
their signed checkpoints and whatever cached states were written. On SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from bench.synthetic import synthetic_ledger

from charter.ledger.store import Store
from charter.service import load_ledger
from tests.conftest import EXAMPLE

SRC = Path(__file__).resolve().parents[2] / "src"
MOMENTS = (0.35, 0.6, 0.8, 0.95)  # fractions of an uninterrupted run's duration


def charter(*args: str) -> subprocess.Popen[bytes]:
    """`charter ARGS` as its own process (this checkout's code, the session's key file)."""
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.Popen(
        [sys.executable, "-c", "from charter.cli import main; main()", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def duration(*args: str) -> float:
    """Seconds an uninterrupted run takes (it must succeed)."""
    t = time.monotonic()
    p = charter(*args)
    _, err = p.communicate(timeout=600)
    assert p.returncode == 0, err.decode()
    return time.monotonic() - t


def killed(after: float, *args: str) -> bool:
    """Run `charter ARGS` and kill it (SIGKILL) `after` seconds in; whether it still ran."""
    p = charter(*args)
    try:
        p.wait(timeout=after)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return True
    return False


def events_of(store: Store, slug: str) -> int | None:
    """How many events company `slug` has; None if it does not exist."""
    found = [c for c in Store(store.url).companies() if c.slug == slug]
    return Store(store.url).last_sequence(found[0]) if found else None


def intact(store: Store, slug: str) -> bool:
    fresh = Store(store.url)
    return fresh.verify(fresh.company(slug)).intact


def test_a_load_killed_at_any_moment_leaves_the_whole_company_or_none(
    store: Store, tmp_path: Path
) -> None:
    """A synthetic ledger of 2,000 events (its checkpoints and its one cached state)."""
    path = tmp_path / "big.json"
    path.write_text(json.dumps(synthetic_ledger(2_000, 200)))
    run = ("load", str(path), "--db", store.url)
    full = duration(*run, "--company", "reference")
    interrupted = 0
    for i, moment in enumerate(MOMENTS):
        slug = f"killed-{i}"
        interrupted += killed(full * moment, *run, "--company", slug)
        n = events_of(store, slug)
        assert n in (None, 2_000), f"a load killed at {moment:.0%} left {n} events"
        if n is not None:
            assert intact(store, slug)
    assert interrupted >= 2  # (the last moments may find it finished on a busy machine)
    assert intact(store, "reference")


def test_a_record_killed_at_any_moment_leaves_the_whole_batch_or_none(
    store: Store, tmp_path: Path
) -> None:
    """A batch of 1,500 events appended to the example company (68 events)."""
    load_ledger(store, EXAMPLE)
    slug = store.companies()[0].slug
    batch = tmp_path / "batch.yaml"
    batch.write_text(
        yaml.safe_dump(
            [
                {"date": "2001-01-02", "type": "assert", "class": "series_b", "outstanding": 800000}
                for _ in range(1_500)
            ]
        )
    )
    run = ("record", str(batch), "--db", store.url, "--company", slug)
    full = duration(*run)  # 68 + 1,500
    interrupted = 0
    for moment in MOMENTS:
        before = events_of(store, slug)
        assert before is not None
        interrupted += killed(full * moment, *run)
        after = events_of(store, slug)
        assert after in (before, before + 1_500), f"a record killed at {moment:.0%}: {after}"
        assert intact(store, slug)
    assert interrupted >= 2
