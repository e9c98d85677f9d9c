-- The read model at a million licenses (README "Read model"): indexes for every documented filter combination with
-- each sort, planner statistics on correlated filters, and counters kept with the summaries for the stats.

-- Equality filters followed by each sort key (then the keyset tie-breaker license_id). A btree serves an equality
-- prefix followed by ORDER BY in both directions, so one index per (filters, sort) pair serves every page.
-- product + status: the dashboard's "product-7, SUSPENDED" had to walk the whole product when the pair was rare.
CREATE INDEX license_summaries_by_product_status ON license_summaries (product_code, status, expires_at, license_id);
CREATE INDEX license_summaries_by_product_status_issued
    ON license_summaries (product_code, status, issued_at, license_id);
CREATE INDEX license_summaries_by_product_status_name
    ON license_summaries (product_code, status, lower(customer_name), license_id);
CREATE INDEX license_summaries_by_product_issued ON license_summaries (product_code, issued_at, license_id);
CREATE INDEX license_summaries_by_product_name ON license_summaries (product_code, lower(customer_name), license_id);
-- policy + status: at most one price plan's licenses match, so one order (expiry) and a sort of the matches for the
-- others.
CREATE INDEX license_summaries_by_policy_status ON license_summaries (policy_id, status, expires_at, license_id);
CREATE INDEX license_summaries_by_policy_issued ON license_summaries (policy_id, issued_at, license_id);
CREATE INDEX license_summaries_by_policy_name ON license_summaries (policy_id, lower(customer_name), license_id);
CREATE INDEX license_summaries_by_customer_issued ON license_summaries (customer_id, issued_at, license_id);
-- Stats read the partial days of their windows from the summaries (LicenseSummaryStore.statsQuery): counted from this
-- index alone (index-only scans), product and status filters included.
CREATE INDEX license_summaries_unrevoked_by_expiry ON license_summaries (expires_at) INCLUDE (product_code, status)
    WHERE status <> 'REVOKED';

-- Products and statuses are not independent (a retired product is mostly REVOKED): per-column statistics would
-- multiply the two selectivities and misjudge a rare pair by orders of magnitude; the most-common-values list of the
-- pair gives the planner the real count.
CREATE STATISTICS license_summaries_product_status (mcv, dependencies) ON product_code, status FROM license_summaries;
CREATE STATISTICS license_summaries_policy_product (dependencies) ON policy_id, product_code FROM license_summaries;

-- Stats without counting rows: licenses per (product, status), and non-revoked licenses per (UTC expiry day, product,
-- status). Kept by the statement triggers below, so every write of license_summaries (a request's commit, the
-- reconciler, a rebuild page, an operator's DELETE) changes them in its own transaction.
CREATE TABLE license_counts (
    product_code VARCHAR(64) NOT NULL,
    status       VARCHAR(16) NOT NULL,
    licenses     BIGINT      NOT NULL,
    PRIMARY KEY (product_code, status)
);
CREATE TABLE license_expiry_days (
    expiry_day   DATE        NOT NULL,
    product_code VARCHAR(64) NOT NULL,
    status       VARCHAR(16) NOT NULL,
    licenses     BIGINT      NOT NULL,
    PRIMARY KEY (expiry_day, product_code, status)
);

-- Adds the deltas (+1 a new or changed row's key, -1 an old one's), netted per key and applied in key order: two
-- transactions touching the same counters lock them in the same order, so they queue and never deadlock.
CREATE FUNCTION license_counts_apply(products TEXT[], statuses TEXT[], expiries TIMESTAMPTZ[], deltas INTEGER[])
    RETURNS VOID LANGUAGE sql AS $$
    WITH d AS (SELECT * FROM unnest(products, statuses, expiries, deltas) AS d(product_code, status, expires_at, n)),
    counts AS (
        INSERT INTO license_counts AS c (product_code, status, licenses)
        SELECT product_code, status, sum(n) FROM d GROUP BY product_code, status HAVING sum(n) <> 0
        ORDER BY product_code, status
        ON CONFLICT (product_code, status) DO UPDATE SET licenses = c.licenses + EXCLUDED.licenses
        RETURNING 1)
    INSERT INTO license_expiry_days AS e (expiry_day, product_code, status, licenses)
    SELECT (expires_at AT TIME ZONE 'UTC')::date, product_code, status, sum(n) FROM d WHERE status <> 'REVOKED'
    GROUP BY 1, product_code, status HAVING sum(n) <> 0
    ORDER BY 1, product_code, status
    ON CONFLICT (expiry_day, product_code, status) DO UPDATE SET licenses = e.licenses + EXCLUDED.licenses
$$;

CREATE FUNCTION license_counts_on_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    PERFORM license_counts_apply(array_agg(product_code), array_agg(status), array_agg(expires_at),
        array_agg(1)) FROM new_rows HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE FUNCTION license_counts_on_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    PERFORM license_counts_apply(array_agg(product_code), array_agg(status), array_agg(expires_at), array_agg(n))
    FROM (SELECT product_code, status, expires_at, 1 AS n FROM new_rows
          UNION ALL SELECT product_code, status, expires_at, -1 FROM old_rows) AS d HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE FUNCTION license_counts_on_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    PERFORM license_counts_apply(array_agg(product_code), array_agg(status), array_agg(expires_at),
        array_agg(-1)) FROM old_rows HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE FUNCTION license_counts_on_truncate() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM license_counts;
    DELETE FROM license_expiry_days;
    RETURN NULL;
END $$;

CREATE TRIGGER license_counts_insert AFTER INSERT ON license_summaries REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION license_counts_on_insert();
CREATE TRIGGER license_counts_update AFTER UPDATE ON license_summaries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION license_counts_on_update();
CREATE TRIGGER license_counts_delete AFTER DELETE ON license_summaries REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION license_counts_on_delete();
CREATE TRIGGER license_counts_truncate AFTER TRUNCATE ON license_summaries
    FOR EACH STATEMENT EXECUTE FUNCTION license_counts_on_truncate();

-- The summaries written before this migration (CREATE TRIGGER locked out writers until this transaction commits).
INSERT INTO license_counts (product_code, status, licenses)
SELECT product_code, status, count(*) FROM license_summaries GROUP BY product_code, status;
INSERT INTO license_expiry_days (expiry_day, product_code, status, licenses)
SELECT (expires_at AT TIME ZONE 'UTC')::date, product_code, status, count(*) FROM license_summaries
WHERE status <> 'REVOKED' GROUP BY 1, product_code, status;

ANALYZE license_summaries;
