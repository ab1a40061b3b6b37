-- The keys that sign tracking tokens, shared by every node through the database. The newest key
-- that is not retired signs; every key verifies until it is deleted (after the tokens it signed
-- have expired), so a key can be rotated without refusing tokens already handed out.
CREATE TABLE signing_key (
    id         smallint    PRIMARY KEY CHECK (id BETWEEN 0 AND 255),
    secret     bytea       NOT NULL CHECK (octet_length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    retired_at timestamptz
);
