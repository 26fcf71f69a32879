"""`make bench`: run every bench/bench_*.py (each has `main() -> None` printing its figures).

`python -m bench NAME` runs one (e.g. `python -m bench ledger`). Benchmarks report ratios
against a baseline measured in the same run; they are never pass/fail tests.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    wanted = set(sys.argv[1:])
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    for name in names:
        if wanted and name.removeprefix("bench_") not in wanted:
            continue
        print(f"\n## {name.removeprefix('bench_')}\n", flush=True)
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main()
