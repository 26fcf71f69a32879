"""docs/ledger-additions.md lists every event type and field read beyond the spec's table
(spec/ledger-format.md: "extend them only by adding")."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from charter.ledger.events import EVENT_MODELS
from tests.conftest import ROOT

SPEC = ROOT.parent / "shared" / "spec" / "ledger-format.md"
DOC = ROOT / "docs" / "ledger-additions.md"
COMMON = {"date", "type", "id", "note"}

# The spec's table of events (spec/ledger-format.md "Events"): type -> its fields, required
# and optional. Kept here so the suite runs without ../shared; where the spec is beside the
# checkout, test_spec_table_is_current checks this copy against it.
SPEC_EVENTS: dict[str, set[str]] = {
    "issue": {"holder", "class", "shares", "price", "consideration", "non_cash_value",
              "exclusion", "certificate"},
    "grant": {"id", "kind", "holder", "class", "shares", "exercise_price", "expires", "plan",
              "exclusion", "vesting"},
    "exercise": {"grant", "shares"},
    "expire": {"grant", "shares"},
    "transfer": {"from", "to", "class", "shares", "price", "exemption", "rofr"},
    "convert": {"holder", "class", "shares"},
    "convert_election": {"classes", "consents"},
    "split": {"class", "ratio", "record_date"},
    "dividend": {"kind", "per_share", "record_date", "paid_date"},
    "repurchase": {"holder", "class", "shares", "price"},
    "ipo": {"price", "gross_proceeds", "firm_commitment", "registration_form", "closing_date"},
    "adopt_terms": {"terms"},
    "rofr_notice": {"id", "holder", "class", "shares", "price", "transferee", "received",
                    "terms"},
    "rofr_assign": {"notice", "assignee", "shares"},
    "rofr_exercise": {"notice", "purchaser", "shares"},
    "rofr_waive": {"notice", "by", "consents"},
    "assert": {"class", "outstanding", "holder"},
    "adopt_plan": {"id", "shares", "approvals"},
    # the spec's equity-plan additions
    "vest": {"grant", "shares"},
    "service_end": {"holder", "reason"},
    "acceleration": {"grant", "shares", "fraction"},
    "plan_amend": {"plan", "shares", "approvals"},
}  # fmt: skip


def _table(text: str) -> dict[str, set[str]]:
    """type -> the field names in its row's required and optional columns."""
    rows: dict[str, set[str]] = {}
    for m in re.finditer(r"^\| `(\w+)` \| ([^|]*)\| ([^|]*)\|", text, re.M):
        words = re.sub(r"\([^)]*\)", "", m.group(2) + " " + m.group(3))
        rows[m.group(1)] = set(re.findall(r"[a-z_]+", words))
    return rows


def _fields_of_models() -> dict[str, set[str]]:
    """type -> its fields but those every event has (an `id` counts where it is required, as
    in the spec's table)."""
    return {
        get_args(m.model_fields["type"].annotation)[0]: {
            f.alias or n
            for n, f in m.model_fields.items()
            if n not in COMMON or (n == "id" and f.is_required())
        }
        for m in EVENT_MODELS
    }


def test_spec_table_is_current() -> None:
    if not SPEC.exists():
        pytest.skip("spec/ledger-format.md is not beside this checkout")
    assert _table(SPEC.read_text()) == SPEC_EVENTS


def test_every_addition_is_documented() -> None:
    spec = SPEC_EVENTS
    doc = DOC.read_text()
    added_types = _table(doc.split("## Optional fields")[0])
    added_fields = set(re.findall(r"^\| `(\w+)` \| (\w+) \|", doc, re.M))
    for t, fields in _fields_of_models().items():
        if t not in spec:
            assert added_types.get(t) == fields, f"{t}: not documented as an added type"
            continue
        for f in sorted(fields - spec[t]):
            assert (t, f) in added_fields, f"{t}.{f}: not documented as an added field"


def test_documented_additions_exist() -> None:
    """Nothing listed that the models do not read."""
    models = _fields_of_models()
    doc = DOC.read_text()
    for t, f in re.findall(r"^\| `(\w+)` \| (\w+) \|", doc, re.M):
        assert f in models[t], f"{t}.{f} is documented but not read"
