"""The hash chain of a company's events and its signed checkpoints (DESIGN.md, principle 8).

Each event's hash covers the hash before it, its sequence and its contents; a checkpoint is
the server key's signature of (company, sequence, head hash, time). Whoever rewrites the
events and recomputes the chain cannot sign the new head; whoever deletes the newest events
leaves a checkpoint, or a receipt the user kept, naming events that are gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import msgspec
from msgspec.structs import asdict

from charter.errors import CharterError, Problem
from charter.ledger.keys import ServerKey

GENESIS = "0" * 64
RECEIPT_FORMAT = "charter-receipt/1"


def link_hash(prev_hash: str, sequence: int, payload_text: str) -> str:
    """The hash of one link of the chain: the previous hash, the sequence and the event."""
    h = hashlib.sha256()
    h.update(f"{prev_hash}\n{sequence}\n{payload_text}".encode())
    return h.hexdigest()


class Checkpoint(msgspec.Struct, frozen=True):
    """A signed statement: company `company`'s chain had `sequence` events ending in `head`
    at `signed_at`. Given to the user at every append as a receipt."""

    company: str
    sequence: int
    head: str
    signed_at: str
    key_id: str
    signature: str

    @staticmethod
    def message_of(company: str, sequence: int, head: str, signed_at: str) -> str:
        return f"charter-checkpoint/1\n{company}\n{sequence}\n{head}\n{signed_at}"

    @property
    def message(self) -> str:
        return self.message_of(self.company, self.sequence, self.head, self.signed_at)

    @classmethod
    def signed(cls, key: ServerKey, company: str, sequence: int, head: str) -> Checkpoint:
        at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        sig = key.sign(cls.message_of(company, sequence, head, at))
        return cls(company, sequence, head, at, key.key_id, sig)

    def verifies(self, key: ServerKey) -> bool:
        return key.verifies(self.message, self.signature)

    def receipt(self) -> dict[str, Any]:
        """The receipt's JSON (`charter record --receipt FILE`, the API's response)."""
        return {"format": RECEIPT_FORMAT, **asdict(self)}

    def line(self) -> str:
        """One line for a person: which event, which head, when, by which key."""
        return (
            f"checkpoint: event {self.sequence}, head {self.head[:16]}…, signed "
            f"{self.signed_at} by key {self.key_id}"
        )

    @classmethod
    def read_receipt(cls, path: Path) -> Checkpoint:
        """A receipt a user kept; one sentence if it is not one."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as e:
            raise CharterError([Problem(f"cannot read: {e.strerror}", file=str(path))]) from e
        except (ValueError, UnicodeDecodeError) as e:
            raise CharterError([Problem("is not a JSON receipt", file=str(path))]) from e
        names = ("company", "sequence", "head", "signed_at", "key_id", "signature")
        if (
            not isinstance(data, dict)
            or data.get("format") != RECEIPT_FORMAT
            or not all(isinstance(data.get(n), int if n == "sequence" else str) for n in names)
        ):
            raise CharterError(
                [
                    Problem(
                        f"is not a {RECEIPT_FORMAT} receipt (format, company, sequence, head, "
                        "signed_at, key_id, signature)",
                        file=str(path),
                    )
                ]
            )
        return cls(**{n: data[n] for n in names})


class Link(NamedTuple):
    """One stored event as the chain sees it (a row of the events table)."""

    sequence: int
    payload: str
    prev_hash: str
    hash: str


def broken_links(
    links: Iterable[tuple[int, str, str, str]], start: int = 1, prev: str = GENESIS
) -> Iterator[str]:
    """Why each link (sequence, payload, previous hash, hash) from sequence `start` (whose
    previous hash should be `prev`) does not hold, first break first."""
    expected = start
    sha256 = hashlib.sha256
    for sequence, payload, prev_hash, h in links:
        if sequence != expected:
            yield f"the hash chain is broken at event {expected}: it is missing"
            return
        if prev_hash != prev:
            yield (
                f"the hash chain is broken at event {sequence}: its previous-hash does not "
                "match the event before it"
            )
            return
        if sha256(f"{prev}\n{sequence}\n{payload}".encode()).hexdigest() != h:  # link_hash
            yield (
                f"the hash chain is broken at event {sequence}: its contents do not match its hash"
            )
            return
        prev = h
        expected += 1


class ChainBroken(CharterError):
    """A company whose chain or checkpoints do not verify: it is not served and nothing is
    appended to it (restore it from a backup or an export)."""

    def __init__(self, company: str, why: str):
        self.why = why
        super().__init__(
            [
                Problem(
                    f"the ledger of {company} does not verify: {why}; it is not served, and "
                    "nothing can be recorded to it, until it is restored from a backup or an "
                    "export"
                )
            ]
        )
