-- The license read model (DESIGN.md "License read model"): one row per license, written in the same transaction that
-- marks the change's audit event COMMITTED (LicenseSummaryStore.commit), so audit log and read model never disagree.
-- The application role gets DML on these tables through V3's default privileges.
-- pg_trgm (core contrib, a trusted extension: the database owner may create it; Aurora and the embedded and container
-- PostgreSQL of the harness ship it) serves the case-insensitive substring search over customer names.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE license_summaries (
    -- COLLATE "C": byte order, so the primary key's btree also serves the license id prefix search (LIKE 'ab%')
    license_id           VARCHAR(64) COLLATE "C" PRIMARY KEY,
    customer_id          UUID         NOT NULL,
    customer_name        VARCHAR(200) NOT NULL,
    customer_external_id VARCHAR(100),
    product_code         VARCHAR(64)  NOT NULL,
    product_name         VARCHAR(200),
    policy_id            UUID,
    status               VARCHAR(16)  NOT NULL,
    issued_at            TIMESTAMPTZ  NOT NULL,
    not_before           TIMESTAMPTZ  NOT NULL,
    expires_at           TIMESTAMPTZ  NOT NULL,
    grace_days           INTEGER      NOT NULL,
    -- {"cuda.device": 8, "cuda.shares": 2.5}: jsonb numbers are exact numerics, so minLimit compares exactly
    limits               JSONB        NOT NULL DEFAULT '{}',
    features             JSONB        NOT NULL DEFAULT '{}',
    -- the DynamoDB record's version: an upsert only ever replaces a row with a newer version
    version              BIGINT       NOT NULL,
    updated_at           TIMESTAMPTZ  NOT NULL
);

-- Keyset pagination: one index per sort, ending in the tie-breaker license_id (ascending and descending both use it).
CREATE INDEX license_summaries_by_expiry ON license_summaries (expires_at, license_id);
CREATE INDEX license_summaries_by_issued ON license_summaries (issued_at, license_id);
CREATE INDEX license_summaries_by_name ON license_summaries (lower(customer_name), license_id);
-- Filters (also the scope of portal tokens: customer_id), each led by its column and followed by the default sort.
CREATE INDEX license_summaries_by_customer ON license_summaries (customer_id, expires_at, license_id);
CREATE INDEX license_summaries_by_product ON license_summaries (product_code, expires_at, license_id);
CREATE INDEX license_summaries_by_policy ON license_summaries (policy_id, expires_at, license_id);
CREATE INDEX license_summaries_by_status ON license_summaries (status, expires_at, license_id);
-- q: customer name substring (trigram GIN), external id prefix (byte-order btree over the lower-cased id)
CREATE INDEX license_summaries_name_trgm ON license_summaries USING gin (lower(customer_name) gin_trgm_ops);
CREATE INDEX license_summaries_by_external_id ON license_summaries (lower(customer_external_id) COLLATE "C");
-- minLimit: jsonpath predicates (limits @? '$."cuda.device" ? (@ >= 8)'); the default jsonb_ops (not jsonb_path_ops)
-- indexes the keys, so the index narrows to the licenses that have the named limit
CREATE INDEX license_summaries_limits ON license_summaries USING gin (limits);

-- Read-model rebuilds from a DynamoDB Scan: progress survives a restart (the next POST resumes after last_key).
CREATE TABLE read_model_rebuilds (
    id          UUID PRIMARY KEY,
    state       VARCHAR(16) NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    -- the Scan's LastEvaluatedKey (the license item's pk); null before the first page
    last_key    VARCHAR(200),
    pages       BIGINT      NOT NULL DEFAULT 0,
    licenses    BIGINT      NOT NULL DEFAULT 0,
    error       VARCHAR(500)
);
CREATE INDEX read_model_rebuilds_by_start ON read_model_rebuilds (started_at);

-- The reconciler lists old PENDING events by age.
CREATE INDEX audit_events_pending_by_age ON audit_events (occurred_at) WHERE outcome = 'PENDING';
