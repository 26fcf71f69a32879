"""Properties of the ledger over generated histories (hypothesis): shares are conserved,
export and load are inverse, and an invalid event anywhere writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.errors import CharterError
from charter.inputs import dump_yaml
from charter.ledger.fileformat import parse_ledger_text
from charter.ledger.store import Store
from charter.rules.captable import captable, captable_json
from charter.service import load_ledger, validate_ledger

HOLDERS = ["a", "b", "c", "d"]
# No issuance below a conversion price: common at $5.00 and Series E at its own $4.15 leave
# every conversion price where it is (Art. IV.B.3(d)), so a Series E share converts 1:1.
PRICES = {"common": "5.00", "series_e": "4.15"}


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    """A valid history: issues, grants, exercises, transfers between existing holders,
    repurchases and Series E conversions, with the shares each step may use."""
    held: dict[tuple[str, str], int] = {}
    grants: dict[str, int] = {}
    events: list[dict[str, Any]] = []
    day = dt.date(1996, 1, 1)
    for i in range(draw(st.integers(1, 25))):
        day += dt.timedelta(days=draw(st.integers(0, 40)))
        kind = draw(
            st.sampled_from(
                ["issue", "issue", "grant", "exercise", "transfer", "repurchase", "convert"]
            )
        )
        h = draw(st.sampled_from(HOLDERS))
        owned = [(k, n) for k, n in held.items() if n > 0]
        if kind == "issue" or (kind in ("transfer", "repurchase") and not owned):
            cls = draw(st.sampled_from(sorted(PRICES)))
            n = draw(st.integers(1, 10_000))
            events.append(
                {
                    "date": day,
                    "type": "issue",
                    "holder": h,
                    "class": cls,
                    "shares": n,
                    "price": PRICES[cls],
                }
            )
            held[(h, cls)] = held.get((h, cls), 0) + n
        elif kind == "grant":
            gid = f"g{i}"
            n = draw(st.integers(1, 1000))
            events.append(
                {
                    "date": day,
                    "type": "grant",
                    "id": gid,
                    "kind": "option",
                    "holder": h,
                    "class": "common",
                    "shares": n,
                    "exercise_price": "5.00",
                }
            )
            grants[gid] = n
            held.setdefault((h, "common"), 0)
        elif kind == "exercise" and grants:
            gid = draw(st.sampled_from(sorted(grants)))
            n = draw(st.integers(1, grants[gid]))
            holder = next(e["holder"] for e in events if e.get("id") == gid)
            events.append({"date": day, "type": "exercise", "grant": gid, "shares": n})
            grants[gid] -= n
            if not grants[gid]:
                del grants[gid]
            held[(holder, "common")] = held.get((holder, "common"), 0) + n
        elif kind == "transfer" and owned:
            (frm, cls), have = draw(st.sampled_from(sorted(owned)))
            to = draw(st.sampled_from([x for x in HOLDERS if x != frm]))
            n = draw(st.integers(1, have))
            events.append(
                {
                    "date": day,
                    "type": "transfer",
                    "from": frm,
                    "to": to,
                    "class": cls,
                    "shares": n,
                    "exemption": "existing-stockholder",
                }
            )
            if not any(k[0] == to and v > 0 for k, v in held.items()):
                # the exemption needs the transferee to hold shares already: give it one first
                events.insert(
                    -1,
                    {
                        "date": day,
                        "type": "issue",
                        "holder": to,
                        "class": "common",
                        "shares": 1,
                        "price": "5.00",
                    },
                )
                held[(to, "common")] = held.get((to, "common"), 0) + 1
            held[(frm, cls)] -= n
            held[(to, cls)] = held.get((to, cls), 0) + n
        elif kind == "repurchase" and owned:
            (who, cls), have = draw(st.sampled_from(sorted(owned)))
            n = draw(st.integers(1, have))
            events.append(
                {
                    "date": day,
                    "type": "repurchase",
                    "holder": who,
                    "class": cls,
                    "shares": n,
                    "price": "0.50",
                }
            )
            held[(who, cls)] -= n
        elif kind == "convert":
            e_owned = [(k, n) for k, n in owned if k[1] == "series_e"]
            if not e_owned:
                continue
            (who, _), have = draw(st.sampled_from(sorted(e_owned)))
            n = draw(st.integers(1, have))
            events.append(
                {"date": day, "type": "convert", "holder": who, "class": "series_e", "shares": n}
            )
            held[(who, "series_e")] -= n
            held[(who, "common")] = held.get((who, "common"), 0) + n  # 4.15 / 4.15 = 1 each
    return {
        "format": "charter-ledger/1",
        "company": {"name": "Prop Co", "terms": "quintus"},
        "stakeholders": [{"id": h, "name": h.upper()} for h in HOLDERS],
        "events": events,
        "_expected": {f"{h}/{c}": n for (h, c), n in held.items() if n},
    }


def as_text(doc: dict[str, Any]) -> str:
    return dump_yaml({k: v for k, v in doc.items() if not k.startswith("_")})  # no aliases


@settings(max_examples=60, deadline=None)
@given(histories())
def test_shares_are_conserved(doc: dict[str, Any]) -> None:
    """Every class's outstanding total equals the sum of its holdings, and each holding is
    what the history's own arithmetic gives (issued + exercised + received − sent −
    repurchased − converted)."""
    parsed = parse_ledger_text(as_text(doc))
    _, state, _ = validate_ledger(parsed)
    got = {f"{h}/{c}": n for h, by in state.holdings.items() for c, n in by.items()}
    assert got == doc["_expected"]
    for cls, total in state.outstanding.items():
        assert total == sum(by.get(cls, 0) for by in state.holdings.values())
    assert all(n > 0 for by in state.holdings.values() for n in by.values())


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories())
def test_load_export_load_is_the_identity(tmp_path: Path, doc: dict[str, Any]) -> None:
    """Load, export, load again: the same cap table and the same file."""
    first = tmp_path / f"l{abs(hash(as_text(doc)))}.yaml"
    first.write_text(as_text(doc))
    store = Store(":memory:")
    store.create_schema()
    s1 = load_ledger(store, first, "one")
    exported = s1.export()
    second = tmp_path / "exported.yaml"
    second.write_text(exported)
    s2 = load_ledger(store, second, "two")
    assert s2.export() == exported
    assert captable_json(captable(s1.state())) == captable_json(captable(s2.state()))
    assert _spelled(yaml.safe_load(exported)["events"]) == _spelled(
        yaml.safe_load(as_text(doc))["events"]
    )


def _spelled(events: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Events modulo key order and spelling (a YAML date and its quoted ISO string)."""
    return [{k: str(v) for k, v in e.items()} for e in events]


