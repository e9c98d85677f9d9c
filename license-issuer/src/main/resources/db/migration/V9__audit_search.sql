-- The audit API pages newest first by (occurred_at, id) with a keyset cursor, over everything or narrowed by actor or
-- customer (license events use audit_events_by_target). Each path is an index read in that order, not a sort of the
-- whole log.
CREATE INDEX audit_events_newest ON audit_events (occurred_at DESC, id DESC);
CREATE INDEX audit_events_by_actor ON audit_events (actor, occurred_at DESC, id DESC);
CREATE INDEX audit_events_by_customer ON audit_events (customer_id, occurred_at DESC, id DESC)
    WHERE customer_id IS NOT NULL;
