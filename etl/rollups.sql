-- Small summaries the dashboard reads instead of scanning every figure (see benchmarks/dashboard_queries.py).
-- Rebuilt from the kpi view at the end of every build, just before the file is published.

-- Figures per council, metric and kind, with the span of periods they describe: filter choices and defaults.
CREATE OR REPLACE TABLE kpi_counts AS
SELECT council, metric, kind, count(*) AS figures, min(period_day) AS first_day, max(period_day) AS last_day
FROM kpi
GROUP BY ALL;

-- The council's own figures found in each document.
CREATE OR REPLACE TABLE document_figures AS
SELECT document_id, count(*) AS figures
FROM figures
WHERE role = 'council'
GROUP BY ALL;

-- Per council and metric: the latest reported figure, the one before it (an earlier period) and the newest
-- target, with the date of the council's newest minutes. Ties go to the later meeting, then the surer figure.
CREATE OR REPLACE TABLE kpi_latest AS
WITH actual AS (
    SELECT *, row_number() OVER (PARTITION BY council, metric ORDER BY period_day DESC NULLS LAST,
                                 meeting_day DESC NULLS LAST, confidence DESC, figure_key) AS rn
    FROM kpi
    WHERE kind = 'actual' AND council IS NOT NULL
),
latest AS (SELECT * FROM actual WHERE rn = 1),
previous AS (
    SELECT a.council, a.metric, a.value, a.low, a.high, a.as_of
    FROM actual AS a JOIN latest AS l USING (council, metric)
    WHERE a.period_day < l.period_day
    QUALIFY row_number() OVER (PARTITION BY a.council, a.metric ORDER BY a.period_day DESC,
                               a.meeting_day DESC NULLS LAST, a.figure_key) = 1
),
target AS (
    SELECT council, metric, value, low, high, as_of, quote
    FROM kpi
    WHERE kind = 'target' AND council IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY council, metric ORDER BY meeting_day DESC NULLS LAST,
                               period_day DESC NULLS LAST, figure_key) = 1
),
newest AS (
    SELECT council, max(meeting_day) AS newest_minutes FROM documents WHERE council IS NOT NULL GROUP BY council
)
SELECT l.figure_key, l.document_id, l.council, l.metric, l.label, l.family, l.unit, l.value, l.low, l.high,
       l.qualifier, l.as_of, l.period_day, l.quote, l.meeting_date, l.meeting_day, l.committee, l.file_name,
       p.value AS prev_value, p.low AS prev_low, p.high AS prev_high, p.as_of AS prev_as_of,
       t.value AS target_value, t.low AS target_low, t.high AS target_high, t.as_of AS target_as_of,
       t.quote AS target_quote, n.newest_minutes
FROM latest AS l
LEFT JOIN previous AS p USING (council, metric)
LEFT JOIN target AS t USING (council, metric)
LEFT JOIN newest AS n USING (council);

-- Every figure as the Evidence page lists it, numbered in its display order (newest period first), so a
-- filtered page of a million figures is a scan of narrow columns and a top-N on one integer.
CREATE OR REPLACE TABLE kpi_evidence AS
SELECT row_number() OVER (ORDER BY period_day DESC NULLS LAST, council, label, figure_key) AS rank,
       year(period_day) AS year, figure_key, document_id, council, metric, label, family, unit, value, low, high,
       qualifier, kind, as_of, period_day, quote, "start", "end", meeting_date, committee, title, file_name, url,
       confidence, scope, flags, review_state
FROM kpi
ORDER BY rank;

-- The same figures clustered by metric and council, so a trend (one metric, a few councils) reads few row groups.
CREATE OR REPLACE TABLE kpi_trend AS
SELECT * EXCLUDE (rank) FROM kpi_evidence ORDER BY metric, council, period_day;
