"""The events of a stock ledger (spec/ledger-format.md), as frozen typed records.

Every event has `date` and `type`, an optional `id` and `note`. Unknown fields are refused;
money is a decimal string (a YAML float is refused); share counts are positive integers.

Each model builds its validator when it first validates (`defer_build`), and a file's events
are each validated by the model their `type` names (`EVENT_MODEL`): reading a ledger builds
the validators of the types it uses, not of all of them. The annotations are evaluated as
each class is made (no `from __future__ import annotations`, whose strings pydantic would
compile one by one), and an empty list or mapping is its own default (`= []`; see
charter/terms/model.py).
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, Self, cast, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from charter.errors import excerpt
from charter.numbers import NumberError, parse_ratio, within_precision
from charter.terms.model import Ident  # the store keeps 100 characters

SCHEMA_VERSION = 1


def _money(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise NumberError(
            f"{excerpt(value)} is a binary float; money is written as a quoted decimal string "
            f'such as "{value}"'
        )
    if isinstance(value, int):
        return within_precision(Decimal(value), "the amount")
    if isinstance(value, Decimal):
        return within_precision(value, "the amount")
    if isinstance(value, str):
        text = value.strip()
        try:
            d = Decimal(text) if len(text) <= 200 else Decimal("NaN")
        except ArithmeticError as e:
            raise NumberError(f"{excerpt(value)} is not a decimal number") from e
        if not d.is_finite() or "e" in text.lower():
            raise NumberError(f"{excerpt(value)} is not a plain decimal number")
        if d < 0:
            raise NumberError(f"{excerpt(value)} is negative")
        return within_precision(d, "the amount")
    raise NumberError(f"{excerpt(value)} is not a decimal number")


Money = Annotated[Decimal, BeforeValidator(_money), PlainSerializer(str, return_type=str)]
"""A non-negative amount written as a decimal string; kept as written for a loss-free export."""


def _shares(value: Any) -> int:
    if isinstance(value, bool):
        raise NumberError(f"{excerpt(value)} is not a share count")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise NumberError(f"{excerpt(value)} is not a whole number of shares")
    if value <= 0:
        raise NumberError(f"a share count must be positive, not {value}")
    return value


Shares = Annotated[int, BeforeValidator(_shares)]


def _ratio(value: Any) -> str:
    parse_ratio(value)
    return str(value).strip()


Ratio = Annotated[str, BeforeValidator(_ratio)]


def _share_fraction(value: Any) -> str:
    """A fraction of shares between 0 and 1, written as a decimal string ("0.5") or "N/D"."""
    if isinstance(value, bool | float):
        raise NumberError(
            f'{value!r} is a binary float; a fraction is a quoted string such as "0.5"'
        )
    text = str(value).strip()
    try:
        x = Fraction(text)
    except (ValueError, ZeroDivisionError) as e:
        raise NumberError(f'{value!r} is not a fraction such as "0.5" or "1/4"') from e
    if not 0 <= x <= 1:
        raise NumberError(f"{value!r} is not a fraction between 0 and 1")
    return text


ShareFraction = Annotated[str, BeforeValidator(_share_fraction)]
"""A fraction of shares (0 to 1), kept as written."""

Days = Annotated[int, Field(ge=0, le=36600, strict=True)]


class Vesting(BaseModel):
    """The structured `vesting` block of a grant or of an issue of restricted stock
    (spec/ledger-format.md, "Equity plans"): `months` of schedule from `start`, nothing before
    `cliff_months`, then an installment every `every_months`; whole shares cumulative, rounded
    down, the last installment taking the rest."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    start: dt.date | None = None
    months: Annotated[int, Field(strict=True)]
    cliff_months: Annotated[int, Field(strict=True)] = 0
    every_months: Annotated[int, Field(strict=True)] = 1
    rounding: Literal["down"] = "down"
    single_trigger: ShareFraction = "0"
    double_trigger: ShareFraction = "0"
    early_exercise: bool = False
    performance: bool = False

    @model_validator(mode="after")
    def _adds_up(self) -> Self:
        if self.months < 1:
            raise ValueError(
                f"a schedule of {self.months} months vests nothing; months must be 1 or more"
            )
        if self.cliff_months < 0 or self.cliff_months > self.months:
            raise ValueError(
                f"the cliff ({self.cliff_months} months) must be between 0 and the schedule's "
                f"{self.months} months"
            )
        if not 1 <= self.every_months <= self.months:
            raise ValueError(
                f"installments every {self.every_months} months must be between 1 and the "
                f"schedule's {self.months} months"
            )
        return self


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    date: dt.date
    id: Ident | None = None
    note: str | None = None


