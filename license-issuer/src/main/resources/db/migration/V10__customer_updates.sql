-- Customer changes (PATCH /v1/customers/{id}): a version for If-Match / expectedVersion, and when it last changed.
ALTER TABLE customers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN updated_at TIMESTAMPTZ;
UPDATE customers SET updated_at = created_at;
ALTER TABLE customers ALTER COLUMN updated_at SET NOT NULL;

-- CUSTOMER_UPDATED publishes customer.updated (EventType names the same; EventTypesTest compares them).
CREATE OR REPLACE FUNCTION event_type_of(action TEXT) RETURNS TEXT IMMUTABLE LANGUAGE sql AS $$
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
        WHEN 'CUSTOMER_UPDATED' THEN 'customer.updated'
        WHEN 'CONTACT_ADDED' THEN 'customer.contact-added'
        WHEN 'PRODUCT_CREATED' THEN 'product.created'
        WHEN 'POLICY_CREATED' THEN 'policy.created'
        WHEN 'LICENSE_USAGE_REPORTED' THEN 'usage-report.received'
    END $$;

-- The read model shows the catalog's external id: a changed one reaches the customer's summaries in the same
-- transaction (the customer name there stays the license record's snapshot, as the validator's record has it).
CREATE FUNCTION customers_external_id_to_summaries() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    UPDATE license_summaries SET customer_external_id = NEW.external_id WHERE customer_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER customers_external_id_to_summaries AFTER UPDATE OF external_id ON customers
    FOR EACH ROW WHEN (NEW.external_id IS DISTINCT FROM OLD.external_id)
    EXECUTE FUNCTION customers_external_id_to_summaries();
