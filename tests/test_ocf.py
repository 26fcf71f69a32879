"""Open Cap Format packages in and out (issue 13 §1).

The export is validated here with `jsonschema` and a `referencing` registry built in this file
over the shared schemas (not the module's own validator), so that a fault in the module's
registry cannot hide a package that does not validate.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from charter.cli.interop import write_company
from charter.errors import CharterError
from charter.interop.ocf_export import export_package
from charter.interop.ocf_import import import_package
from charter.interop.ocf_package import read_package
from charter.interop.ocf_schema import schema_folder
from charter.ledger_file import LedgerFile
from charter.rules.captable import captable, captable_json
from charter.rules.conversion_prices import conversion_prices, conversion_prices_json
from charter.service import Session, open_session
from charter.state import vesting
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "tests" / "data" / "ocf" / "acme"
SAMPLES = ROOT.parent / "shared" / "ocf" / "samples"  # the shared samples, when beside
URL = "https://raw.githubusercontent.com/Open-Cap-Table-Coalition/Open-Cap-Format-OCF/main/schema/"
FILE_SCHEMA = {
    "OCF_MANIFEST_FILE": "files/OCFManifestFile.schema.json",
    "OCF_STAKEHOLDERS_FILE": "files/StakeholdersFile.schema.json",
    "OCF_STOCK_CLASSES_FILE": "files/StockClassesFile.schema.json",
    "OCF_STOCK_PLANS_FILE": "files/StockPlansFile.schema.json",
    "OCF_TRANSACTIONS_FILE": "files/TransactionsFile.schema.json",
    "OCF_VESTING_TERMS_FILE": "files/VestingTermsFile.schema.json",
}


def schema_registry() -> Registry[Any]:
    """Every schema under its URL: the path under schema/ after the repository's prefix."""
    folder = schema_folder()
    return Registry().with_resources(
        (URL + p.relative_to(folder).as_posix(), DRAFT7.create_resource(json.loads(p.read_text())))
        for p in folder.rglob("*.schema.json")
    )


def exported(ledger: Path) -> tuple[Session | LedgerFile, dict[str, bytes]]:
    s = open_session(ledger)
    return s, export_package(s.doc, s.terms)


def reimported(files: dict[str, bytes], tmp_path: Path) -> Session:
    folder = tmp_path / "package"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    imported = import_package(read_package(folder))
    db = str(tmp_path / "again.db")
    slug = write_company(imported.doc, imported.terms_text, tmp_path / "out", db, None)
    return open_session(None, db, slug)


@pytest.mark.parametrize("example", ["quintus.yaml", "venture.yaml"])
def test_ocf_export_validates_against_the_schemas(example: str) -> None:
    """Every file of the exported package validates against the schema its file_type names
    (jsonschema, draft 7, $refs resolved by a referencing registry over the local schemas)."""
    _, files = exported(ROOT / "examples" / example)
    registry = schema_registry()
    checked = 0
    for name, data in files.items():
        if not name.endswith(".ocf.json"):
            continue
        doc = json.loads(data)
        schema = registry.contents(URL + FILE_SCHEMA[doc["file_type"]])
        errors = list(Draft7Validator(schema, registry=registry).iter_errors(doc))
        assert errors == [], (name, [e.message for e in errors[:3]])
        checked += 1
    assert checked == 6


# Series F converts on Northgate's consent (Art. IV.B.3(b)(iii)(B)): an event OCF has no
# transaction for, after which Northgate transfers common it never had a security for.
CONVERTED = """
  - {date: 1999-11-01, id: f-consent, type: convert_election, classes: [series_f], consents: [northgate-99]}
  - {date: 1999-11-02, type: transfer, from: northgate-99, to: r.ashworth, class: common, shares: 1000, exemption: existing-stockholder}
"""