class DistributionShare(BaseModel):
    """One recipient of a corporate stockholder's distribution of shares to its stockholders,
    and the part of the distributing company's stock it holds."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    holder: str
    shares: Shares  # of the distribution
    holding: Annotated[str, BeforeValidator(_ratio)]  # "N:D", its part of the distributor


VestingOrNote = Annotated[
    Annotated[Vesting, Tag("schedule")] | Annotated[str, Tag("note")],
    Discriminator(lambda v: "note" if isinstance(v, str) else "schedule"),
]
"""A grant's `vesting`: the structured block, or free text kept as a note."""


class Issue(Event):
    """The company issues shares (for `price` cash per share, plus non-cash value)."""

    type: Literal["issue"]
    holder: str
    class_: str = Field(alias="class")
    shares: Shares
    price: Money
    consideration: str | None = None
    non_cash_value: Money | None = None
    exclusion: str | None = None
    board_approval: str | None = None  # the board_approval event the exclusion relies on
    certificate: str | None = None
    amount_paid: Money | None = None  # partly paid shares: the total paid (Bylaws Art. VI §1)
    vesting: Vesting | None = None  # restricted stock, repurchasable at `price` if unvested


class Grant(Event):
    """An option, warrant or right to acquire `shares` of `class`."""

    type: Literal["grant"]
    id: Ident
    kind: Literal["option", "warrant", "right"]
    holder: str
    class_: str = Field(alias="class")
    shares: Shares
    exercise_price: Money
    expires: dt.date | None = None
    plan: str | None = None
    exclusion: str | None = None
    board_approval: str | None = None  # the board_approval event the exclusion relies on
    vesting: VestingOrNote | None = None  # a schedule, or free text (a note: exercisable now)
    post_termination_days: Days | None = None  # the plan's period unless the grant sets one


class Exercise(Event):
    type: Literal["exercise"]
    grant: str
    shares: Shares


class Expire(Event):
    type: Literal["expire"]
    grant: str
    shares: Shares | None = None


class Vest(Event):
    """Performance vesting: `shares` more of the grant vest."""

    type: Literal["vest"]
    grant: str
    shares: Shares


class ServiceEnd(Event):
    """The holder's service as employee, director or consultant ends: unvested options lapse,
    vested options stay exercisable for the post-termination period and then lapse, and
    unvested restricted shares become repurchasable at cost."""

    type: Literal["service_end"]
    holder: str
    reason: Literal["voluntary", "without_cause", "for_cause", "death_or_disability"] | None = None


class Acceleration(Event):
    """Vesting accelerated by a decision of the board: `shares`, or a `fraction` of the
    unvested shares (all of them when neither is given)."""

    type: Literal["acceleration"]
    grant: str
    shares: Shares | None = None
    fraction: ShareFraction | None = None


class GrantAmend(Event):
    """A change in the terms of a grant: its exercise price, or the number of shares it covers
    in all (as the grant's `shares`: exercised and lapsed shares included), or both
    (Art. IV.B.3(d)(i)(E)(3))."""

    type: Literal["grant_amend"]
    grant: str
    exercise_price: Money | None = None
    shares: Shares | None = None


class Transfer(Event):
    type: Literal["transfer"]
    from_: str = Field(alias="from")
    to: str
    class_: str = Field(alias="class")
    shares: Shares
    price: Money | None = None
    exemption: str | None = None
    rofr: str | None = None
    certificates: list[str] | None = None  # surrendered (Bylaws Art. VI §4)
    # a corporate stockholder's pro rata distribution to its stockholders: every recipient,
    # its shares, and its part of the distributor's stock (Bylaws Art. VIII §1(f)(6))
    distribution: list[DistributionShare] | None = None


