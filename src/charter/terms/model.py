"""The documents as data: every figure and choice of a certificate and bylaws, with its clause.

A terms file is YAML validated by these models (docs/terms-format.md). Each block carries the
`citation` of the clause it comes from; no rule hard-codes a series, a price or a percentage.
Each model builds its validator when it first validates (`defer_build`), and the annotations
are evaluated as each class is made (no `from __future__ import annotations`, whose strings
pydantic would compile one by one): a command that reads a terms file pays for less. An empty
list or mapping is its own default (`= []`, which pydantic copies for each instance), not a
`default_factory=list`: pydantic reads a factory's signature, and a builtin's is parsed from
its text by the tokenizer (2% of a command on a ledger file, with the events', issue 15).
"""

import datetime as dt
from fractions import Fraction
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from charter.numbers import Amount, Share

Ident = Annotated[str, Field(pattern=r"^[a-z0-9._-]+$", max_length=100)]
"""An id (of a class, a series, a provision, a document; of an event or a holder in a
ledger): lower-case letters, digits, '.', '_' and '-', so that it is safe wherever it lands
(a URL, a page, a script block, a file name) without depending on escaping alone."""


class Block(BaseModel):
    """A piece of the documents: immutable, strict about unknown keys, with its citation."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    citation: str


class Threshold(Block):
    """An approval threshold: at least `fraction` of `measure` of the `group`."""

    fraction: Share
    # shares or votes of stockholders; or, for the board, a count of directors
    measure: Literal[
        "shares", "voting_power", "directors_present", "whole_board", "directors_in_office"
    ] = "shares"
    group: list[str] = []
    strictly_more: bool = False  # "more than" rather than "at least"


# --- per class ---------------------------------------------------------------------------


class DividendPreference(Block):
    """Art. IV.B.1(a)-style preferred dividend."""

    rate_per_annum: Amount
    cumulative: bool = False
    or_if_greater_as_paid_on_other_shares: bool = False


class Participation(Block):
    """Sharing with common after the preferences, as converted, up to a cap per share.

    `cap_per_share` is the total a share may receive including its preference; None means
    uncapped participation.
    """

    cap_per_share: Amount | None = None
    cap_includes_preference: bool = True


class LiquidationPreference(Block):
    """The preference of one class in a liquidation (Art. IV.B.2(a)-style)."""

    tier: int  # 1 is the most senior; equal tiers are pari passu
    preference_per_share: Amount
    plus_dividends: Literal["declared_unpaid", "undeclared_unpaid", "none"] = "declared_unpaid"
    participation: Participation | None = None  # None: non-participating


class CashAmount(Block):
    """A cash payment per share due on conversion (Art. IV.B.3(a) "Cash Amount")."""

    per_share: Amount
    plus_declared_unpaid_dividends: bool = True
    payable_within_days: int = 10
    payable_within_days_citation: str | None = None


class IpoPriceProtection(Block):
    """On a qualified offering below `price`, convert at the greater of price/IPO price and
    original issue price/conversion price (Art. IV.B.3(b)(ii)-(iii))."""

    price: Amount


class ConsentConversion(Block):
    """Automatic conversion on the written consent of holders of a fraction of the class."""

    threshold: Share
    measure: Literal["shares"] = "shares"
    strictly_more: bool = False  # "a majority" is more than half; "sixty percent" is at least


class Conversion(Block):
    """How one class converts into common."""

    into: str = "common"
    holder_option: bool = False  # each holder may convert any shares at any time
    election_group: str | None = None  # converts only with its group, on the group's election
    initial_conversion_price: Amount | None = None  # default: the original issue price
    cash_amount: CashAmount | None = None
    automatic_on_qualified_offering: bool = False
    automatic_citation: str | None = None
    ipo_price_protection: IpoPriceProtection | None = None
    consent_conversion: ConsentConversion | None = None
    antidilution: bool = True  # its conversion price is adjusted under the anti-dilution block


class Votes(Block):
    """Votes per share of common the share converts into (one for common)."""

    per_common_share: int = 1
    rounding: Literal["nearest_aggregate"] = "nearest_aggregate"
    votes_with_common: bool = True


class StockClass(Block):
    """A class or series of stock."""

    id: Ident
    name: str
    kind: Literal["common", "preferred"]
    authorized: int
    par_value: Amount
    par_value_citation: str | None = None  # where the par value is stated, when not `citation`
    original_issue_price: Amount | None = None
    original_issue_price_citation: str | None = None
    dividend: DividendPreference | None = None
    liquidation: LiquidationPreference | None = None
    conversion: Conversion | None = None
    votes: Votes | None = None
    redeemable: bool = False

    @property
    def conversion_price(self) -> Fraction | None:
        """The initial conversion price (before any adjustment)."""
        if self.conversion is None:
            return None
        return self.conversion.initial_conversion_price or self.original_issue_price


# --- company-wide blocks of the certificate -----------------------------------------------


class ConversionGroup(Block):
    """Series that convert together on the election of a majority of them (Art. IV.B.3(a))."""

    id: Ident
    classes: list[str]
    election: Threshold


class QualifiedOffering(Block):
    """The public offering that triggers automatic conversion (Art. IV.B.3(b))."""

    min_aggregate_offering_price: Amount
    firm_commitment: bool = True
    registration_forms: list[str] = Field(default_factory=lambda: ["S-1"])
    conditioned_on_closing_citation: str | None = None


class ConversionRules(Block):
    """Company-wide conversion mechanics."""

    rounding: Literal["nearest_per_holder_and_series"] = "nearest_per_holder_and_series"
    rounding_citation: str
    qualified_offering: QualifiedOffering | None = None
    groups: list[ConversionGroup] = []
    cash_shortfall_ratable: bool = True
    cash_shortfall_citation: str | None = None
    reservation_citation: str | None = None


class PlanApprovalWindow(Block):
    """When an equity plan's approval makes its grants excluded ("Additional Stock" (B))."""

    approved_before_purchase_of: str | None = None  # board approval before this series' date
    approved_after_purchase_of: str | None = None
    requires: Threshold | None = None  # and the approval of this group


