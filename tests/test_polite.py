"""The polite HTTP client against the fake modern.gov site: User-Agent, pauses, retries, time-outs, size limit."""

from __future__ import annotations

import pytest

from etl.polite import USER_AGENT, Client, HttpError
from tests.fake_modgov import FakeModgov

COMMITTEES = "/mgWebService.asmx/GetCommittees"


pytestmark = pytest.mark.usefixtures("loopback_only")  # nothing but 127.0.0.1 is ever contacted


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> Client:
    return Client(delay=0, timeout=2, retries=2, backoff=0.5, sleep=sleeps.append)


def test_every_request_names_the_product_in_its_user_agent(site: FakeModgov, client: Client) -> None:
    client.get(site.base + COMMITTEES)
    assert site.log[0][1] == USER_AGENT
    assert "childrens-kpi-dashboard" in USER_AGENT


def test_requests_to_one_site_are_spaced_by_the_delay(site: FakeModgov, sleeps: list[float]) -> None:
    polite = Client(delay=0.3, sleep=sleeps.append)
    polite.get(site.base + COMMITTEES)
    polite.get(site.base + COMMITTEES)
    assert len(sleeps) == 1 and 0.2 < sleeps[0] <= 0.3


def test_500s_are_retried_with_growing_backoff_then_succeed(site: FakeModgov, client: Client,
                                                           sleeps: list[float]) -> None:
    site.failures[COMMITTEES] = 2
    assert b"<committees>" in client.get(site.base + COMMITTEES)
    assert site.requests_to(COMMITTEES) == 3
    assert sleeps == [0.5, 1.0]


def test_500s_that_never_stop_are_reported_after_the_last_try(site: FakeModgov, client: Client) -> None:
    site.failures[COMMITTEES] = 99
    with pytest.raises(HttpError, match=r"HTTP 500 .*gave up after 3 tries"):
        client.get(site.base + COMMITTEES)
    assert site.requests_to(COMMITTEES) == 3


def test_404_is_not_retried(site: FakeModgov, client: Client) -> None:
    with pytest.raises(HttpError, match="HTTP 404") as caught:
        client.get(site.base + "/no-such-page.aspx")
    assert caught.value.status == 404
    assert site.requests_to("no-such-page") == 1


def test_time_outs_are_retried_then_reported(site: FakeModgov, sleeps: list[float]) -> None:
    site.stalls[COMMITTEES] = 1.0
    quick = Client(delay=0, timeout=0.2, retries=1, backoff=0, sleep=sleeps.append)
    with pytest.raises(HttpError, match=r"timed out after 0.2 s \(gave up after 2 tries\)"):
        quick.get(site.base + COMMITTEES)
    assert site.requests_to(COMMITTEES) == 2


def test_an_endless_response_is_cut_at_the_size_limit_and_not_retried(site: FakeModgov, sleeps: list[float]) -> None:
    site.endless.add("/documents/huge.pdf")
    small = Client(delay=0, max_bytes=200_000, sleep=sleeps.append)
    with pytest.raises(HttpError, match=r"too large: cut at the 0\.2 MB limit"):
        small.get(site.base + "/documents/huge.pdf")
    assert site.requests_to("huge.pdf") == 1


def test_a_declared_length_over_the_limit_is_refused_before_reading(site: FakeModgov, sleeps: list[float]) -> None:
    small = Client(delay=0, max_bytes=100, sleep=sleeps.append)
    with pytest.raises(HttpError, match=r"too large: .* declared"):
        small.get(site.base + COMMITTEES)