class Convert(Event):
    """A holder's optional conversion of preferred into common."""

    type: Literal["convert"]
    holder: str
    class_: str = Field(alias="class")
    shares: Shares
    certificates: list[str] | None = None  # surrendered (Bylaws Art. VI §4)


class ConvertElection(Event):
    """A group's election to convert all its series (Art. IV.B.3(a))."""

    type: Literal["convert_election"]
    classes: list[str]
    consents: list[str]
    conditioned_on_closing: bool = False
    funds_available: Money | None = None


class CashAmountPayment(Event):
    """Funds that became legally available for the Cash Amounts still owed after a conversion
    (Art. IV.B.3(c)): applied ratably until they are paid in full."""

    type: Literal["cash_amount_payment"]
    funds_available: Money


class IssueConvertible(Event):
    """The company issues a convertible instrument for cash: a SAFE (`amount` the purchase
    amount) or a convertible note (`amount` the principal, with interest). It converts at the
    next priced round (`convert_convertible`) at the lower of the price its valuation cap
    implies (against the capitalization of its `basis`) and the round's price less its
    discount; `mfn` takes the terms of a later instrument more favourable to it. At a
    liquidity event before then it gives what `at_liquidity` says (the reading
    convertible-at-liquidity where it is silent)."""

    type: Literal["issue_convertible"]
    id: Ident
    kind: Literal["safe", "note"]
    holder: str
    amount: Money
    basis: Literal["post-money", "pre-money"] | None = None  # default: SAFE post, note pre
    valuation_cap: Money | None = None
    discount: ShareFraction | None = None  # off the round's price, e.g. "0.20"
    mfn: bool = False
    interest_rate: ShareFraction | None = None  # a note's, per year
    interest: Literal["simple", "compound"] = "simple"
    compounding: Literal["annual", "semiannual", "quarterly", "monthly"] = "annual"
    maturity: dt.date | None = None
    at_liquidity: Literal["greater-of", "cash-out", "conversion"] | None = None

    @model_validator(mode="after")
    def _terms_fit_kind(self) -> Self:
        if self.amount <= 0:
            raise ValueError("the amount (purchase amount or principal) must be more than zero")
        if self.valuation_cap is not None and self.valuation_cap <= 0:
            raise ValueError("the valuation cap must be more than zero")
        if self.discount is not None and Fraction(self.discount) >= 1:
            raise ValueError("a discount of the whole price is not a discount; it must be below 1")
        if self.kind == "safe":
            given = [
                f
                for f in ("interest_rate", "maturity", "interest", "compounding")
                if f in self.model_fields_set
            ]
            if given:
                raise ValueError(f"a SAFE bears no interest and has no maturity: {given[0]}")
        elif self.maturity is not None and self.maturity < self.date:
            raise ValueError("the maturity date is before the note's date")
        return self


class ConvertConvertible(Event):
    """Convertible instruments convert together at a priced round into shares of `class`
    sold at `price` a share: each at the lower of its cap price and the discounted price,
    all of them in one computation (a post-money cap's capitalization counts the converting
    instruments themselves)."""

    type: Literal["convert_convertible"]
    convertibles: Annotated[list[Ident], Field(min_length=1)]
    class_: str = Field(alias="class")
    price: Money


class Split(Event):
    type: Literal["split"]
    class_: str = Field(alias="class")
    ratio: Ratio
    record_date: dt.date | None = None


class Recapitalization(Event):
    """A recapitalization of the Common Stock (Art. IV.B.3(f)): each share of Common becomes
    the shares of the classes in `into` (ratios new:old; `common` for the Common that remains,
    with at least one other class)."""

    type: Literal["recapitalization"]
    into: dict[str, Ratio]
    record_date: dt.date | None = None


class Dividend(Event):
    type: Literal["dividend"]
    kind: Literal["cash", "stock", "property"]
    per_share: dict[str, Money]
    record_date: dt.date | None = None
    paid_date: dt.date | None = None


class Repurchase(Event):
    type: Literal["repurchase"]
    holder: str
    class_: str = Field(alias="class")
    shares: Shares
    price: Money
    rofr: str | None = None
    certificates: list[str] | None = None  # surrendered (Bylaws Art. VI §4)


