-- The status history (GET /v1/licenses/status-history, StatusHistoryStore) walks back from the current counts over
-- the committed status changes of licenses since the oldest month end asked for. The first index holds exactly those
-- events (no checkouts, usage reports, renewals or key changes, no PENDING or FAILED ones) by action and time: the
-- issues, suspensions and reinstatements of a time range are counted from it alone (an index-only scan: their
-- transition is the action's), the revocations (a few) read their before state. The second one is a product's time
-- range (StatusHistoryStore.PRODUCT is its expression). A portal token's query goes through audit_events_by_customer
-- (V9).
CREATE INDEX audit_events_license_status_changes ON audit_events (action, occurred_at)
    WHERE target_type = 'LICENSE' AND outcome = 'COMMITTED'
        AND action IN ('LICENSE_ISSUED', 'LICENSE_SUSPENDED', 'LICENSE_REINSTATED', 'LICENSE_REVOKED');
CREATE INDEX audit_events_license_status_changes_by_product
    ON audit_events ((after_state::jsonb ->> 'productCode'), occurred_at)
    WHERE target_type = 'LICENSE' AND outcome = 'COMMITTED'
        AND action IN ('LICENSE_ISSUED', 'LICENSE_SUSPENDED', 'LICENSE_REINSTATED', 'LICENSE_REVOKED');
