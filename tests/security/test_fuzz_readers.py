"""Issue 17, tests and figures: hypothesis fuzzing of the readers of what people write — the
ledger, the terms, the ballots of a stockholder meeting and of the board, written consents.
Any input gives a result or sentences (CharterError), never another exception.

Two kinds of input: arbitrary text (through the one safe reader, inputs.py), and the
example files with one value replaced by an arbitrary one (so that the input gets past the
first checks and reaches the deep ones)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.errors import CharterError
from charter.inputs import load_text
from charter.ledger.fileformat import parse_ledger_text, read_ledger
from charter.rules.board_meetings import board_tally, parse_board_tally_input, votes_by_item
from charter.rules.tally import parse_tally_input, tally
from charter.service import load_ledger
from charter.state.board import directors_in_office
from charter.state.model import State
from charter.terms.loader import load_terms_file
from tests.web_support import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(["1999-02-30", "0.1", "1" * 50, "-5", "2:1", "1/0", "</script>", "\ud800"])
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


def replaced(data: Any, path: list[int], value: Any) -> Any:
    """`data` with the value found by following `path` (indices taken modulo the size of
    each list or mapping met on the way) replaced by `value`."""
    out = copy.deepcopy(data)
    node, parent, key = out, None, None
    for step in path:
        if isinstance(node, dict) and node:
            parent, key = node, sorted(node, key=str)[step % len(node)]
        elif isinstance(node, list) and node:
            parent, key = node, step % len(node)
        else:
            break
        node = parent[key]
    if parent is None:
        return value
    parent[key] = value
    return out


def dump(data: Any) -> str:
    """As a person might write it: YAML, or JSON when YAML cannot represent the value."""
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return json.dumps(data, default=str)


@cache
def example_raw() -> Any:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


@cache
def example_state() -> State:
    from charter.ledger.store import Store

    store = Store("sqlite://")
    store.create_schema()
    return load_ledger(store, EXAMPLE).state(None)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_data_or_sentences(text: str) -> None:
    try:
        load_text(text, field="text")
    except CharterError as e:
        assert e.problems and all(p.sentence() for p in e.problems)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_a_ledger_gives_a_ledger_or_sentences(text: str) -> None:
    try:
        parse_ledger_text(text, "fuzz.yaml")
    except CharterError as e:
        assert e.problems


@FUZZ
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=5), values)
def test_the_example_ledger_with_one_value_replaced_gives_a_ledger_or_sentences(
    path: list[int], value: Any
) -> None:
    text = dump(replaced(example_raw(), path, value))
    try:
        parse_ledger_text(text, "fuzz.yaml")
    except CharterError as e:
        assert e.problems


@FUZZ
@given(st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=6), values)
def test_a_terms_file_with_one_value_replaced_gives_terms_or_sentences(
    tmp_path_factory: pytest.TempPathFactory, path: list[int], value: Any
) -> None:
    source = ROOT / "examples" / "venture-terms.yaml"
    tmp = tmp_path_factory.mktemp("terms")
    (tmp / "venture-bylaws.yaml").write_text(
        (source.parent / "venture-bylaws.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    terms = tmp / "venture-terms.yaml"
    terms.write_text(dump(replaced(data, path, value)), encoding="utf-8")
    try:
        load_terms_file(terms)
    except CharterError as e:
        assert e.problems


MEETING = {
    "date": dt.date(1999, 10, 31),
    "items": [{"id": "auditors"}, {"id": "board", "kind": "election", "seats": 2}],
    "ballots": [
        {"holder": "r.ashworth", "item": "auditors", "vote": "for"},
        {"holder": "d.okafor", "item": "auditors", "vote": "against", "by": "proxy",
         "proxy_date": dt.date(1999, 10, 1)},
        {"holder": "r.ashworth", "item": "board", "candidates": ["a", "b"]},
    ],
}  # fmt: skip
BOARD = {
    "date": dt.date(1999, 10, 31),
    "present": ["r.ashworth", "d.okafor"],
    "items": ["budget"],
    "ballots": [{"director": "r.ashworth", "item": "budget", "vote": "for"}],
}


@FUZZ
@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=4), values)
def test_meeting_ballots_give_a_tally_or_sentences(path: list[int], value: Any) -> None:
    try:
        data = load_text(dump(replaced(MEETING, path, value)))
        tally(example_state(), parse_tally_input(data, "ballots.yaml"), "ballots.yaml", {})
    except CharterError as e:
        assert e.problems


@FUZZ
@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=4), values)
def test_board_ballots_give_a_tally_or_sentences(path: list[int], value: Any) -> None:
    state = example_state()
    try:
        data = parse_board_tally_input(load_text(dump(replaced(BOARD, path, value))), "b.yaml")
        items = votes_by_item(data, "b.yaml")
        board_tally(
            state.terms.bylaws, 5, directors_in_office(state), data.present, items, "b.yaml"
        )
    except CharterError as e:
        assert e.problems


@FUZZ
@given(values)
def test_written_consents_give_a_mapping_or_a_sentence(
    tmp_path_factory: pytest.TempPathFactory, value: Any
) -> None:
    from charter.cli.board_meeting import read_consents

    path = tmp_path_factory.mktemp("consents") / "consents.yaml"
    path.write_text(dump({"r.ashworth": dt.date(1999, 10, 1), "d.okafor": value}), encoding="utf-8")
    try:
        read_consents(path)
    except CharterError as e:
        assert e.problems


def test_the_example_ledger_reads_through_the_safe_reader() -> None:
    """The fuzzing starts from files that are read whole (a mutation that changes nothing
    must give a result, not sentences)."""
    assert read_ledger(EXAMPLE).entries
    load_terms_file(ROOT / "examples" / "venture-terms.yaml")
