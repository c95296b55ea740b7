-- The warehouse the ETL publishes and the dashboard reads. Every statement is idempotent.

CREATE TABLE IF NOT EXISTS councils (
    name              VARCHAR PRIMARY KEY,   -- canonical short name, e.g. 'Bromley'
    official_name     VARCHAR,
    ons_code          VARCHAR,
    la_type           VARCHAR,               -- london_borough, unitary, county, metropolitan_district, ...
    region            VARCHAR,
    valid_from        DATE,
    valid_to          DATE,
    successor         VARCHAR,
    aliases           VARCHAR,
    dfe_la_code       VARCHAR,
    former_ons_codes  VARCHAR
);

CREATE TABLE IF NOT EXISTS metrics (
    metric      VARCHAR PRIMARY KEY,         -- id from the KPI catalogue
    family      VARCHAR NOT NULL,            -- workforce, caseload, placements, budget, quality
    unit        VARCHAR NOT NULL,            -- count, pct, gbp, cases, fte, days, per_10k
    label       VARCHAR NOT NULL,
    definition  VARCHAR,
    wording     VARCHAR
);

CREATE TABLE IF NOT EXISTS runs (
    run_id             VARCHAR PRIMARY KEY,
    started_at         TIMESTAMP NOT NULL,
    finished_at        TIMESTAMP,
    extractor_version  VARCHAR,
    files_seen         INTEGER,
    loaded             INTEGER,
    unchanged          INTEGER,
    failed             INTEGER,
    figures_added      INTEGER
);

