"""The terms in force, whole or the blocks that cite a clause (`charter terms show`, the web's
terms page and API)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from charter.errors import CharterError, Problem
from charter.terms.clauses import (
    Outline,
    Reference,
    document_text,
    outline,
    passage,
    references,
    roman_value,
)

if TYPE_CHECKING:
    from charter.state.model import State
    from charter.terms.model import Bylaws, Certificate, TermsSet


def cited_blocks(data: Any, path: str = "") -> list[tuple[str, str, Any]]:
    """Every block of the terms with its citation: (path, citation, block)."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(data, dict):
        cite = data.get("citation")
        if isinstance(cite, str):
            found.append((path, cite, data))
        for k, v in data.items():
            if isinstance(v, dict | list):
                found.extend(cited_blocks(v, f"{path}.{k}" if path else str(k)))
            elif k.endswith("_citation") and isinstance(v, str):
                found.append((f"{path}.{k}" if path else k, v, {k: v}))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            label = v.get("id") or v.get("name") if isinstance(v, dict) else None
            found.extend(cited_blocks(v, f"{path}[{label or i}]"))
    return found


def _norm(text: str) -> str:
    return text.lower().replace(" ", "")


def matches(citation: str, clause: str) -> bool:
    return any(_norm(part).startswith(_norm(clause)) for part in citation.split(";"))


def terms_json(terms: TermsSet, state: State, clause: str | None = None) -> dict[str, Any]:
    """The shape of `charter terms show [CLAUSE] --json`: the terms in force, or every block
    citing CLAUSE."""
    cert = state.certificate.model_dump(mode="json")
    bylaws = terms.bylaws.model_dump(mode="json")
    if clause is None:
        return {"certificate": cert, "bylaws": bylaws}
    blocks = [
        {"where": f"{root}.{p}", "citation": c, "terms": b}
        for root, doc in (("certificate", cert), ("bylaws", bylaws))
        for p, c, b in cited_blocks(doc)
        if matches(c, clause)
    ]
    if not blocks:
        raise CharterError([Problem(f"no term in force cites {clause!r}", field="CLAUSE")])
    return {"clause": clause, "blocks": blocks}


# --- the terms as a lawyer reads them: by article and clause, beside the text ------------


