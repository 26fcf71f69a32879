"""The attacks of issue 17 §1-§2 on a stored company, made as someone who can write to the
database but does not hold the server key (ledger/keys.py) would make them."""

from __future__ import annotations

import json
import pickle

import sqlalchemy as sa

from charter.ledger.chain import GENESIS, Checkpoint, link_hash
from charter.ledger.keys import ServerKey
from charter.ledger.store import Store, StoredCompany, cached_states, checkpoints, events


def rows(store: Store, company: StoredCompany) -> list[sa.Row[tuple[int, str, str, str]]]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(events.c.sequence, events.c.payload, events.c.prev_hash, events.c.hash)
                .where(events.c.company_id == company.id)
                .order_by(events.c.sequence)
            )
        )


def set_payload(store: Store, company: StoredCompany, sequence: int, payload: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(events)
            .where(events.c.company_id == company.id, events.c.sequence == sequence)
            .values(payload=payload)
        )


def change_shares(store: Store, company: StoredCompany, sequence: int, shares: int) -> str:
    """Edit the number of shares of event `sequence` in place (its hash left as it was)."""
    payload = next(r.payload for r in rows(store, company) if r.sequence == sequence)
    event = json.loads(payload)
    event["shares"] = shares
    text = json.dumps(event, separators=(",", ":"))
    set_payload(store, company, sequence, text)
    return text


def recompute_chain(store: Store, company: StoredCompany) -> None:
    """Recompute every link's hash from the stored payloads, as the chain's code does, with
    no key: what makes an unkeyed chain 'intact' again after an edit."""
    prev = GENESIS
    with store.engine.begin() as conn:
        for r in conn.execute(
            sa.select(events.c.sequence, events.c.payload)
            .where(events.c.company_id == company.id)
            .order_by(events.c.sequence)
        ).all():
            h = link_hash(prev, r.sequence, r.payload)
            conn.execute(
                sa.update(events)
                .where(events.c.company_id == company.id, events.c.sequence == r.sequence)
                .values(prev_hash=prev, hash=h)
            )
            prev = h


def delete_event(store: Store, company: StoredCompany, sequence: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            sa.delete(events).where(
                events.c.company_id == company.id, events.c.sequence == sequence
            )
        )


def swap_payloads(store: Store, company: StoredCompany, a: int, b: int) -> None:
    """Reorder two events (their payloads change places), then recompute the chain."""
    by_seq = {r.sequence: r.payload for r in rows(store, company)}
    set_payload(store, company, a, by_seq[b])
    set_payload(store, company, b, by_seq[a])
    recompute_chain(store, company)


def forge_checkpoints(store: Store, company: StoredCompany) -> None:
    """Replace every checkpoint by one signed with a key of the attacker's own, naming the
    recomputed head."""
    forger = ServerKey.ephemeral()
    last = rows(store, company)[-1]
    forged = Checkpoint.signed(forger, company.slug, last.sequence, last.hash)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(checkpoints).where(checkpoints.c.company_id == company.id))
        conn.execute(
            sa.insert(checkpoints).values(
                company_id=company.id,
                sequence=forged.sequence,
                head_hash=forged.head,
                signed_at=forged.signed_at,
                key_id=store.key.key_id,  # it even claims the server key's id
                signature=forged.signature,
            )
        )


def delete_newest_checkpoints(store: Store, company: StoredCompany, after: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            sa.delete(checkpoints).where(
                checkpoints.c.company_id == company.id, checkpoints.c.sequence > after
            )
        )


def edit_cached_states(
    store: Store, company: StoredCompany, edit: bytes, after: int | None = None
) -> int:
    """Overwrite the bytes of every cached state of the company (or only of the one cached
    after event `after`); how many."""
    which = cached_states.c.company_id == company.id
    if after is not None:
        which &= cached_states.c.sequence == after
    with store.engine.begin() as conn:
        return int(conn.execute(sa.update(cached_states).where(which).values(data=edit)).rowcount)


class RunsCode:
    """What a crafted pickle would run when read back: it writes a file."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))  # unpickling this creates the file


def crafted_pickle(path: str) -> bytes:
    return pickle.dumps({"format": "charter-state/1", "fields": {"holdings": RunsCode(path)}})
