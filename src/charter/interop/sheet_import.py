"""A stock ledger kept in a spreadsheet (.xlsx or .csv), one row per transaction, as ledger
events (docs/sheet-mapping.md).

The sheet's own column names are mapped to ours (`FIELDS`), from a mapping file or guessed
from the header; holders not yet known become stakeholders. Every mistake is a sentence
naming the sheet, the row and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import msgspec

from charter.errors import CharterError, Problem
from charter.inputs import check_data
from charter.ledger.events import Company, Stakeholder
from charter.ledger.fileformat import Entry, LedgerDoc, parse_event
from charter.replay import replay
from charter.terms.model import TermsSet

# our field -> the header words that name it in sheets seen in practice
FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "transaction date", "effective date", "issue date", "grant date"),
    "type": ("type", "transaction", "transaction type", "event", "kind"),
    "holder": ("holder", "stakeholder", "shareholder", "stockholder", "investor", "name",
               "holder name", "from"),
    "to": ("to", "transferee", "recipient", "to holder"),
    "class": ("class", "share class", "stock class", "series", "security"),
    "shares": ("shares", "quantity", "number of shares", "no of shares", "shares issued"),
    "price": ("price", "price per share", "issue price", "purchase price", "share price"),
    "certificate": ("certificate", "certificate no", "certificate number", "cert", "cert no"),
    "grant": ("grant", "grant id", "option id", "award id", "grant no"),
    "exercise_price": ("exercise price", "strike", "strike price"),
    "expires": ("expiry", "expiration", "expiration date", "expires", "expiry date"),
    "vesting": ("vesting", "vesting schedule", "vesting terms"),
}  # fmt: skip
REQUIRED = ("date", "type", "holder", "class", "shares")

# the sheet's word for a transaction -> (ledger type, grant kind)
TYPES: dict[str, tuple[str, str | None]] = {
    "issue": ("issue", None), "issuance": ("issue", None), "purchase": ("issue", None),
    "grant": ("grant", "option"), "option": ("grant", "option"),
    "option grant": ("grant", "option"), "warrant": ("grant", "warrant"),
    "exercise": ("exercise", None), "transfer": ("transfer", None),
    "repurchase": ("repurchase", None), "buyback": ("repurchase", None),
    "cancel": ("expire", None), "cancellation": ("expire", None), "expire": ("expire", None),
    "forfeit": ("expire", None), "convert": ("convert", None), "conversion": ("convert", None),
}  # fmt: skip


def _words(text: Any) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).split())


def guess_mapping(header: list[str]) -> dict[str, str]:
    """Our field -> the sheet's column title, where a title is one of the field's words."""
    out: dict[str, str] = {}
    for title in header:
        w = _words(title)
        for f, names in FIELDS.items():
            if f not in out and w in names:
                out[f] = title
                break
    return out


class Where(msgspec.Struct, frozen=True):
    sheet: str
    row: int


class SheetLedger(msgspec.Struct):
    doc: LedgerDoc
    mapping: dict[str, str]
    new_holders: list[str]
    origins: list[Where] = msgspec.field(default_factory=list)


def read_rows(path: Path) -> tuple[str, list[str], list[tuple[int, list[Any]]]]:
    """(sheet name, header, [(row number, cells)]) of the first sheet (or the CSV)."""
    if path.suffix.lower() == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise CharterError([Problem(f"cannot be read: {e}", file=str(path))]) from e
        rows: list[tuple[int, list[Any]]] = [
            (i, list(r)) for i, r in enumerate(csv.reader(io.StringIO(text)), start=1)
        ]
        sheet = path.name
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises several kinds on a file that is not xlsx
            raise CharterError(
                [Problem(f"is not a readable workbook ({e})", file=str(path))]
            ) from e
        ws = wb.worksheets[0]
        sheet = ws.title
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
        wb.close()
    else:
        raise CharterError([Problem("must be a .xlsx or .csv file", file=str(path))])
    rows = [(i, r) for i, r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise CharterError([Problem(f"sheet {sheet!r} is empty", file=str(path))])
    check_data([r for _, r in rows], str(path))
    (_, header), body = rows[0], rows[1:]
    return sheet, [str(h or "").strip() for h in header], body


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    dt.date.fromisoformat(text)  # raises ValueError on anything else
    return text


def _shares(value: Any) -> int:
    text = _text(value).replace(",", "")
    n = Decimal(text)
    if n != n.to_integral_value():
        raise ValueError(f"{text} is not a whole number of shares")
    return int(n)


def _money(value: Any) -> str:
    text = _text(value).replace(",", "").replace("$", "")
    return str(Decimal(text))


class _Reader(msgspec.Struct):
    source: str
    sheet: str
    columns: dict[str, int]  # our field -> column index
    header: list[str]
    terms: TermsSet
    problems: list[Problem] = msgspec.field(default_factory=list)

    def problem(self, row: int, fld: str, message: str) -> None:
        col = self.columns.get(fld)
        where = (
            f"column {_letter(col)} ({self.header[col]})" if col is not None else f"column {fld}"
        )
        self.problems.append(
            Problem(
                message, file=f"{self.source} sheet {self.sheet!r}", field=f"row {row}, {where}"
            )
        )

    def cell(self, cells: list[Any], fld: str) -> Any:
        i = self.columns.get(fld)
        return cells[i] if i is not None and i < len(cells) else None

    def class_id(self, row: int, value: Any) -> str | None:
        text = _text(value)
        for c in self.terms.certificates[0].classes:
            if _words(text) in (_words(c.id), _words(c.name)):
                return c.id
        known = ", ".join(c.id for c in self.terms.certificates[0].classes)
        self.problem(row, "class", f"{text[:60]!r} is not a class of the terms ({known})")
        return None


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def sheet_ledger(
    path: Path, terms: TermsSet, terms_ref: str, name: str, mapping: Mapping[str, str] | None
) -> SheetLedger:
    """The ledger a sheet describes, replayed under `terms`; or every problem with its row."""
    sheet, header, body = read_rows(path)
    used = dict(mapping) if mapping is not None else guess_mapping(header)
    src = path.name
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for f, title in used.items():
        if f not in FIELDS:
            problems.append(Problem(f"{f!r} is not one of {', '.join(FIELDS)}", field="--map"))
        elif title not in header:
            problems.append(
                Problem(f"maps {f} to {title!r}, which is not a column of the sheet", field="--map")
            )
        else:
            columns[f] = header.index(title)
    for f in REQUIRED:
        if f not in used:
            problems.append(
                Problem(
                    f"no column for {f} (its usual names: {', '.join(FIELDS[f][:4])}); "
                    "name it in a --map file",
                    file=f"{src} sheet {sheet!r}",
                    field="row 1 (the header)",
                )
            )
    if problems:
        raise CharterError(problems)
    r = _Reader(src, sheet, columns, header, terms)
    holders: dict[str, Stakeholder] = {}
    events: list[tuple[Where, dict[str, Any]]] = []
    for row, cells in body:
        event = _event(r, row, cells, holders)
        if event is not None:
            events.append((Where(sheet, row), event))
    events.sort(key=lambda we: str(we[1]["date"]))  # stable: same-date rows keep their order
    entries: list[Entry] = []
    origins: list[Where] = []
    for where, raw in events:
        entry, errs = parse_event(raw, len(entries))
        for e in errs:
            r.problem(where.row, _sheet_field(e.field), e.message)
        if entry is not None:
            entries.append(entry)
            origins.append(where)
    doc = LedgerDoc(Company(name=name, terms=terms_ref), list(holders.values()), entries)
    try:  # the rows that were read are replayed even when others were not, so that every
        replay(terms, doc.stakeholders, entries)  # mistake is named at once
    except CharterError as e:
        for p in e.problems:
            if p.index is not None and p.index < len(origins):
                r.problem(origins[p.index].row, _sheet_field(p.field), p.message)
            else:
                r.problems.append(p)
    if r.problems:
        raise CharterError(r.problems)
    return SheetLedger(doc, used, list(holders), origins)


def _sheet_field(ledger_field: str | None) -> str:
    f = (ledger_field or "").split(".")[0]
    return {"from": "holder", "kind": "type", "id": "grant"}.get(f, f)


def _holder(name: str, holders: dict[str, Stakeholder]) -> str:
    """The stakeholder a cell names: its id, made from the name the first time."""
    sid = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.")[:100] or "holder"
    if sid not in holders:
        holders[sid] = Stakeholder(id=sid, name=name)
    return sid


def _event(
    r: _Reader, row: int, cells: list[Any], holders: dict[str, Stakeholder]
) -> dict[str, Any] | None:
    word = _words(r.cell(cells, "type"))
    if word not in TYPES:
        r.problem(
            row, "type", f"{word[:40]!r} is not a transaction type ({', '.join(sorted(TYPES))})"
        )
        return None
    etype, kind = TYPES[word]
    event: dict[str, Any] = {"type": etype}
    ok = True
    for f, parse in (("date", _date), ("shares", _shares)):
        try:
            event[f] = parse(r.cell(cells, f))
        except (ValueError, InvalidOperation, ArithmeticError):
            r.problem(
                row,
                f,
                f"{_text(r.cell(cells, f))[:40]!r} is not a {'date (YYYY-MM-DD)' if f == 'date' else 'whole number of shares'}",
            )
            ok = False
    holder_name = _text(r.cell(cells, "holder"))
    if not holder_name:
        r.problem(row, "holder", "is empty")
        return None
    holder = _holder(holder_name, holders)
    grant = _text(r.cell(cells, "grant")).lower() or None
    if etype in ("exercise", "expire"):
        if grant is None:
            r.problem(row, "grant", f"names no grant; a {word} needs the grant id")
            return None
        event["grant"] = grant
        return event if ok else None
    cls = r.class_id(row, r.cell(cells, "class"))
    if cls is None or not ok:
        return None
    event["class"] = cls
    for f, key in (("price", "price"), ("exercise_price", "exercise_price")):
        value = r.cell(cells, f)
        if value not in (None, ""):
            try:
                event[key] = _money(value)
            except (InvalidOperation, ValueError):
                r.problem(row, f, f"{_text(value)[:40]!r} is not an amount")
                return None
    if etype == "transfer":
        event.pop("exercise_price", None)
        to = _text(r.cell(cells, "to"))
        if not to:
            r.problem(row, "to", "is empty; a transfer needs the transferee")
            return None
        event.update({"from": holder, "to": _holder(to, holders)})
        return event
    event["holder"] = holder
    if etype == "grant":
        event.update({"kind": kind, "id": grant or f"grant-row-{row}"})
        event["exercise_price"] = event.pop("exercise_price", None) or event.pop("price", "0")
        event.pop("price", None)
        if r.cell(cells, "expires") not in (None, ""):
            try:
                event["expires"] = _date(r.cell(cells, "expires"))
            except ValueError:
                r.problem(row, "expires", "is not a date (YYYY-MM-DD)")
                return None
        vesting = _text(r.cell(cells, "vesting"))
        if vesting:
            event["vesting"] = vesting  # a note; the plans branch reads a structured block
    else:
        event.pop("exercise_price", None)
    if etype in ("issue", "repurchase"):
        event.setdefault("price", "0")
    elif etype == "convert":
        event.pop("price", None)
    if etype == "issue":
        cert = _text(r.cell(cells, "certificate"))
        if cert:
            event["certificate"] = cert
    return event


def mapping_lines(mapping: Mapping[str, str], header: list[str]) -> Iterator[str]:
    """The mapping as a person confirms it: each column of the sheet and our field."""
    by_title = {title: f for f, title in mapping.items()}
    for i, title in enumerate(header):
        target = by_title.get(title)
        yield f"  {_letter(i)} {title!r} -> {target if target else '(not read)'}"
