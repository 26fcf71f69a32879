"""Issue 13's benchmark: export and import of an Open Cap Format package of a synthetic
history (bench/synthetic.py: 100,000 events over 10,000 holders), each against the ledger
load of the same history into SQLite in the same run (`charter load`: read, check, replay,
write), as a ratio. The import's time includes the schema validation of every file, the
replay that checks the transactions and the load into the database. The CPU ratio is the
steadier on a shared machine."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from bench.synthetic import synthetic_ledger
from charter.cli.interop import write_company
from charter.interop.ocf_export import export_package
from charter.interop.ocf_import import import_package
from charter.interop.ocf_package import read_package
from charter.ledger.fileformat import LedgerDoc
from charter.service import load_ledger, open_store

N_EVENTS = int(os.environ.get("BENCH_EVENTS", 100_000))
N_HOLDERS = int(os.environ.get("BENCH_HOLDERS", 10_000))


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    return time.perf_counter() - start[0], time.process_time() - start[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ledger = tmp / "ledger.json"
        ledger.write_text(json.dumps(synthetic_ledger(N_EVENTS, N_HOLDERS)))
        t = clock()
        session = load_ledger(open_store(str(tmp / "base.db"), create=True), ledger)
        load = since(t)
        doc = LedgerDoc(session.company.company, session.stakeholders(), session.entries())
        t = clock()
        files = export_package(doc, session.terms)
        package = tmp / "package"
        package.mkdir()
        for name, data in files.items():
            (package / name).write_bytes(data)
        export = since(t)
        n_tx = len(json.loads(files["Transactions.ocf.json"])["items"])
        t = clock()
        imported = import_package(read_package(package))
        write_company(imported.doc, imported.terms_text, tmp / "out", str(tmp / "in.db"), None)
        imp = since(t)
    n = len(doc.entries)
    print(f"{n:,} events over {N_HOLDERS:,} holders; the package: {n_tx:,} OCF transactions")
    print("| step | wall | CPU | wall ÷ load | CPU ÷ load |")
    print("|---|---|---|---|---|")
    for name, (wall, cpu) in (("ledger load (baseline)", load), ("OCF export", export),
                              ("OCF import", imp)):  # fmt: skip
        print(
            f"| {name} | {wall:.1f} s | {cpu:.1f} s | {wall / load[0]:.2f} | {cpu / load[1]:.2f} |"
        )


if __name__ == "__main__":
    main()
