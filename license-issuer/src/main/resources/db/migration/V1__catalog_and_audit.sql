-- Catalog: customers, contacts, products, policies. Audit log of every change.
CREATE TABLE customers (
    id          UUID PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    external_id VARCHAR(100) UNIQUE,
    status      VARCHAR(20)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);

CREATE TABLE contacts (
    id          UUID PRIMARY KEY,
    customer_id UUID         NOT NULL REFERENCES customers (id),
    email       VARCHAR(254) NOT NULL,
    name        VARCHAR(200),
    role        VARCHAR(20)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT contacts_unique_email_role UNIQUE (customer_id, email, role)
);
CREATE INDEX contacts_by_customer ON contacts (customer_id);

CREATE TABLE products (
    code       VARCHAR(64)  PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE policies (
    id                        UUID PRIMARY KEY,
    product_code              VARCHAR(64)  NOT NULL REFERENCES products (code),
    name                      VARCHAR(200) NOT NULL,
    duration_days             INTEGER      NOT NULL,
    grace_days                INTEGER      NOT NULL,
    max_activations           INTEGER      NOT NULL,
    heartbeat_hours           INTEGER      NOT NULL,
    max_deactivations_per_day INTEGER      NOT NULL,
    overage_percent           INTEGER      NOT NULL,
    entitlements              TEXT         NOT NULL,
    created_at                TIMESTAMPTZ  NOT NULL
);
CREATE INDEX policies_by_product ON policies (product_code);

-- outcome: PENDING (written before the change), COMMITTED (change done), FAILED (change refused).
-- A PENDING row older than a few seconds is a change whose outcome is unknown (crash): see README.
CREATE TABLE audit_events (
    id             UUID PRIMARY KEY,
    occurred_at    TIMESTAMPTZ  NOT NULL,
    actor          VARCHAR(255) NOT NULL,
    action         VARCHAR(40)  NOT NULL,
    target_type    VARCHAR(20)  NOT NULL,
    target_id      VARCHAR(64)  NOT NULL,
    customer_id    VARCHAR(64),
    before_state   TEXT,
    after_state    TEXT,
    client_address VARCHAR(64),
    outcome        VARCHAR(16)  NOT NULL,
    completed_at   TIMESTAMPTZ
);
CREATE INDEX audit_events_by_target ON audit_events (target_type, target_id, occurred_at);
CREATE INDEX audit_events_pending ON audit_events (outcome) WHERE outcome = 'PENDING';