# Grants and restricted stock vesting every way the ledger writes: a start before the grant,
# a single-trigger fraction, early exercise (exercised before vesting), performance vesting
# with a `vest` event, accelerations of shares, of a fraction and of all the unvested, and a
# schedule OCF's vesting terms cannot carry (10 months in 3-month installments: in the tag).
VESTING = """
  - {id: opt-v-1, date: 1999-11-01, type: grant, kind: option, holder: h.patel, class: common, shares: 48000, exercise_price: "0.50", plan: plan-1995, exclusion: employee-plan, expires: 2009-11-01, vesting: {start: 1999-08-15, months: 48, cliff_months: 12, single_trigger: "1/2"}}
  - {id: opt-v-2, date: 1999-11-01, type: grant, kind: option, holder: l.moreau, class: common, shares: 24000, exercise_price: "0.50", plan: plan-1995, exclusion: employee-plan, expires: 2009-11-01, vesting: {months: 24, every_months: 3, early_exercise: true}}
  - {id: opt-v-3, date: 1999-11-01, type: grant, kind: option, holder: t.boateng, class: common, shares: 10000, exercise_price: "0.50", plan: plan-1995, exclusion: employee-plan, expires: 2009-11-01, vesting: {months: 36, performance: true}}
  - {id: opt-v-4, date: 1999-11-01, type: grant, kind: option, holder: k.nakamura, class: common, shares: 9000, exercise_price: "0.50", plan: plan-1995, exclusion: employee-plan, expires: 2009-11-01, vesting: {months: 10, every_months: 3}}
  - {date: 1999-11-01, type: issue, holder: s.chen, class: common, shares: 12000, price: "0.50", exclusion: employee-plan, vesting: {start: 1999-10-01, months: 12, every_months: 3}}
  - {date: 1999-12-01, type: exercise, grant: opt-v-2, shares: 6000}
  - {date: 2000-02-15, type: acceleration, grant: opt-v-4, shares: 1000}
  - {date: 2000-03-01, type: vest, grant: opt-v-3, shares: 2500}
  - {date: 2000-06-15, type: acceleration, grant: opt-v-1, fraction: "1/4"}
  - {date: 2000-10-01, type: acceleration, grant: opt-v-3}
"""


def vested_on(s: Session | LedgerFile, d: dt.date) -> dict[str, int]:
    """Each grant's and restricted stock's vested shares on `d`."""
    state = s.state(d)
    out = {g.id: vesting.vested(g, d) for g in state.grants.values()}
    return out | {r.id: vesting.stock_vested(r, d) for r in state.restricted.values()}


@pytest.mark.parametrize("example", ["quintus.yaml", "venture.yaml", "converted", "vesting"])
def test_ocf_round_trip_same_cap_table_and_conversion_prices_on_every_event_date(
    example: str, tmp_path: Path
) -> None:
    """Export then import: the cap table (holders, classes, grants), each grant's and
    restricted stock's vested shares, and the conversion prices (with their history:
    Art. IV.B.3(d)) are the same as of every date with an event and every month's first day
    from the first event to five years after the last."""
    ledger = ROOT / "examples" / example
    if example in ("converted", "vesting"):
        ledger = tmp_path / f"{example}.yaml"
        more = CONVERTED if example == "converted" else VESTING
        ledger.write_text((ROOT / "examples" / "quintus.yaml").read_text() + more)
    original, files = exported(ledger)
    again = reimported(files, tmp_path)
    dates = sorted({e.event.date for e in original.entries()})
    assert len(again.entries()) == len(original.entries())
    for d in dates:
        a, b = original.state(d), again.state(d)
        assert captable_json(captable(a)) == captable_json(captable(b)), d
        assert conversion_prices_json(conversion_prices(a)) == conversion_prices_json(
            conversion_prices(b)
        ), d
    months = [
        dt.date(y, m, 1) for y in range(dates[0].year, dates[-1].year + 6) for m in range(1, 13)
    ]
    for d in sorted({*dates, *(m for m in months if m > dates[0])}):
        assert vested_on(original, d) == vested_on(again, d), d
    assert [(h.id, h.name, h.address, h.relations) for h in original.stakeholders()] == [
        (h.id, h.name, h.address, h.relations) for h in again.stakeholders()
    ]


