-- Retry-safe writes (Idempotency-Key on the POSTs that create or change things). A row is inserted in the same
-- transaction as the write it guards, and committed only with the write's outcome, so a key is either unused or
-- answered: a replay returns the stored status and body, never a second record. Expand-only: a new table that the
-- previous version ignores.
CREATE TABLE idempotency_keys (
    owner           varchar(64)  NOT NULL,
    idempotency_key varchar(255) NOT NULL,
    method        varchar(8)   NOT NULL,
    path          varchar(512) NOT NULL,
    request_hash  bytea        NOT NULL CHECK (octet_length(request_hash) = 32),
    -- Null only inside the guarding transaction, before the outcome is known (never committed so).
    status        smallint     CHECK (status BETWEEN 200 AND 299),
    content_type  varchar(255),
    location      varchar(512),
    etag          varchar(64),
    body          bytea,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    expires_at    timestamptz  NOT NULL,
    PRIMARY KEY (owner, idempotency_key),
    CHECK (expires_at > created_at)
);

-- The hourly purge of expired keys.
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
