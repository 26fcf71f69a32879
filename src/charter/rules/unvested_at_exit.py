"""Options and warrants at an exit: which shares of each grant take part in the waterfall
(the reading `unvested-at-exit`), with the reason, for the JSON, `--explain` and the web.

A grant takes part by being exercised: its holder pays the exercise price and holds shares
of its class when the proceeds are distributed (Art. IV.B.2). Shares vested (or, where the
grant allows early exercise, any outstanding share) may be exercised; a grant's
`single_trigger` fraction of its unvested shares vests on a change of control by itself, so at
a deemed liquidation (Art. IV.B.2(c)); what else is unvested is dealt with by the grant's plan
and the transaction (assumed or substituted by the buyer, or cancelled). Restricted shares
(an early exercise, an issue of restricted stock) are stock already held: they take part as
any other share.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from charter.explain import Trace, interpretation
from charter.state import vesting
from charter.state.model import State

UNVESTED_AT_EXIT = interpretation(
    id="unvested-at-exit",
    question="At an exit, do unvested options and warrants take part in the distribution of "
    "the proceeds?",
    citation="Art. IV.B.2(a)-(c)",
    quote="the holders of Common Stock ... shall be entitled to receive ... the remaining "
    "assets of this corporation available for distribution to its stockholders ... (c) A "
    "consolidation or merger of this corporation with or into any other corporation ... "
    "shall be deemed to be a liquidation",
    readings={
        "accelerated-rest-assumed": "each grant takes part for what may be exercised at the "
        "exit (vested, or any outstanding share where it allows early exercise) and, at a "
        "deemed liquidation, the part its single-trigger acceleration vests; the rest is "
        "assumed by the buyer (or cancelled) under the plan and takes nothing from the proceeds",
        "as-if-vested": "every outstanding option and warrant takes part as if fully vested "
        "(the fully diluted view of a term sheet)",
        "vested-only": "only what is vested (or early exercisable) at the exit takes part; no "
        "acceleration",
    },
    default="accelerated-rest-assumed",
    argument="The certificate distributes to the holders of stock; an option holder shares in "
    "the proceeds only by exercising, and only what is exercisable can be exercised before the "
    "distribution. A single-trigger acceleration is a term of the grant that vests shares on "
    "the change of control itself, so those shares are exercisable at the exit; nothing in the "
    "certificate or the grant makes the other unvested shares exercisable, and what happens to "
    "them (assumption, substitution, cancellation) is a matter for the plan and the merger "
    "agreement, not a claim on the proceeds. 'as-if-vested' is the conservative fully diluted "
    "figure a term sheet uses; 'vested-only' is a buyer's view that ignores acceleration.",
)


class GrantAtExit(msgspec.Struct, frozen=True):
    """One grant at the exit: shares that take part and why."""

    grant: str
    holder: str
    class_id: str
    outstanding: int
    exercisable: int  # vested (or early exercisable) at the exit
    accelerated: int  # vested at the exit by single-trigger acceleration
    counted: int  # shares that take part
    why: str

    @property
    def left_out(self) -> int:
        return self.outstanding - self.counted


def grants_at_exit(
    state: State,
    settings: Mapping[str, str] | None = None,
    trace: Trace | None = None,
    change_of_control: bool = False,
) -> list[GrantAtExit]:
    """Each outstanding grant that has not expired, with the shares the exit counts; the
    reading is noted on `trace` when some grant has unvested shares."""
    day = state.as_of
    out: list[GrantAtExit] = []
    choice: str | None = None
    for g in state.grants.values():
        if g.outstanding <= 0 or day is None or (g.expires is not None and g.expires < day):
            continue
        can = vesting.exercisable(g, day)
        unvested = g.outstanding - can
        if not unvested:
            out.append(GrantAtExit(g.id, g.holder, g.class_id, g.outstanding, can, 0,
                                   g.outstanding, "exercisable in full"))  # fmt: skip
            continue
        if choice is None:
            choice = (
                trace.read(UNVESTED_AT_EXIT, settings)
                if trace is not None
                else UNVESTED_AT_EXIT.choose(settings)
            )
        trigger = g.schedule.single_trigger if g.schedule is not None else 0
        accelerated = int(trigger * unvested) if change_of_control else 0
        if choice == "as-if-vested":
            counted, why = g.outstanding, f"all {g.outstanding:,}, as if vested"
        elif choice == "vested-only":
            counted, why = can, f"{can:,} exercisable; {unvested:,} unvested left out"
        else:
            counted = can + accelerated
            why = f"{can:,} exercisable" + (
                f", {accelerated:,} accelerated by its single trigger" if accelerated else ""
            )
            why += f"; {unvested - accelerated:,} unvested not paid" + (
                " (assumed by the buyer)" if change_of_control else " (cancelled)"
            )
        if choice != UNVESTED_AT_EXIT.default:
            accelerated = 0
        out.append(GrantAtExit(g.id, g.holder, g.class_id, g.outstanding, can, accelerated,
                               counted, why))  # fmt: skip
    return out