def test_ocf_round_trip_of_a_cliff_schedule_worked_by_hand(tmp_path: Path) -> None:
    """opt-v-1 (VESTING above): 48,000 options, 48 months from 1999-08-15 with a 12-month
    cliff, monthly, rounded down (1,000 a month); on 2000-06-15 the board accelerates 1/4
    of the unvested. It goes out as vesting terms (cliff 12/48 once after 12 months, then 36
    installments of 1/48), a vesting start on 1999-08-15 and an acceleration of 12,000; read
    back, by hand:

    - 2000-06-14: 9 whole months, before the cliff: 0
    - 2000-06-15: 10 months, still before the cliff; 1/4 of the 48,000 unvested = 12,000
    - 2000-08-14: 11 months: 0 + 12,000 = 12,000
    - 2000-08-15: 12 months, the cliff: 48,000 x 12/48 = 12,000 + 12,000 = 24,000
    - 2001-08-15: 24 months: 24,000 + 12,000 = 36,000
    - 2002-08-15: 36 months: 36,000 + 12,000 = 48,000, all of it
    """
    ledger = tmp_path / "vesting.yaml"
    ledger.write_text((ROOT / "examples" / "quintus.yaml").read_text() + VESTING)
    _, files = exported(ledger)
    txs = json.loads(files["Transactions.ocf.json"])["items"]
    grant = next(t for t in txs if t.get("security_id") == "opt-v-1" and "quantity" in t)
    start = next(
        t for t in txs if t["object_type"] == "TX_VESTING_START" and t["security_id"] == "opt-v-1"
    )
    assert start["date"] == "1999-08-15"
    accelerated = next(
        t
        for t in txs
        if t["object_type"] == "TX_VESTING_ACCELERATION" and t["security_id"] == "opt-v-1"
    )
    assert accelerated["quantity"] == "12000"
    terms = {t["id"]: t for t in json.loads(files["VestingTerms.ocf.json"])["items"]}
    conditions = {c["id"]: c for c in terms[grant["vesting_terms_id"]]["vesting_conditions"]}
    assert conditions["cliff"]["portion"] == {"numerator": "1", "denominator": "4"}
    assert conditions["installments"]["trigger"]["period"]["occurrences"] == 36
    again = reimported(files, tmp_path)
    on = {
        dt.date(2000, 6, 14): 0,
        dt.date(2000, 6, 15): 12_000,
        dt.date(2000, 8, 14): 12_000,
        dt.date(2000, 8, 15): 24_000,
        dt.date(2001, 8, 15): 36_000,
        dt.date(2002, 8, 15): 48_000,
    }
    assert {d: vested_on(again, d)["opt-v-1"] for d in on} == on


def test_ocf_export_carries_conversion_price_history_as_ratio_adjustments() -> None:
    """Quintus's Series conversion prices change on dilutive issuances (Art. IV.B.3(d)); each
    date's last price goes out as a TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT whose ratio is
    original issue price / conversion price."""
    s, files = exported(ROOT / "examples" / "quintus.yaml")
    txs = json.loads(files["Transactions.ocf.json"])["items"]
    adjustments = [
        t for t in txs if t["object_type"] == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT"
    ]
    history = conversion_prices_json(conversion_prices(s.state()))
    changed = {(c, h["date"]) for c, v in history.items() for h in v["history"]}  # type: ignore[union-attr]
    assert {(t["stock_class_id"], t["date"]) for t in adjustments} == changed
    for t in adjustments:
        mech = t["new_ratio_conversion_mechanism"]
        assert mech["ratio"]["denominator"] == mech["conversion_price"]["amount"].rstrip(
            "0"
        ).rstrip(".")


