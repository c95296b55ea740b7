"""Reviewers' decisions: recorded with who and when, applied by the kpi view, kept across re-runs and changed
documents, exported and imported all-or-nothing, and safe when two reviewers decide at once."""

from __future__ import annotations

import csv
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from etl import cli, reviews
from tests import review_fixture as rf


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return rf.build(tmp_path / "kpi.duckdb")


@pytest.fixture
def store(db: Path) -> Path:
    return reviews.reviews_path(db)


def _add_missed(store: Path, reviewer: str = "alice") -> int:
    doc = rf.document()
    start = doc.text.index(rf.MISSED)
    return reviews.add_figure(store, {"id": doc.sha256, "source": doc.source, "text": doc.text}, start,
                              start + len(rf.MISSED), {"metric": "caseload_per_worker", "value": "17"}, reviewer)


def _state(db: Path) -> dict[str, str]:
    return dict(zip(rf.reviewed(db).metric, rf.reviewed(db).review_state, strict=True))


def test_figures_start_unreviewed_and_the_published_kpi_view_is_the_extracted_one(db: Path) -> None:
    assert set(_state(db).values()) == {"unreviewed"}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM kpi").fetchone() == con.execute(
            "SELECT count(*) FROM kpi_extracted").fetchone() == (4,)


def test_accept_records_reviewer_time_and_what_the_extractor_said(db: Path, store: Path) -> None:
    reviews.decide(store, rf.figure(db, "agency_staff_pct"), "accept", "alice")
    row = reviews.history(store).iloc[0]
    assert (row.action, row.reviewer, row.metric, row.old_value, row.old_as_of) == (
        "accept", "alice", "agency_staff_pct", 18.0, "2023-03")
    assert row.decided_at.startswith("20") and row.decided_at.endswith("+00:00")
    assert _state(db)["agency_staff_pct"] == "accepted"


def test_correct_applies_new_values_and_the_new_metric_unit(db: Path, store: Path) -> None:
    fig = rf.figure(db, "children_looked_after")
    reviews.decide(store, fig, "correct", "bob", {**fig, "metric": "children_in_need", "value": "69",
                                                   "as_of": "2019-01", "qualifier": "approx"}, "typo")
    now = rf.figure(db, "children_in_need")
    assert (now["value"], now["as_of"], now["qualifier"], now["review_state"], now["reviewer"]) == (
        69.0, "2019-01", "approx", "corrected", "bob")
    assert str(now["period_day"])[:10] == "2019-01-01"
    row = reviews.history(store).iloc[0]
    assert (row.old_value, row.new_value, row.new_metric, row.reason) == (690.0, 69.0, "children_in_need", "typo")


def test_correct_with_bad_values_records_nothing(db: Path, store: Path) -> None:
    fig = rf.figure(db, "children_looked_after")
    with pytest.raises(reviews.ReviewError, match="not a number"):
        reviews.decide(store, fig, "correct", "bob", {**fig, "value": "lots"})
    with pytest.raises(reviews.ReviewError, match="Nothing was changed"):
        reviews.decide(store, fig, "correct", "bob", fig)
    assert reviews.history(store).empty


def test_reject_needs_a_reason_and_removes_the_figure(db: Path, store: Path) -> None:
    fig = rf.figure(db, "overspend_gbp")
    with pytest.raises(reviews.ReviewError, match="why"):
        reviews.decide(store, fig, "reject", "bob", reason="  ")
    reviews.decide(store, fig, "reject", "bob", reason="a forecast, not an outturn")
    assert "overspend_gbp" not in _state(db)
    assert reviews.history(store).reason.tolist() == ["a forecast, not an outturn"]


def test_added_figure_appears_with_its_quote_and_offsets(db: Path, store: Path) -> None:
    _add_missed(store)
    added = rf.figure(db, "caseload_per_worker")
    assert (added["value"], added["unit"], added["quote"], added["review_state"]) == (
        17.0, "cases", rf.MISSED, "added")
    doc = rf.document()
    assert doc.text[added["start"]:added["end"]] == rf.MISSED


def test_add_outside_the_document_is_refused(store: Path) -> None:
    doc = rf.document()
    with pytest.raises(reviews.ReviewError, match="not a span"):
        reviews.add_figure(store, {"id": doc.sha256, "source": doc.source, "text": doc.text}, 10, 10_000,
                           {"metric": "caseload_per_worker", "value": 17}, "alice")


