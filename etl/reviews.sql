-- Reviewers' decisions (SQLite, data/reviews.sqlite), kept apart from the DuckDB file the ETL republishes.
-- Rows are only ever added: a new decision on a figure supersedes the latest one, never edits it.

CREATE TABLE IF NOT EXISTS reviews (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    figure_key     TEXT NOT NULL,            -- etl.warehouse.figure_key: document hash + span + metric
    supersedes     INTEGER NOT NULL DEFAULT 0, -- the decision on this figure it replaces; 0 for the first
    action         TEXT NOT NULL CHECK (action IN ('accept', 'correct', 'reject', 'add')),
    document_id    TEXT NOT NULL,            -- the span the decision is about, so it can be found again
    source         TEXT NOT NULL,            -- when the document changes (same source, new hash)
    "start"        INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    quote          TEXT NOT NULL,
    metric         TEXT NOT NULL,            -- the metric in the key
    old_value      REAL,                     -- what the extractor said (NULL for an added figure) ...
    old_low        REAL,
    old_high       REAL,
    old_as_of      TEXT,
    old_kind       TEXT,
    old_qualifier  TEXT,
    old_scope      TEXT,
    new_metric     TEXT,                     -- ... and what the reviewer says instead (correct and add)
    new_value      REAL,
    new_low        REAL,
    new_high       REAL,
    new_as_of      TEXT,
    new_kind       TEXT,
    new_qualifier  TEXT,
    new_scope      TEXT,
    reviewer       TEXT NOT NULL,
    decided_at     TEXT NOT NULL,            -- ISO 8601, UTC
    reason         TEXT
);

-- Two reviewers replacing the same decision at once: only one row can supersede it.
CREATE UNIQUE INDEX IF NOT EXISTS reviews_one_successor ON reviews (figure_key, supersedes);