def test_ocf_import_of_a_hand_counted_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """tests/data/ocf/acme: the samples' issuer, stakeholders, classes and plan, with these
    transactions (X = Person X, Y = Person Y, F3/F4 = XYZ Holdings Fund III/IV):

    - 2021-02-01 issue X 4,000,000 common; Y 1,000,000 common
    - 2021-03-01 issue F3 2,000,000 Series Seed; F4 500,000 Series Seed
    - 2021-04-01 option opt-1 to Y: 100,000 common at $0.10 (plan; vesting terms 4yr-1yr-cliff,
      OCF's sample, which rounds to the nearest share: not carried as a schedule, a note)
    - 2021-04-01 option opt-2 to Y: 48,000 common at $0.10 (plan; the same schedule rounded
      down: 48 months, a 12-month cliff, monthly), its vesting starting 2021-01-15; on
      2022-07-15 the board accelerates 6,000 of it
    - 2021-06-01 X transfers 500,000 common to F4 (balance 3,500,000 stays with X)
    - 2021-07-01 Y exercises 40,000 of opt-1; 2021-08-01 10,000 of opt-1 are cancelled
    - 2021-09-01 F4 converts its 500,000 Series Seed (ratio 1/1) into 500,000 common
    - 2021-10-01 the company repurchases 500,000 common from X at $0.20
    - 2022-02-01 common splits 2-for-1; 2022-11-14 the plan's pool goes to 12,000,000

    By hand, after the split: X (4,000,000 - 500,000 - 500,000) x 2 = 6,000,000;
    Y (1,000,000 + 40,000) x 2 = 2,080,000; F4 (500,000 + 500,000) x 2 = 2,000,000;
    common outstanding 6,000,000 + 2,080,000 + 2,000,000 = 10,080,000. Series Seed:
    2,500,000 - 500,000 = 2,000,000 (F3). opt-1: (100,000 - 40,000 - 10,000) x 2 = 100,000
    at $0.10 / 2 = $0.05; opt-2 48,000 x 2 = 96,000 at $0.05. Fully diluted 10,080,000 +
    2,000,000 + 100,000 + 96,000 = 12,276,000 (the imported terms have no anti-dilution
    clause, a TODO, so the split leaves the Seed's conversion price at $1.00). The plan
    reserves 10,000,000 + 2,000,000 = 12,000,000.

    opt-2 vests 1/48 a month from 2021-01-15 after a 12-month cliff, whole shares rounded
    down: 2022-01-14 (11 whole months) 0; 2022-01-15 (12) 48,000 x 12/48 = 12,000; after the
    split (96,000 shares) on 2022-07-14 (17) 96,000 x 17/48 = 34,000; on 2022-07-15 (18)
    36,000 + the 6,000 accelerated = 42,000; on 2023-01-15 (24) 48,000 + 6,000 = 54,000; on
    2024-12-15 (47) 94,000 + 6,000 = 100,000, capped at the 96,000 granted.
    """
    code, out, err = run_cli(
        capsys,
        "import",
        "--ocf",
        str(ACME),
        "--to",
        str(tmp_path / "acme"),
        "--db",
        str(tmp_path / "c.db"),
    )
    assert code == 0, err
    s = open_session(None, str(tmp_path / "c.db"), "acme-industries")
    state = s.state()
    ct = captable_json(captable(state))
    x, y = "stakeholder-sample-individual-all-fields", "d6c49a5a-257d-4b41-9f1d-073a77dfe719"
    f3, f4 = "stakeholder-sample-institution-all-fields", "stakeholder-sample-minimal-fields"
    holders: Any = ct["holders"]
    assert holders[x]["common"] == 6_000_000
    assert holders[y]["common"] == 2_080_000
    assert holders[f4]["common"] == 2_000_000
    assert holders[f3]["series_seed"] == 2_000_000
    classes: Any = ct["classes"]
    assert classes["common"]["outstanding"] == 10_080_000
    assert classes["series_seed"]["outstanding"] == 2_000_000
    grants: Any = ct["grants"]
    assert grants["opt-1"]["outstanding"] == 100_000
    assert grants["opt-1"]["exercise_price"] == "0.050000"
    assert grants["opt-2"]["outstanding"] == 96_000
    assert ct["fully_diluted"] == 12_276_000
    opt2 = s.state(dt.date(2024, 12, 15)).grants["opt-2"]
    on = {
        dt.date(2022, 1, 14): 0,
        dt.date(2022, 1, 15): 12_000,
        dt.date(2022, 7, 14): 34_000,
        dt.date(2022, 7, 15): 42_000,
        dt.date(2023, 1, 15): 54_000,
        dt.date(2024, 12, 15): 96_000,
    }
    assert {d: vesting.vested(s.state(d).grants["opt-2"], d) for d in on} == on
    assert opt2.schedule is not None and opt2.schedule.start == dt.date(2021, 1, 15)
    plan = state.plans["257e5da9-5268-465c-84be-f6d4d4703a9b"]
    assert plan.shares == 12_000_000
    grant = next(e.event for e in s.entries() if getattr(e.event, "id", None) == "opt-1")
    assert getattr(grant, "vesting") == (  # noqa: B009 - a grant event's note
        "OCF vesting terms 4yr-1yr-cliff-schedule; start 2021-04-01"
    )
    terms = (tmp_path / "acme" / "terms.yaml").read_text()
    assert "# TODO: Cash Amounts paid on conversion" in terms
    assert "Art. IV.B.3(c)" in terms and "TODO: the bylaws" in terms
    # Series Seed: price $1.00 (its conversion price; no price_per_share), preference 2x,
    # participation capped at 2x: $2.00 a share each
    assert "preference_per_share: '2'" in terms and "cap_per_share: '2'" in terms
    assert "Cash Amounts paid on conversion" in out
    text = " ".join(out.split())
    assert (
        "its vesting terms '4yr-1yr-cliff-schedule' (VestingTerms.ocf.json) are not carried" in text
    )
    assert "CUMULATIVE_ROUNDING" in text


