-- Checkouts (air-gapped license files bound to a machine and the key): the longest checkout a policy allows, and
-- whether license files bound to no machine exist at all for its licenses (off unless a policy opts in).
ALTER TABLE policies ADD COLUMN max_checkout_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE policies ADD COLUMN allow_unbound_files BOOLEAN NOT NULL DEFAULT FALSE;
