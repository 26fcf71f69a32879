"""A holder's own page (issue 12): holdings with percentages, grants with a vesting chart,
what it would receive at a chosen exit, its certificates; a stockholder opens only its own,
an administrator any holder's."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from charter.web.app import create_app
from tests.web_support import QUINTUS, World, sign_in


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.url)) as c:
        yield c


def test_administrator_opens_a_holders_page_with_its_vesting_charts(client: TestClient) -> None:
    """Chen on 1999-10-31: opt-1995-01 (300,000 from 1995-03-15, 48 months) fully vested;
    opt-1997-02 (100,000 monthly over 48 months from 1997-04-01): 30 months, 100,000 x 30 /
    48 = 62,500 vested, next 1999-11-01. Two charts, each with today's line."""
    sign_in(client, "admin")
    r = client.get(f"/c/{QUINTUS}/holder?holder=s.chen&exit=60000000")
    assert r.status_code == 200, r.text
    assert r.text.count('<svg class="vesting"') == 2
    assert r.text.count('class="today"') == 2
    section = r.text.split('data-grant="opt-1997-02"')[1]
    assert "Vested 62,500" in section and "next vests 1999-11-01" in section
    assert re.search(r'id="receives">Would receive <strong>[0-9,]+\.[0-9]{2}</strong>', r.text)
    assert 'id="percentages"' in r.text


def test_a_stockholder_sees_its_own_page_and_no_one_elses(client: TestClient) -> None:
    sign_in(client, "ashworth")
    own = client.get(f"/c/{QUINTUS}/holder")
    assert own.status_code == 200 and "r.ashworth" in own.text
    assert "2,100,000" in own.text  # her common, after the gift to her trust
    other = client.get(f"/c/{QUINTUS}/holder?holder=s.chen")
    assert other.status_code == 404 and "s.chen" not in other.text


def test_an_unknown_holder_is_not_found(client: TestClient) -> None:
    sign_in(client, "admin")
    r = client.get(f"/c/{QUINTUS}/holder?holder=nobody%3Cscript%3E")
    assert r.status_code == 404 and "<script>" not in r.text
