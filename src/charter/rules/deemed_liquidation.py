"""Which exits are a liquidation (Art. IV.B.2(c)): a liquidation, dissolution or winding up,
or a transaction the certificate deems one -- a merger or consolidation (other than with a
wholly-owned subsidiary or the parent), a sale of all or substantially all of the assets, a
disposal of more than 50% of the voting power. The waterfall of Art. IV.B.2(a)-(b) applies to
those only. The certificate gives the holders no election to treat such a transaction as
anything but a liquidation, so there is none to make here."""

from __future__ import annotations

from fractions import Fraction

import msgspec

from charter.errors import CharterError, Problem
from charter.numbers import decimal_str
from charter.state.model import State

LIQUIDATION = "liquidation"


class ExitEvent(msgspec.Struct, frozen=True):
    """The exit, named: a liquidation itself or a kind of deemed liquidation."""

    kind: str
    description: str
    deemed: bool
    citation: str | None


def exit_event(
    state: State,
    kind: str = LIQUIDATION,
    counterparty: str | None = None,
    voting_power_disposed: Fraction | None = None,
) -> ExitEvent:
    """The exit of the given kind, if the certificate in force makes it a liquidation;
    otherwise one sentence saying why not."""
    rules = state.certificate.liquidation
    if kind == LIQUIDATION:
        return ExitEvent(
            LIQUIDATION,
            "a liquidation, dissolution or winding up",
            False,
            rules.citation if rules else None,
        )
    deemed = rules.deemed_liquidation if rules else None
    k = deemed.kind(kind) if deemed else None
    if deemed is None or k is None:
        kinds = ", ".join([LIQUIDATION, *(x.id for x in deemed.kinds)] if deemed else [LIQUIDATION])
        raise CharterError(
            [
                Problem(
                    f"{kind!r} is not a liquidation or a transaction deemed one under the "
                    f"{state.certificate.title}; the kinds are {kinds}",
                    field="--event",
                    citation=deemed.citation if deemed else None,
                )
            ]
        )
    if counterparty is not None and counterparty in k.excluded_counterparties:
        raise CharterError(
            [
                Problem(
                    f"a {k.id} with a {counterparty.replace('_', ' ')} is not deemed a "
                    "liquidation: the liquidation preferences do not apply to it",
                    field="--counterparty",
                    citation=k.citation,
                )
            ]
        )
    if k.voting_power_more_than is not None:
        line = decimal_str(k.voting_power_more_than)
        if voting_power_disposed is None:
            raise CharterError(
                [
                    Problem(
                        f"a {k.id} is deemed a liquidation only if more than {line} of the "
                        "voting power is disposed of: say what fraction is",
                        field="--voting-power-disposed",
                        citation=k.citation,
                    )
                ]
            )
        if voting_power_disposed <= k.voting_power_more_than:
            raise CharterError(
                [
                    Problem(
                        f"disposing of {decimal_str(voting_power_disposed)} of the voting power "
                        f"is not more than {line}: the {k.id} is not deemed a liquidation",
                        field="--voting-power-disposed",
                        citation=k.citation,
                    )
                ]
            )
    return ExitEvent(k.id, k.description, True, k.citation)
