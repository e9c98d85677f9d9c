-- Usage reports of air-gapped sites (license-relay): the relay keys the issuer certified, the reports it accepted and
-- their per-day figures, and the policy flag that makes a site report before its relay checkout is renewed.

-- Every relay checkout the issuer made: the relay key it certified (claim relay_key of the signed checkout), so a
-- report signed by that key can be verified later. Written with the checkout's audit event.
CREATE TABLE relay_checkouts (
    checkout_id      UUID PRIMARY KEY,
    license_id       UUID         NOT NULL,
    fingerprint      VARCHAR(128) NOT NULL,
    sequence         BIGINT       NOT NULL,
    relay_kid        VARCHAR(200) NOT NULL,
    -- RFC 7638 SHA-256 thumbprint of the relay key: one chain of reports per relay key
    relay_thumbprint VARCHAR(64)  NOT NULL,
    relay_key        TEXT         NOT NULL,
    issued_at        TIMESTAMPTZ  NOT NULL,
    until            TIMESTAMPTZ  NOT NULL
);
CREATE INDEX relay_checkouts_by_site ON relay_checkouts (license_id, fingerprint, issued_at DESC);

-- Accepted reports. The unique (license, relay key, report_seq) decides between two concurrent submissions of the
-- next report: exactly one row is inserted. The unique hash refuses the same report twice.
CREATE TABLE usage_reports (
    id               UUID PRIMARY KEY,
    license_id       UUID         NOT NULL,
    relay_thumbprint VARCHAR(64)  NOT NULL,
    relay_kid        VARCHAR(200) NOT NULL,
    fingerprint      VARCHAR(128) NOT NULL,
    report_id        UUID         NOT NULL,
    report_seq       BIGINT       NOT NULL,
    prev_report      CHAR(64)     NOT NULL,
    report_hash      CHAR(64)     NOT NULL,
    period_from      TIMESTAMPTZ  NOT NULL,
    period_to        TIMESTAMPTZ  NOT NULL,
    checkout_id      UUID,
    made_at          TIMESTAMPTZ  NOT NULL,
    received_at      TIMESTAMPTZ  NOT NULL,
    received_by      VARCHAR(255) NOT NULL,
    totals           TEXT         NOT NULL,
    peak             TEXT         NOT NULL,
    log_seq          BIGINT       NOT NULL,
    log_hash         VARCHAR(64)  NOT NULL,
    jws              TEXT         NOT NULL,
    CONSTRAINT usage_reports_chain_seq UNIQUE (license_id, relay_thumbprint, report_seq),
    CONSTRAINT usage_reports_hash UNIQUE (report_hash)
);
CREATE INDEX usage_reports_by_site ON usage_reports (license_id, fingerprint, period_to DESC);

-- Quantity-seconds per UTC day and quantity, as each report signed them (a day two reports share has two rows).
CREATE TABLE usage_days (
    report_id  UUID        NOT NULL REFERENCES usage_reports (id),
    license_id UUID        NOT NULL,
    day        DATE        NOT NULL,
    quantity   VARCHAR(64) NOT NULL,
    amount     NUMERIC     NOT NULL,
    PRIMARY KEY (report_id, day, quantity)
);
CREATE INDEX usage_days_by_license ON usage_days (license_id, day);

-- A policy may require a site's usage reports before it renews the site's relay checkout (off unless it opts in).
ALTER TABLE policies ADD COLUMN require_usage_reports BOOLEAN NOT NULL DEFAULT FALSE;
