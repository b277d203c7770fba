-- Audit trail (issue 3): one row per create/update/delete/action, written in the same transaction as the change.
-- before/after hold only the fields that changed (all non-null fields for a create or delete).
-- Append-only: rows cannot be updated or deleted through SQL DML.

CREATE TABLE audit_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at   timestamptz  NOT NULL DEFAULT clock_timestamp(),
    actor         varchar(100) NOT NULL,
    actor_user_id uuid,
    action        varchar(64)  NOT NULL CHECK (action ~ '^[A-Z][A-Z0-9_]*$'),
    entity_type   varchar(64)  NOT NULL CHECK (entity_type ~ '^[A-Z][A-Z0-9_]*$'),
    entity_id     varchar(100),
    before        jsonb,
    after         jsonb,
    request_id    varchar(100),
    client_ip     varchar(64),
    user_agent    varchar(512)
);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at, id);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, occurred_at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor, occurred_at);
CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only (% rejected)', TG_OP;
END;
$$;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