def test_ocf_import_refuses_the_shared_samples_naming_each_inconsistency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shared samples are a catalogue of single objects, not a company: the transactions
    file holds types its schema does not list, and its objects name stakeholders, classes,
    plans and securities the package never defines. Each gets a sentence naming the file,
    the object id and the field; nothing is written."""
    if not SAMPLES.exists():
        pytest.skip("the shared OCF samples are not beside this checkout")
    code, _, err = run_cli(
        capsys,
        "import",
        "--ocf",
        str(SAMPLES),
        "--to",
        str(tmp_path / "x"),
        "--db",
        str(tmp_path / "c.db"),
    )
    assert code == 1
    expected = [
        "Transactions.ocf.json: object 'test-issuer-level-share-adjustment-minimal', field "
        "object_type: 'TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT' is not a type this file may hold.",
        "Transactions.ocf.json: object 'test-stock-issuance-minimal', field stakeholder_id: "
        "names 'stakeholder-id', which no stakeholder has.",
        "Transactions.ocf.json: object 'test-stock-issuance-minimal', field stock_class_id: "
        "names 'stock-class-id', which no stock class has.",
        "Transactions.ocf.json: object 'test-stock-issuance-minimal-RSA', field security_id: "
        "is issued twice.",
        "Transactions.ocf.json: object 'increase_sop_pool', field stock_plan_id: names "
        "'2022 Stock Option Plan', not a plan.",
        "Transactions.ocf.json: object 'test-warrant-transfer-minimal', field object_type: "
        "transfers an option, award or warrant",
    ]
    text = " ".join(err.split())
    for sentence in expected:
        assert sentence in text
    assert "Traceback" not in err
    assert not (tmp_path / "x").exists() and not (tmp_path / "c.db").exists()


def _acme_with(tmp_path: Path, change: Any) -> Path:
    folder = tmp_path / "bad"
    shutil.copytree(ACME, folder)
    path = folder / "Transactions.ocf.json"
    data = json.loads(path.read_text())
    change(data["items"])
    path.write_text(json.dumps(data))
    return folder


def test_ocf_import_refuses_a_transfer_of_more_than_is_held(tmp_path: Path) -> None:
    """X holds 4,000,000 common; a transfer of 5,000,000 is refused by the replay, and the
    sentence names the OCF file, the transfer's id and its quantity field."""

    def change(items: list[dict[str, Any]]) -> None:
        for t in items:
            if t["id"] == "tx-transfer-1":
                t["quantity"] = "5000000"
            if t["id"] == "tx-s-transfer-1":
                t["quantity"] = "5000000"

    with pytest.raises(CharterError) as e:
        import_package(read_package(_acme_with(tmp_path, change)))
    sentences = [p.sentence() for p in e.value.problems]
    assert any(
        s.startswith("Transactions.ocf.json: object 'tx-transfer-1', field quantity:")
        and "4,000,000" in s
        for s in sentences
    ), sentences


def test_ocf_import_refuses_an_issuance_beyond_the_authorized(tmp_path: Path) -> None:
    """Series Seed authorizes 10,000,000 (StockClass initial_shares_authorized); issuing
    F3 12,000,000 instead of 2,000,000 makes 12,500,000 outstanding: refused, naming it."""

    def change(items: list[dict[str, Any]]) -> None:
        for t in items:
            if t["id"] == "tx-s-seed-3":
                t["quantity"] = "12000000"

    with pytest.raises(CharterError) as e:
        import_package(read_package(_acme_with(tmp_path, change)))
    sentences = [p.sentence() for p in e.value.problems]
    assert any(
        s.startswith("Transactions.ocf.json: object 'tx-s-seed-3', field quantity:")
        for s in sentences
    ), sentences


