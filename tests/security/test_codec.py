"""The cached states' format (state/codec.py, state/cached.py) and the server key
(ledger/keys.py): what is written is read back equal, into the same types, and nothing else
is read back; the key file is its owner's alone and never in the database."""

from __future__ import annotations

import datetime as dt
import stat
from fractions import Fraction
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from msgspec.structs import astuple

from charter.ledger.keys import ServerKey
from charter.ledger.store import Store
from charter.state.cached import CODEC
from charter.state.codec import Codec, Packed, Rows, Undecodable
from charter.state.model import GrantState, PriceChange

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.text(max_size=8),
    st.fractions(max_denominator=10**30),
    st.dates(),
)
keys = st.one_of(
    st.text(max_size=6), st.integers(), st.tuples(st.text(max_size=4), st.text(max_size=4))
)
grants = st.builds(
    GrantState,
    id=st.text(max_size=5),
    kind=st.sampled_from(["option", "warrant"]),
    holder=st.text(max_size=5),
    class_id=st.text(max_size=5),
    granted=st.integers(0, 10**9),
    exercise_price=st.fractions(min_value=0, max_denominator=10**6),
    date=st.dates(),
    expires=st.none() | st.dates(),
)
changes = st.builds(
    PriceChange,
    date=st.dates(),
    event=st.text(max_size=5),
    kind=st.text(max_size=5),
    old=st.fractions(),
    new=st.fractions(),
    citation=st.text(max_size=5),
    a=st.none() | st.fractions(),
)
values = st.recursive(
    st.one_of(scalars, grants, changes),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.sets(st.text(max_size=4), max_size=4),
        st.dictionaries(keys, inner, max_size=4),
        st.dictionaries(st.text(max_size=4), grants, max_size=4),  # kept as a table
    ),
    max_leaves=20,
)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (a tuple is not a list)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, GrantState | PriceChange):
        return a == b and same(astuple(a), astuple(b))
    return bool(a == b)


@given(values)
def test_what_the_codec_writes_it_reads_back_equal_and_of_the_same_types(value: Any) -> None:
    assert same(CODEC.unpack(CODEC.pack(value)), value)


class Checked(msgspec.Struct):
    """A record that runs code of its own when it is made."""

    x: int

    def __post_init__(self) -> None:
        raise AssertionError("ran")


class Open(msgspec.Struct, dict=True):
    """A record that may hold attributes beyond its fields."""

    x: int


def test_a_record_that_runs_code_when_made_is_refused_by_the_allowlist() -> None:
    """The codec makes a Struct again by its constructor, which then runs `__post_init__` on
    what the bytes hold: such a class cannot be in the allowlist."""
    with pytest.raises(TypeError, match="runs __post_init__"):
        Codec([Checked])


def test_a_record_that_keeps_more_than_its_fields_is_refused_by_the_allowlist() -> None:
    """What a Struct keeps beyond its fields would be lost on the way through the codec."""
    with pytest.raises(TypeError, match="keeps attributes beyond its fields"):
        Codec([Open])


def test_rows_are_read_back_one_by_one_each_against_the_allowlist() -> None:
    """A row is decoded when first read, and refused then if it names a class the codec
    does not know; the rows never read are written back as they were read."""
    grant = GrantState("g", "option", "h", "common", 10, Fraction(1, 2), dt.date(2000, 1, 1))
    change = PriceChange(dt.date(2000, 1, 1), "e", "k", Fraction(1), Fraction(1, 2), "c")
    wider, narrower = Codec([GrantState, PriceChange]), Codec([GrantState])
    rows = narrower.unpack(wider.pack(Rows({"g": grant, "p": change})))
    assert isinstance(rows, Rows) and list(rows) == ["g", "p"] and rows.read() == []
    assert rows["g"] == grant and rows.read() == [("g", grant)]
    with pytest.raises(Undecodable, match="PriceChange"):
        rows["p"]
    again = wider.unpack(narrower.pack(Rows.of(rows)))
    assert dict(again) == {"g": grant, "p": change}


def test_a_packed_value_is_read_back_when_first_read_against_the_allowlist() -> None:
    """A packed value is decompressed and decoded when first read, and refused then if it
    names a class the codec does not know; never read, it is written back as it was read."""
    grant = GrantState("g", "option", "h", "common", 10, Fraction(1, 2), dt.date(2000, 1, 1))
    change = PriceChange(dt.date(2000, 1, 1), "e", "k", Fraction(1), Fraction(1, 2), "c")
    wider, narrower = Codec([GrantState, PriceChange]), Codec([GrantState])
    kept = narrower.unpack(wider.pack([Packed({"g": grant}), Packed([change])]))
    assert all(isinstance(p, Packed) and not p.read for p in kept)
    assert kept[0].value == {"g": grant} and kept[0].read
    with pytest.raises(Undecodable, match="PriceChange"):
        assert kept[1].value
    again = wider.unpack(narrower.pack(kept))
    assert again[0].value == {"g": grant} and again[1].value == [change]


def test_a_fraction_read_back_is_in_lowest_terms_and_computes() -> None:
    """1/3 + 1/6 = 1/2, with the halves read back from bytes."""
    third, sixth = CODEC.unpack(CODEC.pack([Fraction(1, 3), Fraction(-1, 6) * -1]))
    assert third + sixth == Fraction(1, 2)
    assert CODEC.unpack(CODEC.pack(dt.date(1999, 8, 24))) == dt.date(1999, 8, 24)


def test_the_server_key_file_is_its_owners_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`charter init` (the schema's creation) writes the key beside a SQLite database, mode
    0600, never into it; an in-memory database signs with a key that has no file."""
    monkeypatch.delenv("CHARTER_KEY_FILE")
    db = tmp_path / "c.db"
    store = Store(str(db))
    store.create_schema()
    key = tmp_path / "c.db.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key.read_bytes()
    assert key.read_bytes() not in db.read_bytes()
    memory = Store(":memory:")
    memory.create_schema()
    assert memory.key.path is None and memory.key.private is not None


def test_a_public_key_verifies_and_cannot_sign(tmp_path: Path) -> None:
    key = ServerKey.create(tmp_path / "k")
    public = tmp_path / "k.pub"
    public.write_text(key.public_pem())
    auditor = ServerKey.load(public)
    assert auditor.verifies("a message", key.sign("a message"))
    assert not auditor.verifies("another message", key.sign("a message"))
    with pytest.raises(Exception, match="cannot sign"):
        auditor.sign("a message")