CREATE TABLE IF NOT EXISTS documents (
    id                 VARCHAR PRIMARY KEY,  -- sha256 of the raw bytes
    source             VARCHAR NOT NULL,     -- path as given, or URL
    file_name          VARCHAR NOT NULL,
    url                VARCHAR,
    title              VARCHAR,
    council            VARCHAR,
    committee          VARCHAR,
    meeting_date       VARCHAR,              -- ISO: YYYY-MM-DD, YYYY-MM or YYYY
    meeting_day        DATE,                 -- meeting_date as a date, for ordering
    text               VARCHAR NOT NULL,     -- the normalised text every offset refers to
    extractor_version  VARCHAR NOT NULL,
    run_id             VARCHAR,
    loaded_at          TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS figures (
    figure_key         VARCHAR NOT NULL,     -- stable across runs: document + span + metric
    document_id        VARCHAR NOT NULL,
    role               VARCHAR NOT NULL,     -- 'council' (the document's own) or 'comparator'
    metric             VARCHAR NOT NULL,
    value              DOUBLE NOT NULL,
    low                DOUBLE,
    high               DOUBLE,
    unit               VARCHAR NOT NULL,
    as_of              VARCHAR,              -- ISO period the figure describes
    as_of_day          DATE,                 -- as_of as a date, for charting
    kind               VARCHAR NOT NULL,     -- 'actual' or 'target'
    qualifier          VARCHAR,              -- NULL, 'approx', 'at_least', 'at_most'
    scope              VARCHAR,
    quote              VARCHAR NOT NULL,
    "start"            INTEGER NOT NULL,     -- quote = documents.text[start:end]
    "end"              INTEGER NOT NULL,
    flags              VARCHAR[],
    confidence         DOUBLE,
    extractor_version  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS load_errors (
    source     VARCHAR PRIMARY KEY,          -- one current error per file; cleared when it loads
    file_name  VARCHAR NOT NULL,
    reason     VARCHAR NOT NULL,
    run_id     VARCHAR,
    failed_at  TIMESTAMP NOT NULL
);

-- What the extractor found; the app shadows `kpi` with a view that applies reviewers' decisions
-- (dashboard/reviewed.sql), other readers see the figures as extracted.
CREATE OR REPLACE VIEW kpi_extracted AS
SELECT
    f.figure_key,
    f.document_id,
    d.council,
    c.region,
    c.la_type,
    d.committee,
    d.title,
    d.meeting_date,
    d.meeting_day,
    d.source,
    d.file_name,
    d.url,
    f.metric,
    m.label,
    m.family,
    f.unit,
    f.value,
    f.low,
    f.high,
    f.as_of,
    coalesce(f.as_of_day, CASE WHEN f.kind = 'actual' THEN d.meeting_day END) AS period_day,
    f.kind,
    f.qualifier,
    f.scope,
    f.quote,
    f."start",
    f."end",
    f.flags,
    f.confidence,
    f.extractor_version
FROM figures AS f
JOIN documents AS d ON d.id = f.document_id
JOIN metrics AS m ON m.metric = f.metric
LEFT JOIN councils AS c ON c.name = d.council
WHERE f.role = 'council';

CREATE OR REPLACE VIEW kpi AS SELECT *, 'unreviewed' AS review_state FROM kpi_extracted;

-- Official statistics (DfE), loaded by `python -m etl official` from data/reference/ (see etl/official.py).

CREATE TABLE IF NOT EXISTS official_measures (
    measure       VARCHAR PRIMARY KEY,       -- e.g. agency_rate_fte
    metric        VARCHAR NOT NULL,          -- the catalogue metric it is the official counterpart of
    unit          VARCHAR NOT NULL,          -- pct, fte, cases, count, per_10k
    min_value     DOUBLE,
    max_value     DOUBLE,
    census_month  INTEGER NOT NULL,          -- the day each year's figure describes: 30 September, 31 March
    census_day    INTEGER NOT NULL,
    label         VARCHAR NOT NULL,
    definition    VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS official_tolerances (
    unit                 VARCHAR PRIMARY KEY, -- the unit of the minutes figure
    rule                 VARCHAR NOT NULL,    -- 'points' (absolute difference) or 'relative' (share of official)
    tolerance            DOUBLE NOT NULL,
    combined_comparable  BOOLEAN NOT NULL,    -- may a combined two-council figure be compared with one council's?
    explanation          VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS official (
    source       VARCHAR NOT NULL,           -- publication and edition, e.g. 'DfE Children's social work workforce, 2025 edition'
    source_url   VARCHAR,
    source_file  VARCHAR NOT NULL,           -- file in data/reference/
    source_line  INTEGER NOT NULL,           -- line of that file (header = 1)
    measure      VARCHAR NOT NULL,
    metric       VARCHAR NOT NULL,
    area         VARCHAR NOT NULL,           -- council name, or 'England'
    level        VARCHAR NOT NULL,           -- 'national' or 'council'
    dfe_la_code  VARCHAR,
    combined     VARCHAR,                    -- DfE's area name when one row covers two councils
    year         INTEGER NOT NULL,
    period       DATE NOT NULL,              -- the census day the value describes
    value        DOUBLE NOT NULL,
    unit         VARCHAR NOT NULL,
    note         VARCHAR
);

CREATE TABLE IF NOT EXISTS official_errors (
    file_name  VARCHAR NOT NULL,
    line       INTEGER,                      -- NULL when the whole file is at fault
    "column"   VARCHAR,
    cell       VARCHAR,
    reason     VARCHAR NOT NULL,
    failed_at  TIMESTAMP NOT NULL
);

CREATE OR REPLACE VIEW official_latest AS
SELECT metric, max(year) AS latest_year, max(period) AS latest_period
FROM official GROUP BY metric;

-- Each minutes figure of a metric with an official counterpart, beside that counterpart.
-- Period rule: a figure dated by day or month is compared with the census whose year ends on or after it
-- (workforce: the year to 30 September; looked after: the year to 31 March); a figure dated by a year
-- alone with that year's census. Undated figures use the meeting date.
CREATE OR REPLACE VIEW figure_checks AS
WITH said AS (
    SELECT k.*, om.measure, om.definition AS official_definition, om.unit AS official_unit,
           om.census_month, om.census_day, coalesce(k.as_of, k.meeting_date) AS said_of
    FROM kpi AS k
    JOIN official_measures AS om ON om.metric = k.metric
    WHERE k.kind = 'actual'
), dated AS (
    SELECT *,
           CASE WHEN length(said_of) = 4 THEN try_cast(said_of AS INTEGER)
                ELSE year(said_end) + CASE WHEN said_end > make_date(year(said_end), census_month, census_day)
                                           THEN 1 ELSE 0 END
           END AS official_year
    FROM (SELECT *, CASE length(said_of)
                        WHEN 7 THEN last_day(try_cast(said_of || '-01' AS DATE))
                        WHEN 10 THEN try_cast(said_of AS DATE) END AS said_end
          FROM said)
), paired AS (
    SELECT d.*, o.value AS official_value, o.period AS official_period, o.source AS official_source,
           o.source_url AS official_url, o.combined, e.value AS england_value,
           l.latest_year, l.latest_period, t.rule AS tolerance_rule, t.tolerance, t.explanation AS tolerance_text,
           t.combined_comparable,
           CASE WHEN d.qualifier = 'at_least' THEN greatest(d.value - o.value, 0)  -- "over 20%" fits any official >= 20
                WHEN d.qualifier = 'at_most' THEN greatest(o.value - d.value, 0)
                WHEN d.low IS NOT NULL AND d.high IS NOT NULL THEN greatest(d.low - o.value, o.value - d.high, 0)
                ELSE abs(d.value - o.value) END AS gap
    FROM dated AS d
    LEFT JOIN official AS o ON o.level = 'council' AND o.area = d.council AND o.metric = d.metric
                            AND o.year = d.official_year
    LEFT JOIN official AS e ON e.level = 'national' AND e.metric = d.metric AND e.year = d.official_year
    LEFT JOIN official_latest AS l ON l.metric = d.metric
    LEFT JOIN official_tolerances AS t ON t.unit = d.unit
)
SELECT figure_key, document_id, council, metric, label, unit, value, low, high, qualifier, scope, as_of, said_of,
       meeting_date, quote, file_name, url, measure, official_definition, official_unit, official_year,
       official_period, official_value, official_source, official_url, combined, england_value,
       latest_year, latest_period, value - official_value AS difference, gap, tolerance_rule, tolerance,
       tolerance_text,
       official_value IS NOT NULL AND scope IS NULL AND tolerance IS NOT NULL
           AND (combined IS NULL OR combined_comparable) AS comparable,
       coalesce(official_value IS NOT NULL AND scope IS NULL AND tolerance IS NOT NULL
           AND (combined IS NULL OR combined_comparable)
           AND round(CASE WHEN tolerance_rule = 'points' THEN gap
                          ELSE gap / nullif(abs(official_value), 0) END, 9) > tolerance, FALSE) AS discrepancy,
       coalesce(official_year > latest_year, FALSE) AS newer_than_official,
       CASE WHEN official_year > latest_year THEN 'Newer than any official figure'
            WHEN official_value IS NULL THEN 'No official figure for this council and period'
            WHEN scope IS NOT NULL THEN 'Not compared: the minutes give it for part of the service'
            WHEN tolerance IS NULL THEN 'Not compared: different unit'
            WHEN combined IS NOT NULL AND NOT combined_comparable
                THEN 'Not compared: DfE counts ' || combined || ' together'
            WHEN round(CASE WHEN tolerance_rule = 'points' THEN gap
                            ELSE gap / nullif(abs(official_value), 0) END, 9) > tolerance
                THEN 'Differs from official ' || tolerance_text
            ELSE 'Agrees with official' END AS "check"
FROM paired;