class Ipo(Event):
    type: Literal["ipo"]
    price: Money
    gross_proceeds: Money
    firm_commitment: bool = True
    registration_form: str = "S-1"
    closing_date: dt.date | None = None
    effective_date: dt.date | None = None
    funds_available: Money | None = None
    standoff_requested: bool = True


class OfferingWithdrawn(Event):
    """The public offering on whose closing conversions were conditioned will not close
    (withdrawn, abandoned or terminated): those conversions do not occur (Art. IV.B.3(c))."""

    type: Literal["offering_withdrawn"]


class RegistrationEffective(Event):
    """A registration statement of the company under the Securities Act declared effective
    on the event's date: the right of first refusal ends on the first one (Bylaws Art. VIII
    §1(i)(2)) and the market stand-off runs from it when requested (Art. VI §6). An
    `offering_withdrawn` event before the closing lets it lapse."""

    type: Literal["registration_effective"]
    standoff_requested: bool = True


class OfficeBegins(Event):
    """`holder` takes an office on the event's date: an officer chosen by the board (Bylaws
    Art. V §1, §3) or a `director`."""

    type: Literal["office_begins"]
    holder: str
    office: Ident


class OfficeEnds(Event):
    """`holder` leaves an office on the event's date (removal by the board, Bylaws Art. V §5;
    resignation; a director's term or removal)."""

    type: Literal["office_ends"]
    holder: str
    office: Ident


class DesignateSeries(Event):
    """The board designates a series of preferred out of the authorized undesignated
    preferred and fixes its terms (Post-IPO Art. IV): `series` is the series' terms in the
    terms format (id, name, authorized, ...)."""

    type: Literal["designate_series"]
    series: dict[str, Any]
    board_approval: str


class AdoptTerms(Event):
    type: Literal["adopt_terms"]
    terms: str


class RofrNotice(Event):
    type: Literal["rofr_notice"]
    id: Ident
    holder: str
    class_: str = Field(alias="class")
    shares: Shares
    price: Money
    transferee: str
    received: dt.date | None = None
    terms: str | None = None
    # the board's good-faith fair market value per share, when the transferee does not pay
    # the full price (a gift, a property settlement) (Bylaws Art. VIII §1(b))
    fair_market_value: Money | None = None
    # the cash value per share of consideration payable in property (Bylaws Art. VIII §1(d))
    cash_value: Money | None = None


class RofrAssign(Event):
    type: Literal["rofr_assign"]
    notice: str
    assignee: str
    shares: Shares | None = None


class RofrExercise(Event):
    type: Literal["rofr_exercise"]
    notice: str
    purchaser: str | None = None
    shares: Shares | None = None
    # the board's good-faith fair market value per share, determined at the election, where
    # the transferee is not paying the full price (Bylaws Art. VIII §1(b))
    fair_market_value: Money | None = None


class RofrWaive(Event):
    type: Literal["rofr_waive"]
    notice: str
    by: Literal["board", "stockholders"]
    consents: list[str] = []
    board_approval: str | None = None  # the board's resolution, for a waiver `by: board`


class BoardApproval(Event):
    """A resolution of the board: adopted at a meeting (Bylaws Art. III §8), or by the written
    consent of every director (§9) who then sign it in `consents`. `approves` names what it
    approves, for instance the exceptions of Art. IV.B.3(d)(ii) that need the board
    (`acquisition`, `vendor-or-customer`, `lease-financing`)."""

    type: Literal["board_approval"]
    id: Ident
    approves: Annotated[list[str], Field(min_length=1)]
    by: Literal["meeting", "written_consent"] = "meeting"
    consents: list[str] = []


class CertificateReplace(Event):
    """A new certificate in place of one alleged lost, stolen or destroyed, on the owner's
    affidavit, with an indemnity bond when the board requires one (Bylaws Art. VI §3)."""

    type: Literal["certificate_replace"]
    certificate: str
    affidavit: str  # who made the affidavit of loss, theft or destruction
    bond_required: bool = False
    bond: Money | None = None  # the indemnity bond's sum
    advertised: bool = False
    new_certificate: str | None = None


