"""The documentation the project promises stays true."""

from __future__ import annotations

from charter.explain import render_markdown
from tests.conftest import ROOT


def test_docs_interpretations_is_the_registry_rendered() -> None:
    """docs/interpretations.md is generated from the registry: regenerate it with
    `charter interpretations --markdown > docs/interpretations.md`."""
    assert (ROOT / "docs" / "interpretations.md").read_text() == render_markdown()
