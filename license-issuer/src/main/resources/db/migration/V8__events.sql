-- Events (the event package, README "Events and webhooks"): every committed change of the issuer as an event with a
-- stable id, published into this outbox by the transaction that marks its audit event COMMITTED. A trigger does it,
-- not the Java code paths: a request's commit, the reconciler's completion of a change a crash interrupted, a catalog
-- change and a checkout all end in that one row change, so none of them can forget the outbox, and a change is never
-- COMMITTED without its event nor published without being COMMITTED.
-- The application role gets DML on these tables and USAGE on the sequence through V3's default privileges.

CREATE TABLE events (
    -- the feed's position: commit order (events_publish serialises the publishing transactions, see there)
    sequence       BIGINT PRIMARY KEY,
    -- the id of the audit event it was published from: stable, one event per audit event (also when the trigger
    -- fires twice for one row), and the id webhook receivers deduplicate on
    id             UUID         NOT NULL UNIQUE,
    type           VARCHAR(64)  NOT NULL,
    occurred_at    TIMESTAMPTZ  NOT NULL,
    published_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    subject_type   VARCHAR(32)  NOT NULL,
    subject_id     VARCHAR(64)  NOT NULL,
    -- the license it concerns (license and checkout events): the order webhooks keep per license
    license_id     VARCHAR(64),
    -- the customer it belongs to: a portal token's scope; NULL for product and policy events
    customer_id    VARCHAR(64),
    -- the resource as the API shows it after the change (the audit event's after state: never a key or its hash)
    payload        JSONB        NOT NULL
);
CREATE SEQUENCE events_sequence AS BIGINT;
CREATE INDEX events_by_type ON events (type, sequence);
CREATE INDEX events_by_subject ON events (subject_type, subject_id, sequence);
CREATE INDEX events_by_customer ON events (customer_id, sequence);
CREATE INDEX events_by_published ON events (published_at);

-- One row: how far retention has deleted the feed. A cursor before it may have missed events (410 cursor-expired).
CREATE TABLE event_feed (
    id             SMALLINT PRIMARY KEY CHECK (id = 1),
    pruned_through BIGINT NOT NULL
);
INSERT INTO event_feed (id, pruned_through) VALUES (1, 0);

-- Webhook endpoints (the webhook package): where events are pushed, signed per the Standard Webhooks specification.
CREATE TABLE webhook_endpoints (
    id                   UUID PRIMARY KEY,
    url                  VARCHAR(2048) NOT NULL,
    description          VARCHAR(200),
    -- the event types it receives; empty: every type
    event_types          TEXT[]        NOT NULL DEFAULT '{}',
    enabled              BOOLEAN       NOT NULL,
    disabled_reason      VARCHAR(500),
    -- whsec_<base64>: the signing secret (HMAC needs it in clear); answered once, at creation and rotation
    secret               VARCHAR(128)  NOT NULL,
    -- the secret before the last rotation, still signing (a second signature) until previous_secret_until
    previous_secret      VARCHAR(128),
    previous_secret_until TIMESTAMPTZ,
    -- since when every attempt failed (NULL: the last one succeeded); a dead letter in such a streak disables it
    failing_since        TIMESTAMPTZ,
    created_at           TIMESTAMPTZ   NOT NULL,
    updated_at           TIMESTAMPTZ   NOT NULL
);

-- One row per (endpoint, event) to deliver, and its log: PENDING until DELIVERED, or DEAD after the retry window.
-- A replay adds a new row for the same event.
CREATE TABLE webhook_deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     UUID         NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_sequence  BIGINT       NOT NULL REFERENCES events (sequence) ON DELETE CASCADE,
    -- the event's license: an endpoint gets a license's events in order (the next waits while one is PENDING)
    license_id      VARCHAR(64),
    state           VARCHAR(16)  NOT NULL DEFAULT 'PENDING',
    attempts        INTEGER      NOT NULL DEFAULT 0,
    -- when a worker may take it next (a worker that took it pushes this past its timeout: a lease)
    next_attempt_at TIMESTAMPTZ  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    first_attempt_at TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ,
    -- the last attempt: the receiver's status code (NULL: no answer), its latency, or why it failed
    last_status     INTEGER,
    last_latency_ms INTEGER,
    last_error      VARCHAR(500),
    finished_at     TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_by_license ON webhook_deliveries (endpoint_id, license_id, event_sequence)
    WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_sequence);