def test_reviewed_only_keeps_accepted_corrected_and_added(db: Path, store: Path) -> None:
    reviews.decide(store, rf.figure(db, "agency_staff_pct"), "accept", "alice")
    _add_missed(store)
    assert sorted(rf.reviewed(db, only_reviewed=True).metric) == ["agency_staff_pct", "caseload_per_worker"]


def _decide_all(db: Path, store: Path) -> None:
    reviews.decide(store, rf.figure(db, "agency_staff_pct"), "accept", "alice")
    fig = rf.figure(db, "children_looked_after")
    reviews.decide(store, fig, "correct", "bob", {**fig, "value": 69})
    reviews.decide(store, rf.figure(db, "overspend_gbp"), "reject", "bob", reason="a forecast")
    _add_missed(store)


EXPECTED = {"permanent_staff_pct": "unreviewed", "agency_staff_pct": "accepted", "children_looked_after": "corrected",
            "caseload_per_worker": "added"}


def test_decisions_survive_a_full_rerun(db: Path, store: Path) -> None:
    _decide_all(db, store)
    db.unlink()
    rf.build(db)  # the ETL builds the warehouse again from nothing and publishes it
    assert _state(db) == EXPECTED
    assert rf.figure(db, "children_looked_after")["value"] == 69.0


def test_decisions_follow_their_sentences_into_a_changed_document(db: Path, store: Path) -> None:
    _decide_all(db, store)
    changed = rf.document(preamble="Apologies were received from Cllr Smith.\n")
    rf.build(db, changed)
    assert _state(db) == EXPECTED
    added = rf.figure(db, "caseload_per_worker")
    assert changed.text[added["start"]:added["end"]] == rf.MISSED
    assert added["document_id"] == changed.sha256


def test_changed_extraction_goes_back_to_the_queue_marked_changed_since_review(db: Path, store: Path) -> None:
    _decide_all(db, store)
    sentences = [(s, m, u, 19.0 if m == "agency_staff_pct" else v, lo, hi, a, c, f)
                 for s, m, u, v, lo, hi, a, c, f in rf.SENTENCES]
    rf.build(db, rf.document(sentences, preamble="A new line.\n"))
    fig = rf.figure(db, "agency_staff_pct")
    assert (fig["review_state"], fig["value"], fig["reviewer"]) == ("changed_since_review", 19.0, "alice")
    reviews.decide(store, fig, "accept", "bob")  # deciding again puts it back among the reviewed
    assert _state(db)["agency_staff_pct"] == "accepted"


def test_a_decision_on_a_figure_already_decided_since_it_was_shown_is_refused(db: Path, store: Path) -> None:
    shown = rf.figure(db, "agency_staff_pct")
    reviews.decide(store, shown, "accept", "alice")
    with pytest.raises(reviews.ReviewConflict, match="alice already decided"):
        reviews.decide(store, shown, "reject", "bob", reason="looks wrong")
    assert reviews.history(store).reviewer.tolist() == ["alice"]


