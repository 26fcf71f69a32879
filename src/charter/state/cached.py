"""Cached states: a replayed state written as plain data (state/codec.py) so that a query
starts from it instead of the first event, and read back only into the state's own classes.

A cached state is a derived copy, never the record: the store binds it to the chain (the
sequence and hash of the event it was taken after) and signs it with the server key; one
that does not verify is discarded and the events replayed (DESIGN.md, principle 8).

Each field is encoded on its own (and compressed: a state of 100,000 events is about a
fifth of its size) and decoded when first read: a cap table never decodes the certificate
register, nor loads the stakeholders.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable, MutableMapping
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

import msgpack

from charter.ledger.events import Stakeholder
from charter.state import (
    adjusted_terms,
    antidilution,
    certificates,
    conversion,
    dividends,
    model,
    rofr,
    standoff,
)
from charter.state.codec import Codec, Rows, Undecodable
from charter.state.model import State, collector_paused
from charter.terms.model import StockClass, TermsSet

FORMAT = "charter-state/1"  # the row's format; a row of another format is not read


def _state_code_version() -> str:
    """A digest of the code a replayed state depends on: the state layer's, the replay's
    (charter/replay.py) and the rules' (replay records what the tally and the consent rule
    decide); a state cached by other code is never reused."""
    h = hashlib.sha256()
    package = Path(__file__).parents[1]
    code = [*Path(__file__).parent.glob("*.py"), package / "replay.py"]
    for path in sorted([*code, *(package / "rules").glob("*.py")]):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


STATE_VERSION = _state_code_version()

# The classes a cached state may hold: the allowlist. Bytes naming any other are refused.
CODEC = Codec(
    [
        model.Schedule,
        model.GrantState,
        model.RestrictedStock,
        model.PlanState,
        model.PriceChange,
        model.CashRecord,
        model.BoardAct,
        model.ConsentRecord,
        model.MeetingRecord,
        model.PendingConversion,
        model.IpoRecord,
        model.Registration,
        model.OfficeTerm,
        model.RecordNotice,
        model.TermsChange,
        model.BoardSizeRecord,
        model.ConvertibleState,
        adjusted_terms.Adjustment,
        antidilution.Prices,
        antidilution.Point,
        antidilution.GrantDeemed,
        antidilution.Part,
        antidilution.Origin,
        antidilution.AntiDilutionBook,
        certificates.PartlyPaid,
        certificates.StockCertificate,
        certificates.Receipt,
        certificates.CertificateRegister,
        conversion.Converted,
        conversion.ClassConversion,
        conversion.Conversions,
        dividends.DeclaredDividend,
        rofr.Notice,
        standoff.Window,
    ]
)

_NOT_KEPT = frozenset({"terms", "stakeholders", "certificate"})  # the company's rows hold them
_KEPT = tuple(f.name for f in fields(State) if f.name not in _NOT_KEPT)
# Fields kept row by row (codec `Rows`), each row decoded when first read: a replay after a
# cached state reads the holdings of the holders its events name (two of 10,000 for a
# transfer); a cap table reads them all
_BY_ROW = frozenset({"holdings"})
# Fields that are mostly parts the codec packs and compresses on their own (`Packed`: the
# register's certificates, the anti-dilution book's grants), so that a replay that never reads
# those parts never decompresses them: not compressed again (nor decompressed twice)
_PACKED_PARTS = frozenset({"stock_certificates", "antidilution_book"})
# Fields decoded when first read: the containers (a query reads few of them). The fields
# with a plain default are decoded at once (their default would hide them from __getattr__).
_LAZY = frozenset(f.name for f in fields(State) if f.default_factory is not MISSING)


class NotACachedState(ValueError):
    """Bytes that are not a state this code cached."""


def snapshot(state: State) -> bytes:
    """The state as bytes, without its terms, stakeholders and certificate (that by its id).

    Each field is encoded on its own, so no mutable object may be shared by two fields; a
    field not read since the state was restored keeps the bytes it was restored from."""
    kept: dict[str, bytes] = dict(state.__dict__.get("_raw", {}))
    with collector_paused():
        for name in _KEPT:
            if name in state.__dict__:
                value = state.__dict__[name]
                data = CODEC.pack(Rows.of(value) if name in _BY_ROW else value)
                # (level 0: stored, read back by the same decompression at the speed of a copy)
                kept[name] = zlib.compress(data, 0 if name in _PACKED_PARTS else 1)
    out: bytes = msgpack.packb(
        {"format": FORMAT, "certificate": state.certificate.id, "fields": kept},
        use_bin_type=True,
    )
    return out


def restore(
    blob: bytes,
    terms: TermsSet,
    stakeholders: MutableMapping[str, Stakeholder] | Callable[[], MutableMapping[str, Stakeholder]],
) -> State:
    """A state from `snapshot`, under the given terms and with the given stakeholders (or
    what loads them when they are first read). Raises NotACachedState for bytes of another
    format or naming what the state does not hold. The store gives it only bytes whose
    signature verified (so no one but this code compressed them)."""
    try:
        doc = msgpack.unpackb(blob, raw=False)
    except (ValueError, TypeError) as e:
        raise NotACachedState(f"not a cached state ({type(e).__name__})") from e
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise NotACachedState(f"not a cached state of format {FORMAT}")
    kept = doc.get("fields")
    if (
        not isinstance(kept, dict)
        or not set(kept) <= set(_KEPT)
        or not all(isinstance(v, bytes) for v in kept.values())
    ):
        raise NotACachedState("its fields are not the state's")
    cert = terms.certificate(doc.get("certificate"))  # type: ignore[arg-type]
    if cert is None:
        raise NotACachedState(
            f"it names a certificate unknown to the terms: {doc.get('certificate')!r}"
        )
    state = State.__new__(State)
    try:
        with collector_paused():
            eager = {name: _decoded(raw) for name, raw in kept.items() if name not in _LAZY}
    except Undecodable as e:
        raise NotACachedState(str(e)) from e
    lazy: dict[str, Callable[[], Any]] = {
        name: functools.partial(_decoded, raw) for name, raw in kept.items() if name in _LAZY
    }
    raw = {name: b for name, b in kept.items() if name in _LAZY}
    if callable(stakeholders):
        lazy["stakeholders"] = stakeholders
    else:
        eager["stakeholders"] = stakeholders
    state.__dict__.update(eager, terms=terms, certificate=cert, _lazy=lazy, _raw=raw)
    for certificate_id, series in state.designated_series:  # Post-IPO Art. IV
        if certificate_id == cert.id:
            state.certificate = state.certificate.designate(StockClass.model_validate(series))
    return state


def _decoded(raw: bytes) -> Any:
    try:
        data = zlib.decompress(raw)
    except zlib.error as e:
        raise Undecodable(f"not a compressed value ({e})") from e
    return CODEC.unpack(data)
