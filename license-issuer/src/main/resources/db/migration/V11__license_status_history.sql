-- The status history (GET /v1/licenses/status-history, LicenseSummaryStore.statusHistory) walks back from the
-- current counts over the committed status changes of licenses since the oldest month end asked for: this index holds
-- exactly those events (no checkouts, usage reports, renewals or key changes, no PENDING or FAILED ones) in time order,
-- so the query reads a time range of it and nothing else of the audit log. A portal token's query goes through
-- audit_events_by_customer (V9) instead.
CREATE INDEX audit_events_license_status_changes ON audit_events (occurred_at)
    WHERE target_type = 'LICENSE' AND outcome = 'COMMITTED'
        AND action IN ('LICENSE_ISSUED', 'LICENSE_SUSPENDED', 'LICENSE_REINSTATED', 'LICENSE_REVOKED');