def test_ocf_import_reads_a_zip_and_refuses_a_path_outside_it(tmp_path: Path) -> None:
    """A .ocf.zip imports as its folder does; a manifest naming ../x is refused."""
    z = tmp_path / "acme.ocf.zip"
    with zipfile.ZipFile(z, "w") as out:
        for f in ACME.iterdir():
            out.write(f, f"acme/{f.name}")
    assert (
        len(import_package(read_package(z)).doc.entries) == 15
    )  # the events of the hand-counted package
    bad = tmp_path / "evil.ocf.zip"
    manifest = json.loads((ACME / "Manifest.ocf.json").read_text())
    manifest["transactions_files"] = [{"filepath": "../Transactions.ocf.json", "md5": "0" * 32}]
    with zipfile.ZipFile(bad, "w") as out:
        out.writestr("Manifest.ocf.json", json.dumps(manifest))
    with pytest.raises(CharterError) as e:
        read_package(bad)
    assert "outside the package" in str(e.value)


def test_ocf_cli_export_then_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`charter export --ocf` then `charter import --ocf`: the same cap table."""
    ledger = str(ROOT / "examples" / "venture.yaml")
    code, _, err = run_cli(
        capsys, "export", "--ocf", str(tmp_path / "p.ocf.zip"), "--ledger", ledger
    )
    assert code == 0, err
    code, _, err = run_cli(
        capsys,
        "import",
        "--ocf",
        str(tmp_path / "p.ocf.zip"),
        "--to",
        str(tmp_path / "v"),
        "--db",
        str(tmp_path / "c.db"),
    )
    assert code == 0, err
    a = captable_json(captable(open_session(Path(ledger)).state()))
    b = captable_json(captable(open_session(None, str(tmp_path / "c.db"), None).state()))
    assert a == b
    code, _, err = run_cli(
        capsys, "export", "--ocf", str(tmp_path / "p.ocf.zip"), "--ledger", ledger
    )
    assert code == 1 and "already exists" in err


def _mutations(item: dict[str, Any]) -> list[dict[str, Any]]:
    """The item, and the item broken four ways (a field dropped, a value of the wrong type,
    a currency in lower case, a field the schema does not have)."""
    out = [item]
    keys = [k for k in item if k not in ("object_type", "id")]
    out.append({k: v for k, v in item.items() if k != keys[0]})
    out.append(item | {"date": 20210101})
    money = next((k for k, v in item.items() if isinstance(v, dict) and "currency" in v), None)
    if money is not None:
        out.append(item | {money: item[money] | {"currency": "usd"}})
    out.append(item | {"not_in_ocf": "x"})
    return out


def test_ocf_validation_gives_the_verdicts_of_plain_jsonschema() -> None:
    """The module checks each object against its type's schema inlined and folded, with a
    validator that remembers the values it found valid; a plain `Draft7Validator` over the
    file's schema as published (its oneOf of every type, $refs resolved by the registry)
    must agree object by object, on valid objects and on each broken one, the broken ones
    checked twice over in one file so that what is remembered is used."""
    from charter.interop.ocf_schema import schema_errors

    registry = schema_registry()
    schema = registry.contents(URL + FILE_SCHEMA["OCF_TRANSACTIONS_FILE"])
    plain = Draft7Validator(schema, registry=registry)
    _, files = exported(ROOT / "examples" / "quintus.yaml")
    ours = json.loads(files["Transactions.ocf.json"])["items"]
    theirs = json.loads((ACME / "Transactions.ocf.json").read_text())["items"]
    kinds: dict[str, dict[str, Any]] = {}
    for item in ours + theirs:
        kinds.setdefault(item["object_type"], item)
    items = [
        m | {"id": f"{n}-{i}"}
        for n, item in enumerate(kinds.values())
        for i, m in enumerate(_mutations(item))
    ]
    items += [m | {"id": m["id"] + "-again"} for m in items]
    data = {"file_type": "OCF_TRANSACTIONS_FILE", "items": items}
    refused = {oid for oid, _, _ in schema_errors(data)}
    expected = {
        item["id"]
        for item in items
        if list(plain.iter_errors({"file_type": "OCF_TRANSACTIONS_FILE", "items": [item]}))
    }
    assert len(kinds) >= 12
    assert refused == expected
    assert len(expected) >= 3 * len(kinds)
