-- The application role (least privilege): the service connects as it (QUARKUS_DATASOURCE_USERNAME), while Flyway
-- runs these migrations as the schema owner (QUARKUS_FLYWAY_USERNAME). Its name comes from the placeholder app_user
-- (quarkus.flyway.placeholders.app_user); empty, or the owner's own name (one user: tests, local runs), grants nothing.
-- The role gets DML on the catalog and audit tables (and on every table later migrations of the owner create), never
-- DDL nor the Flyway history. Its password is set by afterMigrate.sql on every start (app_password), not here: a
-- versioned migration runs once, and a password in it would end up in the history table's checksum input.
-- ${flyway:defaultSchema} is the schema Flyway migrates (public unless quarkus.flyway.default-schema says otherwise),
-- ${flyway:table} its history table (flyway_schema_history).
DO $do$
DECLARE
    app_user text := '${app_user}';
    app_schema text := '${flyway:defaultSchema}';
    history text := '${flyway:table}';
BEGIN
    IF app_user = '' OR app_user = current_user THEN
        RAISE NOTICE 'no separate application role (app_user is empty or the owner): nothing granted';
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app_user) THEN
        -- LOGIN without a password until afterMigrate.sql sets it (no password: no password login).
        EXECUTE format('CREATE ROLE %I LOGIN', app_user);
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app_user);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', app_schema, app_user);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', app_schema, app_user);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', app_schema, app_user);
    -- Tables and sequences the owner creates in later migrations: the same grants, without another migration.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                   app_schema, app_user);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I',
                   app_schema, app_user);
    -- Nobody but the owner creates objects in the schema (PostgreSQL before 15 let PUBLIC do it).
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', app_schema);
    -- The migration history is the owner's: the grant on all tables above included it.
    EXECUTE format('REVOKE ALL ON TABLE %I.%I FROM %I', app_schema, history, app_user);
END
$do$;