class BoardSize(Event):
    """The number of directors constituting the whole board, fixed by a resolution of the
    board or by the stockholders (Bylaws Art. III §1)."""

    type: Literal["board_size"]
    directors: Annotated[int, Field(ge=1, strict=True)]
    by: Literal["board", "stockholders"]


class TakeRecord(Event):
    """The company takes a record of holders for a right to subscribe for, purchase or
    otherwise acquire shares or other securities or property, or to receive any other right
    (Art. IV.B.4); `right` states its amount and character, as the notice must."""

    type: Literal["take_record"]
    record_date: dt.date
    right: Annotated[str, Field(min_length=1)]


class StockholderConsent(Event):
    """A written consent of stockholders taking a corporate action without a meeting (Bylaws
    Art. II §11; DGCL §228): `action` is an action of the terms (as `charter consent
    --action` takes), `consents` each consenting holder with the date signed."""

    type: Literal["stockholder_consent"]
    action: Ident
    consents: Annotated[dict[str, dt.date], Field(min_length=1)]
    series: str | None = None


class MeetingItem(BaseModel):
    """An item of a stockholder meeting: a question, or an election of `seats` directors;
    `group` the classes voting separately on it ([]: all voting together). A question that
    names its `action` (and `series`, as `charter approvals` takes them) is decided by the
    action's stockholder approvals (Bylaws Art. II §9)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    id: str
    kind: Literal["question", "election"] = "question"
    seats: int = Field(default=1, ge=1)
    group: list[str] = []
    action: Ident | None = None
    series: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _named(cls, data: Any) -> Any:
        """`items: [x]` is `items: [{id: x}]`: a question with nothing more to say."""
        return {"id": data} if isinstance(data, str) else data


class MeetingBallot(BaseModel):
    """A holder's ballot on one item, in person or by proxy (Bylaws Art. II §10)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    holder: str
    item: str
    vote: Literal["for", "against", "abstain"] | None = None
    candidates: list[str] | dict[str, int] | None = None
    by: Literal["person", "proxy"] = "person"
    proxy_date: dt.date | None = None
    proxy_years: int | None = None  # a longer period stated in the proxy
    votes: int | None = Field(default=None, ge=0)  # fewer than all its votes


class MeetingResult(Event):
    """The ballots of a stockholder meeting held on the event's date, as `charter tally`
    takes them: quorum (Bylaws Art. II §8), then each item (§9, §2); `record_date` the date
    of the holders entitled to vote (default: the ledger as it stands)."""

    type: Literal["meeting_result"]
    kind: Literal["annual", "special"] = "annual"
    noticed: list[str] = []  # items whose purpose the notice stated
    items: Annotated[list[MeetingItem], Field(min_length=1)]
    ballots: list[MeetingBallot]
    record_date: dt.date | None = None
    notice_date: dt.date | None = None  # when notice was mailed (Bylaws Art. II §3, §6)
    waivers: dict[str, dt.date] = {}  # written waivers (Art. IV §2)


class Assert(Event):
    type: Literal["assert"]
    class_: str = Field(alias="class")
    outstanding: Annotated[int, Field(ge=0)]
    holder: str | None = None