class Exclusion(Block):
    """An exception to "Additional Stock" (Art. IV.B.3(d)(ii)(A)-(K))."""

    name: str
    letter: str
    description: str
    kind: Literal[
        "split-or-dividend",
        "employee-plan",
        "conversion",
        "board-approved",
        "rights-to-excluded",
        "named-security",
    ]
    plan_windows: list[PlanApprovalWindow] = []
    # for a named security: its date ("on or about" allows `date_tolerance_days`), count, class
    date: dt.date | None = None
    date_tolerance_days: int = 0
    shares: int | None = None
    of_class: str | None = None
    instrument: str | None = None


class AntiDilution(Block):
    """Conversion price adjustment for dilutive issuances (Art. IV.B.3(d))."""

    method: Literal["broad_based_weighted_average", "full_ratchet", "none"]
    min_adjustment: Amount = Fraction(1, 100)
    min_adjustment_citation: str | None = None
    carry_forward_years: int = 3
    consideration_citation: str | None = None
    options_citation: str | None = None
    exclusions: list[Exclusion] = []
    splits_citation: str | None = None
    combinations_citation: str | None = None
    other_distributions_citation: str | None = None
    recapitalization_citation: str | None = None


class DividendRules(Block):
    """How declared dividends are shared (Art. IV.B.1)."""

    preferred_before_common: bool = True
    shortfall_ratable_to_full_preferential: bool = True
    non_cash_as_converted: bool = True
    non_cash_citation: str | None = None
    common_citation: str | None = None


class DeemedLiquidationKind(Block):
    """A kind of transaction deemed a liquidation (Art. IV.B.2(c)-style): `id` is the action
    of the same name where the terms have one; a transaction with one of the
    `excluded_counterparties` is not deemed a liquidation; with `voting_power_more_than`, only
    a transaction disposing of more than that fraction of the voting power is."""

    id: Ident
    description: str
    excluded_counterparties: list[str] = []
    voting_power_more_than: Share | None = None


class DeemedLiquidation(Block):
    """Transactions deemed a liquidation (Art. IV.B.2(c)), and the valuation of non-cash. The
    holders have no election to treat one otherwise unless the terms give one (Quintus's
    do not)."""

    kinds: list[DeemedLiquidationKind]
    non_cash_valued_by_board_citation: str | None = None

    def kind(self, kind_id: str) -> DeemedLiquidationKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)


class LiquidationRules(Block):
    """Company-wide liquidation: shortfall within a tier, deemed liquidation."""

    shortfall: Literal["ratable_to_full_preferential"] = "ratable_to_full_preferential"
    deemed_liquidation: DeemedLiquidation | None = None
    common_citation: str | None = None


class DirectorSeat(Block):
    """Directors elected by a class or group voting separately."""

    group: list[str]
    seats: int


class DirectorShare(Block):
    """A fraction of the authorized directors (rounded to nearest) or a fixed count."""

    group: list[str]
    fraction: Share | None = None
    seats: int | None = None


class VotingShiftPeriod(Block):
    """The period when the preferred's voting power could not elect all directors (5(a))."""

    min_authorized_directors: int
    group_seats: list[DirectorShare]
    remaining_to: list[str]


class VotingRules(Block):
    """How stockholders vote (Art. IV.B.5, IV.C.4)."""

    together_as_single_class: bool = True
    director_seats: list[DirectorSeat] = []
    voting_shift_period: VotingShiftPeriod | None = None
    stockholder_written_consent: bool = True
    written_consent_citation: str | None = None
    cumulative_voting: bool = False
    cumulative_voting_citation: str | None = None


