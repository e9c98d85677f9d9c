-- Free-text reason given with suspend / reinstate / revoke / regenerate-key.
ALTER TABLE audit_events ADD COLUMN reason VARCHAR(500);
