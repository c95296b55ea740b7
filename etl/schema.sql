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

CREATE OR REPLACE VIEW kpi AS
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
