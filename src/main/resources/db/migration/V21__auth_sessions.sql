-- Token state shared by every replica (issue 3).
-- A session is one refresh-token family: login starts it, each refresh rotates its token, logout revokes it.
-- Every access token names its session (claim "sid"); a revoked session rejects all its access tokens at once.

CREATE TABLE auth_sessions (
    id            uuid         PRIMARY KEY,
    user_id       uuid         NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    created_at    timestamptz  NOT NULL,
    last_used_at  timestamptz  NOT NULL,
    -- Expiry of the newest refresh token of the family; the row is purged a day after.
    expires_at    timestamptz  NOT NULL,
    revoked_at    timestamptz,
    revoke_reason varchar(32)
        CHECK (revoke_reason IN ('LOGOUT', 'REFRESH_TOKEN_REUSE', 'PASSWORD_CHANGED', 'PASSWORD_RESET',
                                 'ROLES_CHANGED', 'EMPLOYEE_LINK_CHANGED', 'USER_DISABLED')),
    client_ip     varchar(64),
    user_agent    varchar(512),
    CONSTRAINT auth_sessions_revoked_has_reason CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX auth_sessions_expires_idx ON auth_sessions (expires_at);

-- Refresh tokens are opaque random strings; only their SHA-256 is stored. A rotated token stays (rotated_at set)
-- until its session is purged, so presenting it again is recognised as reuse and revokes the family.
CREATE TABLE auth_refresh_tokens (
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id uuid        NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    rotated_at timestamptz
);
CREATE INDEX auth_refresh_tokens_session_idx ON auth_refresh_tokens (session_id);

-- Access tokens revoked before they expire (logout), by jti. Useless after expires_at; purged then.
CREATE TABLE auth_denied_access_tokens (
    jti        varchar(64) PRIMARY KEY,
    session_id uuid,
    expires_at timestamptz NOT NULL,
    denied_at  timestamptz NOT NULL
);
CREATE INDEX auth_denied_access_tokens_expires_idx ON auth_denied_access_tokens (expires_at);