class ReadingCondition(Block):
    """`action` is asked only where the reading `reading` ("id=choice") is chosen."""

    action: str
    reading: str


class ProtectiveProvision(Block):
    """An action the company may not take without a vote of a group (Art. IV.B.6)."""

    id: Ident
    actions: list[str]
    threshold: Threshold
    while_outstanding: list[str] = []
    action_citations: dict[str, str] = {}  # action -> its sub-clause
    # actions asked only when the class named with --series is "prior to" the group (6(a)(iii))
    prior_to: list[str] = []
    # actions asked only under a reading's choice
    only_under: list[ReadingCondition] = []


class RecordDateNotice(Block):
    """Notice to preferred holders before a record date for non-cash distributions (4)."""

    days_before: int
    to: Literal["preferred"] = "preferred"


class RequiredApproval(Block):
    """One approval a corporate action needs (a board resolution or a stockholder vote).

    `threshold` None on a board approval means the act of the board under the bylaws (a
    majority of the directors present at a meeting with a quorum). An empty `threshold.group`
    on a stockholder approval means every class entitled to vote, voting together;
    `group_from` fills it from the action's `--series`: the series itself, every series of
    its class (DGCL §242(b)(2)), or the class or series that elected the director.
    `at_meeting`: measured against the stock present at a meeting, not the outstanding (by
    written consent, against all the stock outstanding, DGCL §228).
    `written_consent_only`: given only by the holders' written consent (Bylaws Art. VIII §1(g)).
    `alternative_to`: this approval may stand instead of the one named.
    `after_purchase_of`: needed only once that series' Purchase Date has passed.
    """

    id: Ident
    body: Literal["board", "stockholders"]
    threshold: Threshold | None = None
    group_from: Literal["series", "class_of_series", "electing_group"] | None = None
    at_meeting: bool = False
    written_consent_only: bool = False  # given only by written consent, never at a meeting
    alternative_to: str | None = None
    after_purchase_of: str | None = None
    note: str | None = None


class CorporateAction(Block):
    """A corporate action and the approvals it needs beyond the protective provisions (whose
    `actions` name it too)."""

    id: Ident
    description: str
    approvals: list[RequiredApproval] = []
    needs_series: bool = False  # the action concerns one series, named with --series
    # what the action is, in the words the bylaws use of the board's acts (Bylaws Art. III §11):
    # amend_certificate, amend_bylaws, merger, sale_of_assets, dissolution, declare_dividend,
    # issue_stock, ...; the committee rule reads these, never the action's id
    acts: list[str] = []


class Indemnification(Block):
    """Exculpation and indemnification of directors (Art. IX, XI); informational."""

    text: str


