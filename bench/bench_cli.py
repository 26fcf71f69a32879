"""Issue 15's benchmark: how long the `charter` command makes a person wait.

Each command runs as a new process, as from the shell, REPEAT times; the figure is the median
of those runs, in wall-clock time and in CPU time (user + system, of the child process), and
its ratio to the baseline, run before each of those runs: starting Python and importing Typer,
Rich, PyYAML and pydantic (`python -c "import typer, rich, yaml, pydantic"`). A command is
judged by the median of its runs' ratios to the baseline run just before each (paired: the
speed of a shared machine drifts within seconds, moving both runs of a pair alike); the ratio
of the two medians is printed beside it. Targets (the
issue's): `--help` and `COMMAND --help` ≤ 1.5×, every README tour command on
`--ledger examples/quintus.yaml` ≤ 2.5×, `curve` ≤ 3×. On a machine shared with other work
the wall clock stretches with the load while the CPU time does not: both are printed, with
the load average.

The modules are byte-compiled first (as an installed package is), and the commands run with
bytecode caching on whatever the calling environment says.

With `BENCH_INSTRUCTIONS=1` (and valgrind installed) each command is also counted in machine
instructions under valgrind's callgrind, once each, against the baseline counted the same
way: a figure that does not move with the machine's load or speed, for comparing two
versions of the code (a change of 1% shows as 1%). It is not the target's measure (a time),
and it weighs work the processor does fast (the interpreter's own loop) and slow (memory
that misses the cache) alike, so its ratios differ from the CPU time's.
"""

from __future__ import annotations

import compileall
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEDGER = str(ROOT / "examples" / "quintus.yaml")
REPEAT = int(os.environ.get("BENCH_REPEAT", 7))
L = ["--ledger", LEDGER]

BASELINE = [sys.executable, "-c", "import typer, rich, yaml, pydantic"]
CHARTER = [sys.executable, "-c", "import sys; from charter.cli import main; main()"]

HELP = [["--help"], ["captable", "--help"], ["waterfall", "--help"], ["rofr", "status", "--help"]]
CURVE = ["curve", *L, "--from", "0", "--to", "400000000"]


def tour(out: Path) -> list[list[str]]:
    """The README's tour, each on the example ledger (those that read a file of ballots or
    consents, or change a database, left out)."""
    return [
        ["captable", *L, "--as-of", "1999-08-24"],
        ["history", *L],
        ["terms", "show", "Art. IV.B.2", *L],
        ["waterfall", *L, "--exit", "60000000", "--explain"],
        ["waterfall", *L, "--exit", "60000000", "--event", "merger"],
        ["dividend", *L, "--amount", "1000000"],
        ["ipo", *L, "--price", "7.00", "--gross", "50000000"],
        ["conversion-prices", *L],
        ["cash-owed", *L],
        ["notices", *L],
        ["votes", *L],
        ["board", *L],
        ["meeting", "plan", *L, "--kind", "annual", "--date", "2000-03-15"],
        ["approvals", *L, "--action", "create_senior_or_parity_security"],
        ["rofr", "status", *L],
        ["certificates", *L],
        ["certificate", "5", *L, "--pdf", str(out / "c5.pdf")],
        ["meeting", "results", *L],
        ["interpretations"],
    ]


def env() -> dict[str, str]:
    paths = [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p), "COLUMNS": "80"}


def run(argv: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of `argv` as a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, env=env(), cwd=ROOT, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{argv[3:]} failed: {done.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions(argv: list[str]) -> int:
    """Machine instructions executed by one run of `argv` (valgrind's callgrind; string
    hashing fixed so that the count repeats exactly)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        env={**env(), "PYTHONHASHSEED": "0"},
        cwd=ROOT,
        capture_output=True,
    )
    counted = re.search(rb"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or counted is None:
        raise SystemExit(f"{argv[3:]} failed under valgrind: {done.stderr.decode()[-500:]}")
    return int(counted.group(1))


def measure(argv: list[str]) -> tuple[float, float, float, float, float]:
    """Median (wall, CPU) of REPEAT runs of `argv` and of the baseline, run in turn (one
    baseline, then the command), after one run of each to warm the file cache; and the
    median of each pair's ratio of CPU times: each command against the baseline run just
    before it, as the speed of a shared machine drifts within seconds."""
    run(BASELINE), run(argv)
    pairs = [(run(BASELINE), run(argv)) for _ in range(REPEAT)]
    return (
        statistics.median(c[0] for _, c in pairs),
        statistics.median(c[1] for _, c in pairs),
        statistics.median(b[0] for b, _ in pairs),
        statistics.median(b[1] for b, _ in pairs),
        statistics.median(c[1] / b[1] for b, c in pairs),
    )


def main() -> None:
    compileall.compile_dir(ROOT / "src", quiet=1)
    with tempfile.TemporaryDirectory() as d:
        pdf = str(Path(d) / "c5.pdf")
        rows: list[tuple[str, list[str], float]] = [(" ".join(a), a, 1.5) for a in HELP]
        rows += [
            (" ".join(a).replace(LEDGER, "$L").replace(pdf, "c5.pdf"), a, 2.5)
            for a in tour(Path(d))
        ]
        rows.append((" ".join(CURVE).replace(LEDGER, "$L"), CURVE, 3.0))
        load = os.getloadavg()[0]
        print(f"L = --ledger examples/quintus.yaml; median of {REPEAT} runs each, each run")
        print("after a run of the baseline (import typer, rich, yaml, pydantic): base\n")
        print(
            "| command | wall | base | ratio | CPU | base | ratio | paired ratio (CPU) | target |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        tour_ratios: list[float] = []
        for label, argv, target in rows:
            wall, cpu, base_wall, base_cpu, paired = measure([*CHARTER, *argv])
            if target == 2.5:
                tour_ratios.append(paired)
            met = "met" if paired <= target else "**missed**"
            print(
                f"| `charter {label}` | {wall * 1000:.0f} ms | {base_wall * 1000:.0f} ms "
                f"| {wall / base_wall:.2f}× | {cpu * 1000:.0f} ms | {base_cpu * 1000:.0f} ms "
                f"| {cpu / base_cpu:.2f}× | {paired:.2f}× | ≤ {target}× ({met}) |",
                flush=True,
            )
        under = sum(r <= 2.5 for r in tour_ratios)
        print(
            f"\nthe tour (paired CPU ratios): median {statistics.median(tour_ratios):.2f}×, "
            f"{min(tour_ratios):.2f}–{max(tour_ratios):.2f}×, {under} of {len(tour_ratios)} ≤ 2.5×"
        )
        print(f"load average (1 min) {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
        if os.environ.get("BENCH_INSTRUCTIONS") == "1":
            count_instructions(rows)


def count_instructions(rows: list[tuple[str, list[str], float]]) -> None:
    """The same commands counted in instructions (see the module's docstring)."""
    if shutil.which("valgrind") is None:
        print("\nvalgrind is not installed: no instruction counts")
        return
    base = instructions(BASELINE)
    print(f"\ninstructions (valgrind's callgrind, one run each); baseline {base / 1e6:,.1f} M\n")
    print("| command | instructions | ratio |")
    print("|---|---|---|")
    for label, argv, _ in rows:
        n = instructions([*CHARTER, *argv])
        print(f"| `charter {label}` | {n / 1e6:,.1f} M | {n / base:.2f}× |", flush=True)
