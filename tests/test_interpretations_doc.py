"""docs/interpretations.md is rendered from the registry of readings (DESIGN.md principle 4)."""

from __future__ import annotations

from charter.explain import all_interpretations, render_markdown
from tests.conftest import ROOT


def test_docs_interpretations_is_rendered_from_the_registry() -> None:
    """Regenerate with: python -c "from charter.explain import render_markdown;
    open('docs/interpretations.md', 'w').write(render_markdown())"."""
    assert (ROOT / "docs" / "interpretations.md").read_text(encoding="utf-8") == render_markdown()


def test_waterfall_and_dividend_readings_are_declared_with_defaults() -> None:
    ids = {i.id: i for i in all_interpretations()}
    assert ids["cash-amount-priority"].default == "beside-own-preferences"
    assert ids["undeclared-unpaid-dividends"].default == "declared-unpaid"
    assert ids["dividend-if-greater-basis"].default == "as-converted"
