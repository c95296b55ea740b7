-- Per connection, over the published warehouse: the figures with reviewers' decisions applied.
-- review_decisions is registered by dashboard/queries.py from data/reviews.sqlite (the newest decision per figure).
-- kpi_reviewed keeps every figure not rejected, with review_state; kpi (shadowing the published view)
-- is what every page reads: kpi_reviewed, limited to reviewed figures when the variable reviewed_only is true.

CREATE OR REPLACE TEMP VIEW review_anchor AS
SELECT * FROM (
    -- a decision on a document still published applies to its own span ...
    SELECT r.*, r.document_id AS doc_now, r."start" AS start_now
    FROM review_decisions AS r
    WHERE r.document_id IN (SELECT id FROM documents)
    UNION ALL BY NAME
    -- ... and one on a document since changed (same source, new hash) follows its sentence into the new text
    SELECT r.*, d.id AS doc_now, strpos(d.text, r.quote) - 1 AS start_now
    FROM review_decisions AS r JOIN documents AS d ON d.source = r.source
    WHERE r.document_id NOT IN (SELECT id FROM documents) AND strpos(d.text, r.quote) > 0
)
-- the newest decision per figure key; a decision carried over from an older text, per span and metric
QUALIFY row_number() OVER (PARTITION BY doc_now, start_now, "end" - "start", metric,
                                        CASE WHEN document_id = doc_now THEN figure_key END
                           ORDER BY review_id DESC) = 1;

CREATE OR REPLACE TEMP VIEW kpi_reviewed AS
WITH judged AS (
    SELECT k.*, a.review_id, a.figure_key AS review_key, a.action AS review_action, a.reviewer,
           a.decided_at AS reviewed_at, a.reason AS review_reason,
           a.new_metric, a.new_value, a.new_low, a.new_high, a.new_as_of, a.new_as_of_day, a.new_kind,
           a.new_qualifier, a.new_scope,
           CASE WHEN a.review_id IS NULL THEN 'unreviewed'
                WHEN a.action <> 'add' AND (k.value IS DISTINCT FROM a.old_value OR k.low IS DISTINCT FROM a.old_low
                     OR k.high IS DISTINCT FROM a.old_high OR k.as_of IS DISTINCT FROM a.old_as_of
                     OR k.kind IS DISTINCT FROM a.old_kind OR k.qualifier IS DISTINCT FROM a.old_qualifier
                     OR k.scope IS DISTINCT FROM a.old_scope) THEN 'changed_since_review'
                WHEN a.action = 'accept' THEN 'accepted'
                WHEN a.action = 'reject' THEN 'rejected'
                ELSE 'corrected' END AS review_state
    FROM kpi_extracted AS k
    LEFT JOIN review_anchor AS a
        ON a.doc_now = k.document_id AND a.start_now = k."start" AND a.start_now + (a."end" - a."start") = k."end"
       AND a.metric = k.metric AND (a.document_id <> a.doc_now OR a.figure_key = k.figure_key)
    -- one decision per figure: its own key's first, else one carried over (the one about the same value first)
    QUALIFY row_number() OVER (PARTITION BY k.figure_key ORDER BY a.document_id = a.doc_now DESC NULLS LAST,
                                            a.old_value IS NOT DISTINCT FROM k.value DESC, a.review_id DESC) = 1
), applied AS (
    SELECT j.* EXCLUDE (new_metric, new_value, new_low, new_high, new_as_of, new_as_of_day, new_kind, new_qualifier,
                        new_scope)
           REPLACE (
        coalesce(m.metric, j.metric) AS metric, coalesce(m.label, j.label) AS label,
        coalesce(m.family, j.family) AS family, coalesce(m.unit, j.unit) AS unit,
        CASE WHEN m.metric IS NULL THEN j.value ELSE j.new_value END AS value,
        CASE WHEN m.metric IS NULL THEN j.low ELSE j.new_low END AS low,
        CASE WHEN m.metric IS NULL THEN j.high ELSE j.new_high END AS high,
        CASE WHEN m.metric IS NULL THEN j.as_of ELSE j.new_as_of END AS as_of,
        CASE WHEN m.metric IS NULL THEN j.period_day
             ELSE coalesce(j.new_as_of_day, CASE WHEN j.new_kind = 'actual' THEN j.meeting_day END) END AS period_day,
        CASE WHEN m.metric IS NULL THEN j.kind ELSE j.new_kind END AS kind,
        CASE WHEN m.metric IS NULL THEN j.qualifier ELSE j.new_qualifier END AS qualifier,
        CASE WHEN m.metric IS NULL THEN j.scope ELSE j.new_scope END AS scope)
    FROM judged AS j LEFT JOIN metrics AS m ON j.review_state = 'corrected' AND m.metric = j.new_metric
    WHERE j.review_state <> 'rejected'
), added AS (
    SELECT a.figure_key, d.id AS document_id, d.council, c.region, c.la_type, d.committee, d.title, d.meeting_date,
           d.meeting_day, d.source, d.file_name, d.url, m.metric, m.label, m.family, m.unit, a.new_value AS value,
           a.new_low AS low, a.new_high AS high, a.new_as_of AS as_of,
           coalesce(a.new_as_of_day, CASE WHEN a.new_kind = 'actual' THEN d.meeting_day END) AS period_day,
           a.new_kind AS kind, a.new_qualifier AS qualifier, a.new_scope AS scope, a.quote, a.start_now AS "start",
           a.start_now + (a."end" - a."start") AS "end", []::VARCHAR[] AS flags, 1.0 AS confidence,
           'reviewer' AS extractor_version, a.review_id, a.figure_key AS review_key, a.action AS review_action,
           a.reviewer, a.decided_at AS reviewed_at, a.reason AS review_reason, 'added' AS review_state
    FROM review_anchor AS a
    JOIN documents AS d ON d.id = a.doc_now
    JOIN metrics AS m ON m.metric = a.new_metric
    LEFT JOIN councils AS c ON c.name = d.council
    WHERE a.action = 'add' AND NOT EXISTS (
        SELECT 1 FROM kpi_extracted AS k
        WHERE k.document_id = a.doc_now AND k."start" = a.start_now AND k.metric = a.metric
          AND k."end" = a.start_now + (a."end" - a."start"))
)
SELECT * FROM applied
UNION ALL BY NAME
SELECT * FROM added;

CREATE OR REPLACE TEMP VIEW kpi AS
SELECT * FROM kpi_reviewed
WHERE NOT getvariable('reviewed_only') OR review_state IN ('accepted', 'corrected', 'added');
