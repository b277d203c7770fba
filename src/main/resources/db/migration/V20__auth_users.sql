-- Login accounts (issue 3). A user may be linked to one employee record; roles decide what the user may do.
-- Passwords are stored only as Spring Security DelegatingPasswordEncoder hashes ({bcrypt}...).

CREATE TABLE auth_users (
    id                  uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    username            varchar(64)  NOT NULL CHECK (username ~ '^[A-Za-z0-9._-]{3,64}$'),
    email               varchar(254) CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$'),
    display_name        varchar(100),
    password_hash       varchar(255) NOT NULL,
    emp_no              bigint       REFERENCES employees (emp_no),
    enabled             boolean      NOT NULL DEFAULT true,
    -- Lockout: attempts since the last success or lock; locked_until in the future blocks every login attempt.
    failed_attempts     integer      NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until        timestamptz,
    password_changed_at timestamptz  NOT NULL DEFAULT now(),
    last_login_at       timestamptz,
    created_at          timestamptz  NOT NULL DEFAULT now(),
    updated_at          timestamptz  NOT NULL DEFAULT now(),
    created_by          varchar(100) NOT NULL DEFAULT 'system',
    updated_by          varchar(100) NOT NULL DEFAULT 'system',
    version             bigint       NOT NULL DEFAULT 0
);
-- Usernames cannot contain '@' and emails must, so "username or email" at login never matches two users.
CREATE UNIQUE INDEX auth_users_username_key ON auth_users (lower(username));
CREATE UNIQUE INDEX auth_users_email_key ON auth_users (lower(email));
CREATE UNIQUE INDEX auth_users_emp_no_key ON auth_users (emp_no);

CREATE TABLE auth_user_roles (
    user_id uuid        NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    role    varchar(16) NOT NULL CHECK (role IN ('ADMIN', 'HR_MANAGER', 'MANAGER', 'EMPLOYEE')),
    PRIMARY KEY (user_id, role)
);
CREATE INDEX auth_user_roles_role_idx ON auth_user_roles (role, user_id);