def _shown(value: Any) -> str | None:
    """A figure as the terms data holds it, in words a reader takes in (None: not a figure)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, str | int) for v in value):
        return ", ".join(str(v) for v in value)
    return None


def cited_figures(data: Any, path: str = "") -> list[tuple[str, str, list[tuple[str, str, bool]]]]:
    """Every citation of the terms with the figures it stands for: (where, citation,
    [(term, figure, is an amount)]). A block's `citation` covers its own figures; a
    `<term>_citation` covers `<term>` and the `<term>_...` figures beside it
    (`automatic_citation` covers `automatic_on_qualified_offering`), so no figure is shown
    twice. Amounts (prices, money) are the figures the data writes as strings."""
    found: list[tuple[str, str, list[tuple[str, str, bool]]]] = []
    if isinstance(data, dict):
        own = {k: (s, isinstance(v, str)) for k, v in data.items() if (s := _shown(v)) is not None}
        stems = [k.removesuffix("_citation") for k in own if k.endswith("_citation")]
        for stem in stems:
            claimed = [
                (k, *own[k])
                for k in own
                if (k == stem or k.startswith(stem + "_")) and not k.endswith("citation")
            ]
            where = f"{path}.{stem}" if path else stem
            found.append((where, own[f"{stem}_citation"][0], claimed))
            for k, _, _ in claimed:
                own.pop(k)
        if isinstance(data.get("citation"), str):
            rest = [(k, *v) for k, v in own.items() if not k.endswith("citation")]
            found.append((path, data["citation"], rest))
        for k, v in data.items():
            if isinstance(v, dict | list) and _shown(v) is None:
                found.extend(cited_figures(v, f"{path}.{k}" if path else str(k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            label = v.get("id") or v.get("name") if isinstance(v, dict) else None
            found.extend(cited_figures(v, f"{path}[{label or i}]"))
    return found


def terms_outline(cert: Certificate, bylaws: Bylaws) -> list[dict[str, Any]]:
    """The terms in force as a lawyer reads them: for each document (the certificate in
    force, the bylaws, the statute they rely on), its articles, and in each the clauses the
    terms cite in the document's order, each with the passage of the document it names and
    the figures of the terms that cite it. Passages come from the document's own headings
    (charter.terms.clauses); a document not on this machine is shown by its citations."""
    docs = {
        "certificate": (cert.title, cert.document, cert.model_dump(mode="json")),
        "bylaws": (bylaws.title, bylaws.document, bylaws.model_dump(mode="json")),
    }
    outlines = {
        role: outline(text)
        for role, (_, name, _) in docs.items()
        if (text := document_text(name)) is not None
    }
    entries: dict[tuple[str, tuple[str, ...], tuple[str, ...] | None], dict[str, Any]] = {}
    for role, (_, _, data) in docs.items():
        for where, citation, figures in cited_figures(data):
            for ref in references(citation):
                key = (ref.document, ref.key or (ref.text,), ref.through)
                entry = entries.get(key)
                if entry is None:  # each clause once, however many figures cite it
                    entry = entries[key] = _entry(ref, outlines.get(ref.document))
                entry["figures"].extend(
                    {
                        "where": f"{role}.{where}" if where else role,
                        "term": t,
                        "figure": f,
                        "amount": amount,
                    }
                    for t, f, amount in figures
                )
    for e in entries.values():
        e["blocks"] = _by_block(e["figures"])
    out = []
    for role in ("certificate", "bylaws", "statute"):
        mine = sorted(
            (e for (d, _, _), e in entries.items() if d == role), key=lambda e: e["order"]
        )
        if not mine:
            continue
        articles: dict[str, dict[str, Any]] = {}
        for e in mine:
            art = articles.setdefault(
                e["article"],
                {
                    "label": e["article"],
                    "title": e["article_title"],
                    "anchor": e["article_anchor"],
                    "clauses": [],
                },
            )
            art["clauses"].append(e)
            e["short"] = e["label"].removeprefix(art["label"]).strip(" .")
        title, name = docs[role][:2] if role in docs else ("Delaware General Corporation Law", "")
        out.append(
            {
                "role": role,
                "title": title,
                "document": name,
                "has_text": role in outlines,
                "articles": [
                    {**a, "passages": _passages(a["clauses"]), "sections": _sections(a["clauses"])}
                    for a in articles.values()
                ],
            }
        )
    return out


def _entry(ref: Reference, doc: Outline | None) -> dict[str, Any]:
    """One cited clause: its label, anchor, passage (when the text is here), reading order."""
    found = passage(doc, ref) if doc is not None and ref.key else None
    words = re.findall(r"[A-Za-z0-9]+", ref.text)
    through = ("to", *ref.through[-1:]) if ref.through else ()
    ident = "-".join(("t", *ref.key, *through)) if ref.key else "-".join(("s", *words))
    label = ref.text.removeprefix("Bylaws ").removeprefix("Post-IPO ")
    if ref.key and not label.startswith("Art."):
        label = f"Art. {label}"
    if found is not None:
        clause, text, own = found
        art = doc.find(ref.key[:1]) if doc is not None else None
        return {
            "id": ident,
            "citation": ref.text,
            "label": label,
            "clause": clause.label,
            "title": doc.title(clause) if doc is not None else "",
            "section_title": _section_title(doc, ref) if doc is not None else "",
            "exact": clause.key == ref.key,
            "anchor": clause.anchor,
            "article": art.label if art is not None else f"Art. {ref.key[0]}",
            "article_title": doc.title(art) if doc is not None and art is not None else "",
            "article_anchor": "c-" + ref.key[0],
            "passage": text,
            "own": own,
            "order": (clause.start, len(clause.key), tuple(_natural(k) for k in ref.key)),
            "figures": [],
        }
    order = (
        (roman_value(ref.key[0]) or 0, 0, tuple(_natural(k) for k in ref.key[1:]))
        if ref.key
        else _slug(ref.text)
    )
    return {
        "id": ident,
        "citation": ref.text,
        "label": label,
        "clause": label,
        "exact": False,
        "anchor": "-".join(("c", *ref.key)) if ref.key else ident,
        "article": f"Art. {ref.key[0]}" if ref.key else "DGCL",
        "article_anchor": f"c-{ref.key[0]}" if ref.key else "s-dgcl",
        "passage": None,
        "own": None,
        "title": "",
        "section_title": "",
        "article_title": "",
        "order": order,
        "figures": [],
    }


def _natural(token: str) -> tuple[int, str]:
    return (int(token), "") if token.isdigit() else (0, token)


def _slug(text: str) -> tuple[int, int, tuple[tuple[int, str], ...]]:
    """A statute's section in numeric order (`DGCL §141(c)` before `DGCL §1000`)."""
    parts = re.findall(r"[A-Za-z0-9]+", text)
    number = next((int(p) for p in parts if p.isdigit()), 0)
    return (number, 0, tuple(_natural(p) for p in parts))