class PlanApproval(BaseModel):
    """An approval of a plan: by the board, or by the holders named in `consents`."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    by: str
    date: dt.date | None = None
    consents: list[str] = []


class AdoptPlan(Event):
    type: Literal["adopt_plan"]
    id: Ident
    shares: Shares
    approvals: list[PlanApproval] = []
    post_termination_days: Days = 90
    return_to_pool: bool = True


def _signed_shares(value: Any) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise NumberError(f"{value!r} is not a whole number of shares")
    if value == 0:
        raise NumberError("a plan amendment must add or remove shares, not 0")
    return value


class PlanAmend(Event):
    """Shares added to (or, negative, removed from) a plan's reserve, with the approvals the
    terms require (as `adopt_plan`)."""

    type: Literal["plan_amend"]
    plan: str
    shares: Annotated[int, BeforeValidator(_signed_shares)]
    approvals: list[PlanApproval] = []


AnyEvent = Annotated[
    Issue
    | Grant
    | Exercise
    | Expire
    | Vest
    | ServiceEnd
    | Acceleration
    | GrantAmend
    | Transfer
    | Convert
    | ConvertElection
    | CashAmountPayment
    | IssueConvertible
    | ConvertConvertible
    | Split
    | Recapitalization
    | Dividend
    | Repurchase
    | Ipo
    | OfferingWithdrawn
    | RegistrationEffective
    | OfficeBegins
    | OfficeEnds
    | DesignateSeries
    | AdoptTerms
    | RofrNotice
    | RofrAssign
    | RofrExercise
    | RofrWaive
    | Assert
    | AdoptPlan
    | PlanAmend
    | BoardApproval
    | CertificateReplace
    | BoardSize
    | TakeRecord
    | StockholderConsent
    | MeetingResult,
    Field(discriminator="type"),
]

EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent, config=ConfigDict(defer_build=True))

EVENT_MODELS: tuple[type[Event], ...] = (
    Issue,
    Grant,
    Exercise,
    Expire,
    Vest,
    ServiceEnd,
    Acceleration,
    GrantAmend,
    Transfer,
    Convert,
    ConvertElection,
    CashAmountPayment,
    IssueConvertible,
    ConvertConvertible,
    Split,
    Recapitalization,
    Dividend,
    Repurchase,
    Ipo,
    OfferingWithdrawn,
    RegistrationEffective,
    OfficeBegins,
    OfficeEnds,
    DesignateSeries,
    AdoptTerms,
    RofrNotice,
    RofrAssign,
    RofrExercise,
    RofrWaive,
    Assert,
    AdoptPlan,
    PlanAmend,
    BoardApproval,
    CertificateReplace,
    BoardSize,
    TakeRecord,
    StockholderConsent,
    MeetingResult,
)
EVENT_TYPES: tuple[str, ...] = tuple(
    get_args(m.model_fields["type"].annotation)[0] for m in EVENT_MODELS
)
EVENT_MODEL: dict[str, type[Event]] = dict(zip(EVENT_TYPES, EVENT_MODELS, strict=True))


def stored_event(payload: str, stored_type: str) -> AnyEvent:
    """A stored event read from its JSON by the model of the type stored beside it (reading
    builds the validators of the types read, as a file's reading does, not the union's of
    every type); by the union, whose choice the payload's own `type` makes, if that model
    refuses it (the stored type is not the payload's): the event read is the payload's either
    way."""
    model = EVENT_MODEL.get(stored_type)
    if model is not None:
        try:
            return cast("AnyEvent", model.model_validate_json(payload))
        except ValidationError:
            pass
    return EVENT_ADAPTER.validate_json(payload)


# The events that record a vote of the board or a consent of holders, naming who voted or
# consented: a group's election or a series' consent to convert (Art. IV.B.3(a),
# 3(b)(ii)(B), 3(b)(iii)(B)), a waiver of the right of first refusal by the board or by the
# stockholders' written consent (Bylaws Art. VIII §1(g)), a plan adopted by the board with
# the approvals the terms require, the number of directors fixed by the board or the
# stockholders (Bylaws Art. III §1), and a resolution of the board at a meeting or by the
# written consent of every director (§8, §9), a written consent of stockholders taking a
# corporate action without a meeting (Bylaws Art. II §11), and the ballots of a stockholder
# meeting (§8-§10). Counsel and directors record these (and only these)
# through the web application.
VoteOrConsent = Annotated[
    ConvertElection
    | RofrWaive
    | AdoptPlan
    | BoardSize
    | BoardApproval
    | StockholderConsent
    | MeetingResult,
    Field(discriminator="type"),
]
VOTE_AND_CONSENT_TYPES: tuple[str, ...] = tuple(
    get_args(m.model_fields["type"].annotation)[0] for m in get_args(get_args(VoteOrConsent)[0])
)


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as it is written in a ledger file (only the fields that were given)."""
    data: dict[str, Any] = event.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data["type"] = getattr(event, "type")  # noqa: B009 - always written
    return data


def event_to_json(event: Event) -> str:
    """The event as stored: compact JSON of the fields that were given."""
    return event.model_dump_json(by_alias=True, exclude_unset=True)


class Stakeholder(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: Ident
    name: str
    address: str | None = None
    relations: list[str] = []

    def has_relation(self, relation: str) -> bool:
        return relation in self.relations


class Company(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str
    terms: str