class Certificate(BaseModel):
    """A certificate of incorporation: classes, and the company-wide terms of its articles."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: Ident
    title: str
    document: str  # the seed file it implements
    effective: str  # in words: when it is in force
    total_authorized: int
    total_authorized_citation: str
    undesignated_preferred: int = 0
    undesignated_preferred_citation: str | None = None
    classes: list[StockClass]
    dividends: DividendRules | None = None
    liquidation: LiquidationRules | None = None
    conversion: ConversionRules | None = None
    antidilution: AntiDilution | None = None
    voting: VotingRules
    protective_provisions: list[ProtectiveProvision] = []
    record_date_notice: RecordDateNotice | None = None
    bylaws_amendable_by_board_citation: str | None = None
    directors_number_citation: str | None = None
    exculpation: Indemnification | None = None
    indemnification: Indemnification | None = None
    actions: list[CorporateAction] = []

    @model_validator(mode="after")
    def _check(self) -> Self:
        ids = [c.id for c in self.classes]
        if len(set(ids)) != len(ids):
            raise ValueError("class ids must be unique")
        total = sum(c.authorized for c in self.classes) + self.undesignated_preferred
        if total != self.total_authorized:
            raise ValueError(
                f"classes authorize {total} shares in all, but total_authorized is "
                f"{self.total_authorized}"
            )
        return self

    def stock_class(self, class_id: str) -> StockClass | None:
        return self._by_id()[0].get(class_id)

    def designate(self, series: StockClass) -> Self:
        """This certificate with a series designated out of its undesignated preferred, or a
        designated series of the same id in its place, resized: shares added come out of the
        undesignated preferred, shares removed resume that status (a certificate of
        designations; Post-IPO Art. IV, DGCL §151(g))."""
        before = self.stock_class(series.id)
        kept = [c for c in self.classes if c.id != series.id]
        grown = series.authorized - (before.authorized if before is not None else 0)
        return self.model_copy(
            update={
                "classes": [*kept, series],
                "undesignated_preferred": self.undesignated_preferred - grown,
            }
        )

    def _by_id(self) -> tuple[dict[str, StockClass], StockClass | None]:
        """The classes by id, and the common class (looked up for nearly every event of a
        replay), kept while `classes` is the same list: a copy of the certificate with other
        classes (`model_copy(update=...)` copies what is kept) computes its own."""
        kept = self.__dict__.get("_kept_classes")
        if kept is None or kept[0] is not self.classes:
            by_id = {c.id: c for c in self.classes}
            common = next((c for c in self.classes if c.kind == "common"), None)
            kept = (self.classes, by_id, common)
            self.__dict__["_kept_classes"] = kept
        return kept[1], kept[2]

    @property
    def preferred(self) -> list[StockClass]:
        return [c for c in self.classes if c.kind == "preferred"]

    @property
    def common(self) -> StockClass:
        """The (first) class of kind common."""
        common = self._by_id()[1]
        assert common is not None, "the certificate has no class of kind common"
        return common


# --- bylaws ----------------------------------------------------------------------------------


class DayWindow(Block):
    """Not less than `min_days` nor more than `max_days` before the date."""

    min_days: int
    max_days: int


class StockholderMeetings(Block):
    annual_notice: DayWindow
    special_notice: DayWindow
    list_ready_days_before: int
    list_citation: str
    quorum: Threshold
    vote_standard: Threshold
    vote_standard_citation: str
    director_election: Literal["plurality"] = "plurality"
    director_election_citation: str
    special_callers: list[str]
    special_required_on_request_of: list[Threshold] = []
    special_callers_citation: str
    special_business_limited_citation: str
    adjournment_notice_after_days: int
    adjournment_citation: str
    proxy_life_years: int
    proxy_citation: str
    written_consent_citation: str
    notice_deemed_given_when_mailed_citation: str
    notice_waiver_citation: str | None = None  # a written waiver equals notice


class BoardMeetings(Block):
    size_fixed_by: list[Literal["board", "stockholders"]] = []
    size_citation: str | None = None  # who fixes the number of directors
    special_notice_mail_days: int
    special_notice_personal_hours: int
    special_callers: list[str]
    special_required_on_request_of_directors: int
    quorum: Threshold  # of the whole board
    act: Threshold  # of the directors present
    act_citation: str
    unanimous_written_consent_citation: str
    vacancies: Threshold  # of the directors then in office
    vacancies_citation: str
    removal: Threshold  # of the shares entitled to vote at an election
    removal_citation: str
    committee_prohibited: list[str] = []
    committee_needs_express_authority: list[str] = []
    committee_citation: str
    special_meetings_citation: str | None = None  # notice and calling of special meetings


class RightOfFirstRefusal(Block):
    option_days: int
    option_citation: str
    all_not_less_than_all: bool = True
    assignable_citation: str
    settlement_days: int
    settlement_citation: str
    transfer_window_days: int
    transfer_window_citation: str
    exemptions: dict[str, str]  # name -> citation
    waiver: Threshold
    waiver_citation: str
    void_citation: str
    ends_on: dt.date | None = None
    ends_on_public_offering: bool = True
    ends_citation: str
    legend: str
    legend_citation: str


class MarketStandoff(Block):
    days: int
    applies_to_acquired_on_or_after: dt.date
    legend: str


class Certificates(Block):
    signers: list[list[str]]
    partly_paid_citation: str
    class_rights_statement_citation: str
    lost_certificate_citation: str
    transfer_citation: str
    registered_holder_citation: str
    # the statement of Art. VI §1 that the company will furnish the rights of each class
    class_rights_statement: str | None = None


class Officers(Block):
    """The officers the board chooses (`titles`, in the words of the bylaws) and who removes
    them (`removal_citation`)."""

    titles: list[str]
    removal_citation: str


class RecordDates(Block):
    meeting: DayWindow
    other_action_max_days: int


class Bylaws(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: Ident
    title: str
    document: str
    adopted: dt.date
    stockholder_meetings: StockholderMeetings
    board: BoardMeetings
    record_dates: RecordDates
    certificates: Certificates
    right_of_first_refusal: RightOfFirstRefusal | None = None
    market_standoff: MarketStandoff | None = None
    officers: Officers | None = None
    amendment_citation: str


class TermsSet(BaseModel):
    """A company's terms: the certificates in the order they take effect, and the bylaws.

    `certificates[0]` is in force from the ledger's first event; `on_qualified_offering`
    names the certificate that takes effect at the closing of a qualified public offering.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: Ident
    company: str
    certificates: list[Certificate]
    bylaws: Bylaws
    on_qualified_offering: str | None = None
    jurisdiction: str | None = None  # the state of incorporation, as printed on certificates

    def certificate(self, certificate_id: str) -> Certificate | None:
        for c in self.certificates:
            if c.id == certificate_id:
                return c
        return None
