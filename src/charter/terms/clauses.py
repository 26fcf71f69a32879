"""The documents' own numbering: the clauses of a seed text found from its headings (ARTICLE IV,
A., 1., (a), (i), (A), Section 3.), and a citation of the terms (`Art. IV.B.3(d)(ii)(H)`,
`Bylaws Art. VIII §1(b)`, `Post-IPO Art. VIII`) resolved to the passage it names.

A heading is a marker at the start of a line that either follows its predecessor at a level
already open ((b) after (a), 4. after 3.) or opens a new level with its first value ((a), (i),
1., A.); anything else at the start of a line (a wrapped "(iv) for any..." or "Section 2.") is
text. Where a marker could be a letter or a roman numeral, "(i)" after "(h)" is the letter."""

from __future__ import annotations

import os
import re
from functools import cached_property
from itertools import pairwise
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parents[3]

ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_value(text: str) -> int | None:
    """The value of a roman numeral (either case), or None when `text` is not one."""
    low = text.lower()
    if not low or any(ch not in ROMAN for ch in low):
        return None
    total = 0
    for i, ch in enumerate(low):
        v = ROMAN[ch]
        total += -v if i + 1 < len(low) and ROMAN[low[i + 1]] > v else v
    return total


# kind -> how its marker is written around its value
KINDS = ("article", "section", "upper", "number", "lower", "roman", "paren_upper")
LEADING = re.compile(
    r"ARTICLE\s+(?P<article>[IVXLC]+)\b"
    r"|Section\s+(?P<section>\d+)\."
    r"|(?P<upper>[A-Z])\.\s"
    r"|(?P<number>\d+)\.\s"
    r"|\((?P<paren>[a-z]+|[A-Z])\)"
)