def test_two_reviewers_deciding_at_once_end_with_one_decision_and_the_other_told(db: Path, store: Path) -> None:
    shown = rf.figure(db, "agency_staff_pct")
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def reviewer(name: str) -> None:
        start.wait()
        try:
            reviews.decide(store, shown, "accept", name)
            outcomes.append("recorded")
        except reviews.ReviewConflict:
            outcomes.append("told")

    threads = [threading.Thread(target=reviewer, args=(f"r{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["recorded"] + ["told"] * 5
    assert len(reviews.history(store)) == 1


def test_the_store_refuses_a_second_successor_of_one_decision(db: Path, store: Path) -> None:
    key = rf.figure(db, "agency_staff_pct")["figure_key"]
    reviews.decide(store, rf.figure(db, "agency_staff_pct"), "accept", "alice")
    with sqlite3.connect(store) as con, pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO reviews (figure_key, supersedes, action, document_id, source, start, \"end\", "
                    "quote, metric, reviewer, decided_at) VALUES (?, 0, 'reject', 'd', 's', 0, 1, 'q', 'm', 'bob', "
                    "'now')", [key])


def test_export_then_import_into_an_empty_store_gives_the_same_decisions(db: Path, store: Path,
                                                                        tmp_path: Path) -> None:
    _decide_all(db, store)
    out = tmp_path / "decisions.csv"
    assert reviews.export_csv(store, out) == 4
    other = tmp_path / "restored.sqlite"
    assert reviews.import_csv(other, out, db) == 4
    assert reviews.history(other).equals(reviews.history(store))
    assert reviews.import_csv(store, out, db) == 0  # already recorded: nothing twice


def _write(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=sorted({k for r in rows for k in r}))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_with_a_bad_row_reports_every_bad_line_and_writes_nothing(db: Path, store: Path,
                                                                         tmp_path: Path) -> None:
    agency, looked_after = rf.figure(db, "agency_staff_pct"), rf.figure(db, "children_looked_after")
    doc = rf.document()
    start = doc.text.index(rf.MISSED)
    rows = [
        {"figure_key": agency["figure_key"], "action": "accept"},
        {"figure_key": looked_after["figure_key"], "action": "correct", "new_metric": "children_looked_after",
         "new_value": "seventy"},
        {"figure_key": "nope", "action": "accept"},
        {"action": "add", "document_id": doc.sha256, "start": start, "end": start + len(rf.MISSED),
         "new_metric": "caseload_per_worker", "new_value": "17"},
        {"figure_key": agency["figure_key"], "action": "reject"},
    ]
    with pytest.raises(reviews.ReviewError) as err:
        reviews.import_csv(store, _write(tmp_path / "bulk.csv", rows), db, reviewer="carol")
    message = str(err.value)
    assert "bulk.csv line 3: new value 'seventy' is not a number" in message
    assert "bulk.csv line 4: figure_key 'nope' is not a figure in the warehouse" in message
    assert "bulk.csv line 6: a rejection needs a reason" in message
    assert "line 2" not in message and "line 5" not in message
    assert reviews.history(store).empty


def test_import_of_good_rows_records_them_all_for_the_named_reviewer(db: Path, store: Path, tmp_path: Path) -> None:
    agency = rf.figure(db, "agency_staff_pct")
    rows = [{"figure_key": agency["figure_key"], "action": "accept"},
            {"figure_key": rf.figure(db, "overspend_gbp")["figure_key"], "action": "reject", "reason": "forecast"}]
    assert reviews.import_csv(store, _write(tmp_path / "bulk.csv", rows), db, reviewer="carol") == 2
    assert reviews.history(store).reviewer.tolist() == ["carol", "carol"]
    assert reviews.history(store).old_value.tolist() == [18.0, 552_000.0]


def test_import_stops_whole_when_a_figure_was_decided_since_the_file_was_made(db: Path, store: Path,
                                                                             tmp_path: Path) -> None:
    _decide_all(db, store)
    out = tmp_path / "decisions.csv"
    reviews.export_csv(store, out)
    other = tmp_path / "other.sqlite"
    shown = {**rf.figure(db, "children_looked_after"), "review_id": None}  # as the other store knew it
    reviews.decide(other, shown, "accept", "dave")  # a decision the file lacks
    with pytest.raises(reviews.ReviewConflict, match="line 3"):
        reviews.import_csv(other, out, db)
    assert reviews.history(other).reviewer.tolist() == ["dave"]


def test_cli_reviews_export_and_import(db: Path, store: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _decide_all(db, store)
    out = tmp_path / "d.csv"
    assert cli.main(["reviews", "--db", str(db), "export", str(out)]) == 0
    assert cli.main(["reviews", "--db", str(db), "--reviews", str(tmp_path / "x.sqlite"), "import", str(out)]) == 0
    assert "4 decisions recorded" in capsys.readouterr().out
    _write(out, [{"figure_key": "nope", "action": "accept", "reviewer": "x"}])
    assert cli.main(["reviews", "--db", str(db), "import", str(out)]) == 1
    assert "d.csv line 2: figure_key 'nope'" in capsys.readouterr().err


def test_two_figures_of_one_metric_in_one_sentence_are_decided_apart(tmp_path: Path) -> None:
    sentence = "Savings of £552k, of which £452k from staffing and £100k from transport."
    doc = rf.document([(sentence, "savings_gbp", "gbp", 452_000.0, None, None, "2019", 0.4, [])])
    doc.figures.append(replace(doc.figures[0], value=100_000.0))  # same sentence, same span, same metric
    db = rf.build(tmp_path / "kpi.duckdb", doc)
    store = reviews.reviews_path(db)
    first, second = rf.reviewed(db).sort_values("value", ascending=False).to_dict("records")  # £452k, then £100k
    assert first["figure_key"] != second["figure_key"] and first["start"] == second["start"]
    reviews.decide(store, first, "accept", "alice")
    reviews.decide(store, second, "reject", "alice", reason="transport is not children's services")
    now = rf.reviewed(db)
    assert now[["value", "review_state"]].values.tolist() == [[452_000.0, "accepted"]]