@settings(max_examples=40, deadline=None)
@given(histories(), st.data())
def test_an_invalid_event_anywhere_writes_nothing(doc: dict[str, Any], data: st.DataObject) -> None:
    """Insert an issue to a holder that does not exist at a random place: the load fails and
    the database holds nothing; appended to a loaded company, its ledger is unchanged."""
    events = doc["events"]
    at = data.draw(st.integers(0, len(events)))
    when = events[at - 1]["date"] if at else dt.date(1996, 1, 1)
    bad = {
        "date": when,
        "type": "issue",
        "holder": "ghost",
        "class": "common",
        "shares": 1,
        "price": "1.00",
    }
    broken = {**doc, "events": [*events[:at], bad, *events[at:]]}
    store = Store(":memory:")
    store.create_schema()
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "l.yaml"
        p.write_text(as_text(broken))
        try:
            load_ledger(store, p)
            raise AssertionError("the broken ledger loaded")
        except CharterError as e:
            assert any("'ghost' is not a stakeholder" in x.sentence() for x in e.problems)
        assert store.companies() == []
        p.write_text(as_text(doc))
        s = load_ledger(store, p)
        before = s.export()
        try:
            last = events[-1]["date"] if events else dt.date(1996, 1, 1)
            s.append([{**bad, "date": last.isoformat()}])
            raise AssertionError("the bad event was appended")
        except CharterError:
            pass
        assert s.export() == before