TITLE_WORDS = {"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "upon", "with"}


def _ordinal(kind: str, value: str) -> int | None:
    if kind in ("article", "roman"):
        return roman_value(value)
    if kind in ("section", "number"):
        return int(value)
    if len(value) == 1:
        return ord(value.lower()) - ord("a") + 1
    return None


def _candidates(group: str, value: str) -> list[str]:
    if group == "paren":
        if value.isupper():
            return ["paren_upper"]
        kinds = ["lower"] if len(value) == 1 else []
        return [*kinds, "roman"] if roman_value(value) else kinds
    return [group]


class Clause(msgspec.Struct, frozen=True):
    """One numbered clause: its place in the numbering, and its lines [start, end) in the
    text, sub-clauses included."""

    key: tuple[str, ...]
    kinds: tuple[str, ...]
    start: int
    end: int

    @property
    def anchor(self) -> str:
        """The id of the clause in the served document (`c-IV-B-3-d`)."""
        return "c-" + "-".join(self.key)

    @property
    def label(self) -> str:
        """The clause in the document's own numbering: `Art. IV.B.3(d)(ii)`, `Art. II §3`."""
        out = ""
        for kind, value in zip(self.kinds, self.key, strict=True):
            if kind == "article":
                out += f"Art. {value}"
            elif kind == "section":
                out += f" §{value}"
            elif kind in ("upper", "number"):
                out += f".{value}"
            else:
                out += f"({value})"
        return out


class Outline(msgspec.Struct, frozen=True, dict=True):
    """A document's lines and its clauses in reading order."""

    lines: tuple[str, ...]
    clauses: tuple[Clause, ...]

    def find(self, key: tuple[str, ...]) -> Clause | None:
        """The clause of `key`, or of its longest numbered prefix (a clause cited below the
        headings, like the inline (A) of 3(b)(ii), lives in its parent's text)."""
        for n in range(len(key), 0, -1):
            if key[:n] in self.by_key:
                return self.by_key[key[:n]]
        return None

    @cached_property
    def by_key(self) -> dict[tuple[str, ...], Clause]:
        return {c.key: c for c in self.clauses}

    def body_end(self, clause: Clause) -> int:
        """Where a clause's own words end: at its first sub-clause, or at its end."""
        return next(
            (c.start for c in self.clauses if c.start > clause.start and c.end <= clause.end),
            clause.end,
        )

    def title(self, clause: Clause) -> str:
        """A clause's heading where the document gives one: the words after its marker up to
        the first period when they read as a title ("Right to Convert"), or an article's
        line in capitals ("MEETINGS OF STOCKHOLDERS", as "Meetings of stockholders")."""
        if clause.kinds[-1] == "article":
            following = (
                line.strip() for line in self.lines[clause.start + 1 : self.body_end(clause)]
            )
            line = next((x for x in following if x), "")
            is_title = line.isupper() and len(line) <= 60 and not LEADING.match(line)
            return line.capitalize() if is_title else ""
        rest = self.lines[clause.start].lstrip()
        while m := LEADING.match(rest):
            rest = rest[m.end() :].lstrip()
        m = re.match(r"([^.]*)\.(\s|$)", rest)
        head = m.group(1) if m else ""
        words = head.split()
        if not 0 < len(words) <= 8:
            return ""
        return head if all(w[0].isupper() or w in TITLE_WORDS for w in words) else ""

    def text(self, start: int, end: int) -> str:
        """The lines [start, end) as paragraphs: page numbers dropped, wrapped lines joined."""
        paragraphs: list[list[str]] = [[]]
        for line in self.lines[start:end]:
            stripped = line.strip()
            if not stripped or stripped.isdigit():
                if paragraphs[-1] and not stripped:
                    paragraphs.append([])
                continue
            paragraphs[-1].append(stripped)
        return "\n\n".join(" ".join(p) for p in paragraphs if p)


def outline(text: str) -> Outline:
    """The clauses of a document, from the markers that start its lines."""
    lines = tuple(text.splitlines())
    stack: list[tuple[str, str, int]] = []  # (kind, value, start line)
    opened: list[tuple[tuple[str, ...], tuple[str, ...], int, int]] = []  # key, kinds, start, depth

    def place(kind: str, value: str, line: int) -> bool:
        n = _ordinal(kind, value)
        if n is None:
            return False
        if kind == "article":
            stack.clear()
        else:
            for depth in range(len(stack) - 1, -1, -1):
                k, v, _ = stack[depth]
                if k == kind and _ordinal(k, v) == n - 1:
                    del stack[depth:]
                    break
            else:
                if n != 1 or any(k == kind for k, _, _ in stack) or not stack:
                    return False
        stack.append((kind, value, line))
        opened.append(
            (tuple(v for _, v, _ in stack), tuple(k for k, _, _ in stack), line, len(stack))
        )
        return True

    for i, line in enumerate(lines):
        rest = line.lstrip()
        while m := LEADING.match(rest):
            group = next(g for g, v in m.groupdict().items() if v is not None)
            value = m.group(group)
            if not any(place(kind, value, i) for kind in _candidates(group, value)):
                break
            rest = rest[m.end() :].lstrip()
    clauses = []
    for j, (key, kinds, start, depth) in enumerate(opened):
        end = next((s for _, _, s, d in opened[j + 1 :] if d <= depth), len(lines))
        clauses.append(Clause(key, kinds, start, end))
    return Outline(lines, tuple(clauses))


# --- citations --------------------------------------------------------------------------

CITATION = re.compile(
    r"^\s*(?P<prefix>[A-Za-z][A-Za-z-]*\s+)??(?:Art\.\s*)?(?P<article>[IVXLC]+)\b(?P<rest>.*)$"
)


class Reference(msgspec.Struct, frozen=True):
    """One clause a citation names: in the certificate, the bylaws or a statute."""

    text: str
    document: str  # "certificate" | "bylaws" | "statute"
    key: tuple[str, ...]
    through: tuple[str, ...] | None = None  # the last clause of a range, `(C)-(D)`


def _tokens(rest: str) -> list[str]:
    return re.findall(r"[A-Za-z]+|\d+", rest)


def references(citation: str) -> list[Reference]:
    """The clauses a citation names, one per part (`Art. IV.B.1; Art. IV.C.1; DGCL §170`)."""
    found = []
    for part in (p.strip() for p in citation.split(";")):
        if not part:
            continue
        m = CITATION.match(part)
        prefix = (m.group("prefix") or "").strip() if m else part.split()[0]
        if m is None or prefix.upper() == "DGCL":
            found.append(Reference(part, "statute", ()))
            continue
        document = "bylaws" if prefix.lower() == "bylaws" else "certificate"
        first, _, last = m.group("rest").partition("-")
        key = (m.group("article"), *_tokens(first))
        through = None
        if last:
            tail = _tokens(last)
            through = (*key[: len(key) - len(tail)], *tail)
        found.append(Reference(part, document, key, through))
    return found


def passage(doc: Outline, ref: Reference) -> tuple[Clause, str, str] | None:
    """The clause a reference resolves to, its whole text (sub-clauses included; a range runs
    to its last clause's end) and its own words (up to its first sub-clause), or None when
    the document has no such article."""
    first = doc.find(ref.key)
    if first is None:
        return None
    end, own = first.end, doc.body_end(first)
    if ref.through is not None:
        last = doc.find(ref.through)
        end = own = max(end, last.end) if last is not None else end
    return first, doc.text(first.start, end), doc.text(first.start, own)


def segments(doc: Outline) -> list[tuple[tuple[str, ...], str]]:
    """The document cut where each clause starts: (anchors of the clauses starting there,
    the lines up to the next start), so the served text can be opened at a clause."""
    starts: dict[int, list[str]] = {}
    for c in doc.clauses:
        starts.setdefault(c.start, []).append(c.anchor)
    cuts = [0, *sorted(starts), len(doc.lines)]
    return [
        (tuple(starts.get(a, ())), "".join(line + "\n" for line in doc.lines[a:b]))
        for a, b in pairwise(cuts)
        if b > a
    ]


# --- where the texts are ----------------------------------------------------------------


def document_dirs() -> list[Path]:
    """Where seed texts are looked for: $CHARTER_DOCUMENTS, else ../shared/seeds beside the
    checkout."""
    env = os.environ.get("CHARTER_DOCUMENTS")
    dirs = [Path(env)] if env else []
    return [*dirs, ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds"]


def document_text(name: str) -> str | None:
    """The text of the document file `name`, when it is on this machine."""
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    for d in document_dirs():
        path = d / name
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return None