-- The event type of an audit action (EventType in Java names the same; EventTypesTest compares them). NULL: none.
CREATE FUNCTION event_type_of(action TEXT) RETURNS TEXT IMMUTABLE LANGUAGE sql AS $$
    SELECT CASE action
        WHEN 'LICENSE_ISSUED' THEN 'license.issued'
        WHEN 'LICENSE_RENEWED' THEN 'license.renewed'
        WHEN 'LICENSE_SUSPENDED' THEN 'license.suspended'
        WHEN 'LICENSE_REINSTATED' THEN 'license.reinstated'
        WHEN 'LICENSE_REVOKED' THEN 'license.revoked'
        WHEN 'LICENSE_KEY_REGENERATED' THEN 'license.key-regenerated'
        WHEN 'LICENSE_CHECKED_OUT' THEN 'checkout.created'
        WHEN 'LICENSE_CHECKOUT_RETURNED' THEN 'checkout.returned'
        WHEN 'LICENSE_FILE_ISSUED' THEN 'license.file-issued'
        WHEN 'CUSTOMER_CREATED' THEN 'customer.created'
        WHEN 'CONTACT_ADDED' THEN 'customer.contact-added'
        WHEN 'PRODUCT_CREATED' THEN 'product.created'
        WHEN 'POLICY_CREATED' THEN 'policy.created'
        WHEN 'LICENSE_USAGE_REPORTED' THEN 'usage-report.received'
    END $$;

-- Publishes a COMMITTED audit event. Runs deferred, at the commit of the transaction that committed the audit event,
-- and takes a transaction-scoped advisory lock before drawing the sequence number: publishing transactions thus commit
-- in sequence order (the lock is released only once the commit is visible), so a reader that has seen sequence N will
-- never later find a smaller one appear. A plain sequence would let a slow transaction commit N-1 after a reader saw N:
-- the feed's cursor would skip it for ever. The lock is held from here to the end of the commit only.
CREATE FUNCTION events_publish() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    event_type TEXT := event_type_of(NEW.action);
    after JSONB;
    published BIGINT;
BEGIN
    IF event_type IS NULL OR NEW.after_state IS NULL THEN
        RETURN NULL;
    END IF;
    after := NEW.after_state::jsonb;
    PERFORM pg_advisory_xact_lock(hashtext('licensing.events.publish'));
    INSERT INTO events (sequence, id, type, occurred_at, subject_type, subject_id, license_id,
                        customer_id, payload)
    VALUES (nextval('events_sequence'), NEW.id, event_type, NEW.occurred_at,
            CASE WHEN event_type LIKE 'checkout.%' THEN 'checkout'
                 WHEN event_type LIKE 'usage-report.%' THEN 'usage-report' ELSE lower(NEW.target_type) END,
            CASE WHEN event_type LIKE 'checkout.%' THEN after ->> 'checkoutId'
                 WHEN event_type LIKE 'usage-report.%' THEN after ->> 'reportId' ELSE NEW.target_id END,
            CASE WHEN NEW.target_type = 'LICENSE' THEN NEW.target_id END,
            NEW.customer_id, after)
    ON CONFLICT (id) DO NOTHING
    RETURNING sequence INTO published;
    -- one delivery per enabled endpoint subscribed to the type, in the same transaction: nothing to lose in between
    IF published IS NOT NULL THEN
        INSERT INTO webhook_deliveries (endpoint_id, event_sequence, license_id, next_attempt_at)
        SELECT w.id, published, CASE WHEN NEW.target_type = 'LICENSE' THEN NEW.target_id END, now()
        FROM webhook_endpoints w
        WHERE w.enabled AND (cardinality(w.event_types) = 0 OR event_type = ANY (w.event_types));
    END IF;
    RETURN NULL;
END $$;

-- Catalog changes and checkouts insert their audit event COMMITTED; license changes update PENDING to COMMITTED.
CREATE CONSTRAINT TRIGGER events_publish_committed_insert AFTER INSERT ON audit_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.outcome = 'COMMITTED')
    EXECUTE FUNCTION events_publish();
CREATE CONSTRAINT TRIGGER events_publish_committed_update AFTER UPDATE OF outcome ON audit_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.outcome = 'COMMITTED' AND OLD.outcome <> 'COMMITTED')
    EXECUTE FUNCTION events_publish();
