"""The features of the web application, in the order of the navigation.

Each feature is one page (and its API endpoints) over one engine. The cap-table, history and
terms features exist now; the others are declared with the issue that brings their engine and
appear in the navigation, greyed, until their router is set. To plug an engine in: write
`web/pages_<concept>.py` with an `APIRouter` whose page lives at `/c/{company}/<key>`, and
give it here as `router=` (and `api=` for its JSON endpoints under `/api/companies/{company}`).
"""

from __future__ import annotations

import msgspec
from fastapi import APIRouter

EVERYONE = frozenset({"administrator", "counsel", "director", "stockholder"})
OFFICERS = frozenset({"administrator", "counsel", "director"})
ADMINISTRATORS = frozenset({"administrator"})


class Feature(msgspec.Struct, frozen=True):
    key: str  # the page is /c/{company}/{key}
    title: str
    roles: frozenset[str]
    router: APIRouter | None = None  # None: the engine has not landed yet
    api: APIRouter | None = None
    arrives_with: str | None = None  # what brings it, while it is pending

    @property
    def ready(self) -> bool:
        return self.router is not None


def features() -> list[Feature]:
    """The navigation, in order (built on call so that routers are imported lazily)."""
    from charter.web import (
        pages,
        pages_consents,
        pages_conversion,
        pages_dividends,
        pages_entry,
        pages_governance,
        pages_holder,
        pages_members,
        pages_records,
        pages_scenario,
        pages_value,
        pages_waterfall,
    )

    return [
        Feature("", "Overview", EVERYONE, pages.overview_router),
        Feature("captable", "Cap table", EVERYONE, pages.captable_router),
        Feature("history", "Ledger history", EVERYONE, pages.history_router),
        Feature("terms", "Terms in force", EVERYONE, pages.terms_router),
        Feature("holder", "A holder's page", EVERYONE, pages_holder.router),
        # --- pending: each appears when its engine lands -------------------------------
        Feature(
            "waterfall", "Waterfall explorer", EVERYONE, pages_waterfall.router, pages_waterfall.api
        ),
        Feature(
            "ipo", "IPO simulator", EVERYONE, pages_conversion.ipo_router, pages_conversion.api
        ),
        Feature("dividend", "Dividend", EVERYONE, pages_dividends.router, pages_dividends.api),
        Feature(
            "conversion-prices",
            "Conversion prices",
            EVERYONE,
            pages_conversion.conversion_prices_router,
        ),
        Feature(
            "votes",
            "Votes and board",
            OFFICERS,
            pages_governance.votes_router,
            pages_governance.api,
        ),
        Feature("meetings", "Meetings and approvals", OFFICERS, pages_governance.meetings_router),
        Feature(
            "consents",
            "Record votes and consents",
            OFFICERS,
            pages_consents.router,
            pages_consents.api,
        ),
        Feature("entry", "Record events", ADMINISTRATORS, pages_entry.router),
        Feature(
            "rofr", "Right of first refusal", OFFICERS, pages_records.rofr_router, pages_records.api
        ),
        Feature("certificates", "Certificates", EVERYONE, pages_records.certificates_router),
        Feature("scenario", "Scenario", OFFICERS, pages_scenario.router),
        Feature("value", "Value per share", OFFICERS, pages_value.router),
        Feature("members", "Members", ADMINISTRATORS, pages_members.router, pages_members.api),
    ]
