-- Flyway SQL callback, run after every migrate (every start of the issuer, also when no migration is pending; Quarkus'
-- Flyway finds it in db/migration next to the migrations): sets the application role's password from the
-- placeholder app_password (quarkus.flyway.placeholders.app_password, the Secret license-issuer-db-app), so a rotated
-- password takes effect at the next start. Not a repeatable migration: that runs only when its text changes, and
-- would keep a checksum of the password in the history table.
-- The values go in through set_config (local to this transaction) first, so the DO block below, which is what an
-- error message or a server log would quote, never contains the password. The password is dollar-quoted (any quote
-- character in it is fine) behind one ':' that substr drops: Flyway's placeholder reader misses a placeholder right
-- after a '$'.
SELECT set_config('licensing.app_user', '${app_user}', true),
       set_config('licensing.app_password', substr($app_password$:${app_password}$app_password$, 2), true);

DO $do$
DECLARE
    app_user text := current_setting('licensing.app_user');
    app_password text := current_setting('licensing.app_password');
BEGIN
    IF app_user = '' OR app_user = current_user THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app_user) THEN
        RAISE EXCEPTION 'application role "%" does not exist (V3__application_role ran with app_user empty): create it and its grants as V3 does (license-issuer README, "Database roles"), then restart', app_user;
    END IF;
    IF app_password = '' THEN
        RAISE EXCEPTION 'app_password is empty: the application role "%" needs one (QUARKUS_FLYWAY_PLACEHOLDERS_APP_PASSWORD)', app_user;
    END IF;
    EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', app_user, app_password);
END
$do$;

SELECT set_config('licensing.app_password', '', true);
