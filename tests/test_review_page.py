"""The Review page headless (AppTest): anyone may look, only signed-in reviewers may write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import reviews, users
from tests import review_fixture as rf
from tests.conftest import ROOT

PAGE = str(ROOT / "app_pages" / "review.py")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fixture warehouse and users file named by KPI_DB and KPI_USERS; yields the decisions file."""
    db = rf.build(tmp_path / "kpi.duckdb")
    users.add_user("rita", "reviewer", "rita-password", tmp_path / "users.toml")
    users.add_user("vic", "viewer", "vic-password", tmp_path / "users.toml")
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_USERS", str(tmp_path / "users.toml"))
    yield reviews.reviews_path(db)


def _page(user: str | None = None, tab: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    if tab:
        at.session_state["review_tab"] = tab
    if user:
        at.session_state["user"] = users.authenticate(user, f"{user}-password")
    return at.run()


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_without_users_the_page_says_how_to_create_the_first_admin(env: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_USERS", str(tmp_path / "nobody.toml"))
    at = _page()
    assert "python -m etl users add YOUR_NAME --role admin" in at.warning[0].value
    assert not [b for b in at.button if b.label == "Accept"]


def test_signed_out_visitor_sees_the_least_sure_figure_but_no_write_controls(env: Path) -> None:
    at = _page()
    assert not at.exception
    assert at.subheader[0].value == "Agency staff %: 18%"  # confidence 0.3, the lowest
    context = next(m.value for m in at.markdown if "review-context" in m.value)
    assert 'The agency rate stood at <mark style=' in context and ">18</mark>% in March 2023" in context
    assert not [b for b in at.button if b.label in ("Accept", "Reject", "Save correction", "Add figure")]
    assert [b for b in at.button if b.label == "Sign in"]


def test_sign_in_with_a_wrong_password_is_refused(env: Path) -> None:
    at = _page()
    at.text_input[0].set_value("rita")
    at.text_input[1].set_value("not-her-password")
    _button(at, "Sign in").click().run()
    assert "do not match" in at.error[0].value
    assert "user" not in at.session_state


def test_sign_in_then_accept_records_the_reviewer_and_shows_the_next_figure(env: Path) -> None:
    at = _page()
    at.text_input[0].set_value("rita")
    at.text_input[1].set_value("rita-password")
    _button(at, "Sign in").click().run()
    _button(at, "Accept").click().run()
    row = reviews.history(env).iloc[0]
    assert (row.action, row.reviewer, row.metric) == ("accept", "rita", "agency_staff_pct")
    assert "Accepted Agency staff %" in at.success[0].value
    assert at.subheader[0].value == "Overspend: £552k"  # confidence 0.5, the next lowest


def test_a_decisions_outcome_stays_through_a_rerun_until_the_next_decision(env: Path) -> None:
    at = _page("rita")
    _button(at, "Accept").click().run()
    at.run()
    assert [s.value for s in at.success] == ["Accepted Agency staff % 18% (Bromley)."]
    _button(at, "Accept").click().run()
    assert [s.value for s in at.success] == ["Accepted Overspend £552k (Bromley)."]


def test_viewer_may_look_but_not_decide(env: Path) -> None:
    at = _page("vic")
    assert "role is viewer" in at.info[0].value
    assert not [b for b in at.button if b.label == "Accept"]


def test_reject_without_a_reason_is_refused_and_with_one_recorded(env: Path) -> None:
    at = _page("rita")
    _button(at, "Reject").click().run()
    assert "Say why" in at.error[0].value
    assert reviews.history(env).empty
    next(t for t in at.text_input if t.label == "Reason to reject").set_value("the national rate")
    _button(at, "Reject").click().run()
    assert reviews.history(env).reason.tolist() == ["the national rate"]


def test_correct_records_old_and_new_values(env: Path) -> None:
    at = _page("rita")
    next(t for t in at.text_input if t.label == "Value").set_value("16.5")
    _button(at, "Save correction").click().run()
    row = reviews.history(env).iloc[0]
    assert (row.action, row.old_value, row.new_value, row.reviewer) == ("correct", 18.0, 16.5, "rita")


def test_add_finds_the_words_in_the_document_and_records_the_span(env: Path) -> None:
    at = _page("rita", tab="Add a missed figure")
    next(t for t in at.text_input if t.label.startswith("The exact words")).set_value(rf.MISSED[:-1]).run()
    assert any(c.value.startswith("Characters ") for c in at.caption)
    form_metric = [s for s in at.selectbox if s.label == "Metric"][-1]
    form_metric.set_value("caseload_per_worker")
    [t for t in at.text_input if t.label == "Value"][-1].set_value("17")
    _button(at, "Add figure").click().run()
    row = reviews.history(env).iloc[0]
    assert (row.action, row.new_metric, row.new_value, row.quote) == ("add", "caseload_per_worker", 17.0,
                                                                      rf.MISSED[:-1])


def test_a_figure_decided_by_someone_else_meanwhile_is_not_overwritten(env: Path, tmp_path: Path) -> None:
    at = _page("rita")
    reviews.decide(env, rf.figure(tmp_path / "kpi.duckdb", "agency_staff_pct"), "accept", "someone")
    _button(at, "Accept").click().run()
    assert "someone already decided" in at.warning[0].value
    assert reviews.history(env).reviewer.tolist() == ["someone"]


def test_other_pages_see_the_review_state_and_can_be_limited_to_reviewed(env: Path, tmp_path: Path) -> None:
    from dashboard import charts, queries

    reviews.decide(env, rf.figure(tmp_path / "kpi.duckdb", "agency_staff_pct"), "accept", "rita")
    df = charts.with_labels(queries.trend_in("agency_staff_pct", ["Bromley"], 0, 9999))
    assert df.review.tolist() == ["Checked by a reviewer"]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["reviewed_only"] = True
    at.run()
    assert at.sidebar.toggle[0].value is True
    evidence = queries._cached("SELECT metric, review_state FROM kpi", (), queries.db_version(),
                               reviews.version(env), True)
    assert evidence.values.tolist() == [["agency_staff_pct", "accepted"]]