def _section_of(short: str) -> str:
    """The section a clause is in, within its article: `B.3` of `B.3(d)(ii)`, `§1` of
    `§1(b)`, `A` of `A`; "" for the article itself."""
    return short.split("(")[0]


def _section_title(doc: Outline, ref: Reference) -> str:
    label = ref.text.rsplit("Art.", 1)[-1]
    section = _section_of(label.split(".", 1)[1] if "." in label else label.partition(" ")[2])
    depth = 1 + len(re.findall(r"[A-Za-z]+|\d+", section))
    clause = doc.find(ref.key[:depth])
    return doc.title(clause) if clause is not None and len(clause.key) == depth else ""


def _sections(clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The clauses of an article grouped by section for the table of contents: each section
    (`B.3`, with its heading where the document gives one) and its clauses' numbers within
    it (`(a)`, `(d)(ii)(H)`)."""
    sections: dict[str, dict[str, Any]] = {}
    for e in clauses:
        label = _section_of(e["short"])
        sec = sections.setdefault(
            label, {"label": label, "title": e["section_title"], "clauses": []}
        )
        sec["clauses"].append({**e, "rest": e["short"][len(label) :] or label or "the article"})
    return list(sections.values())


def _passages(clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The clauses of an article as the reader meets them: one passage of the document per
    clause of its numbering, with every citation it answers (IV.B.2(a)(i) to (v) are all in
    the words of IV.B.2(a)), its own words with the figures of those citations marked."""
    passages: dict[str, dict[str, Any]] = {}
    for e in clauses:
        p = passages.setdefault(
            e["anchor"],
            {"anchor": e["anchor"], "clause": e["clause"], "own": e["own"], "cites": []},
        )
        p["cites"].append(e)
    for p in passages.values():
        figures = [
            s for e in p["cites"] for f in e["figures"] for s in spellings(f["figure"], f["amount"])
        ]
        p["words"] = marked(p["own"], figures) if p["own"] is not None else None
    return list(passages.values())


def _by_block(figures: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The figures of one clause grouped by the block of the terms holding them, a count
    written with thousands separators, for the reader."""
    blocks: dict[str, list[tuple[str, str]]] = {}
    for f in figures:
        shown = f"{int(f['figure']):,}" if f["figure"].isdigit() else f["figure"]
        blocks.setdefault(f["where"], []).append((f["term"].replace("_", " "), shown))
    return [{"where": w, "figures": fs} for w, fs in blocks.items()]


def spellings(figure: str, amount: bool) -> list[str]:
    """How the documents write a figure of the terms: a share count of a thousand or more
    with thousands separators (`9,100,000`); an amount in dollars (`$1.43`, `$40,000,000`, a
    whole price under a thousand with its cents, `$1.00`), a two-place amount under one as a
    percentage too (`0.60`, a threshold, is `60%`). Fractions like 1/2 (the text says "a
    majority"), small counts and words are left out: they are everywhere or nowhere."""
    if not amount:
        return [f"{int(figure):,}"] if figure.isdigit() and int(figure) >= 1000 else []
    try:
        d = Decimal(figure)
    except InvalidOperation:
        return []
    if not d.is_finite() or d <= 0:
        return []
    if d == d.to_integral_value():
        return [f"${int(d):,}"] if d >= 1000 else [f"${int(d)}.00"]
    if d < 1 and len(figure) == 4:
        return [f"${figure}", f"{(d * 100).normalize():f}%"]
    return [f"${d:,}"]


def marked(text: str, figures: list[str]) -> list[tuple[str, bool]]:
    """The text in pieces, each figure of the terms it spells marked (True) for the reader;
    the pieces joined are the text."""
    if not figures:
        return [(text, False)]
    pattern = re.compile(
        "|".join(re.escape(f) for f in sorted(set(figures), key=len, reverse=True))
    )
    pieces: list[tuple[str, bool]] = []
    at = 0
    for m in pattern.finditer(text):
        if m.start() > at:
            pieces.append((text[at : m.start()], False))
        pieces.append((m.group(), True))
        at = m.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
