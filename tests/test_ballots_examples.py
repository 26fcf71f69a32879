"""The example input files of docs/ballots.md are read and decided as the document says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

EXAMPLES = Path(__file__).parent.parent / "examples"
LEDGER = str(EXAMPLES / "quintus.yaml")


def test_board_tally_example_majority_of_directors_present(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Bylaws Art. III §8: 3 of the 4 directors are present, a quorum (a majority of 4 is 3);
    an act needs a majority of the 3 present, 2. `budget`: 2 for, so it passes;
    `option-grants`: 1 for (one abstains), so it fails."""
    code, out, err = run_cli(
        capsys, "board-tally", str(EXAMPLES / "ballots/board-tally.yaml"), "--ledger", LEDGER,
        "--json",
    )  # fmt: skip
    assert code == 0, err
    items = {i["id"]: i for i in json.loads(out)["items"]}
    assert (items["budget"]["passed"], items["option-grants"]["passed"]) == (True, False)


@pytest.mark.parametrize(
    "args",
    [
        ["tally", str(EXAMPLES / "ballots/tally.yaml")],
        [
            "consent",
            "--action",
            "amend_bylaws",
            "--consents",
            str(EXAMPLES / "ballots/consent.yaml"),
        ],
    ],
    ids=["tally", "consent"],
)
def test_stockholder_examples_are_read(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    """The tally and consent examples of docs/ballots.md are valid input."""
    code, _, err = run_cli(capsys, *args, "--ledger", LEDGER)
    assert code == 0, err


def test_board_tally_items_written_as_in_a_stockholder_tally(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """docs/ballots.md: `items: [{id: budget}]` is `items: [budget]` in both files. Bylaws
    Art. III §8: 2 of the 3 directors present vote for: a majority of 3 is 2, so it passes."""
    f = tmp_path / "minutes.yaml"
    f.write_text(
        "date: 1999-10-15\npresent: [r.ashworth, d.okafor, e.whitford]\n"
        "items: [{id: budget}]\nballots:\n"
        "  - {director: r.ashworth, item: budget, vote: for}\n"
        "  - {director: d.okafor, item: budget, vote: for}\n"
    )
    code, out, err = run_cli(capsys, "board-tally", str(f), "--ledger", LEDGER, "--json")
    assert code == 0, err
    assert json.loads(out)["items"][0]["passed"] is True
