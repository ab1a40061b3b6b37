-- An optional second factor for signing in: a TOTP secret (RFC 6238) per user, and the time step
-- of the last code used, so that no code is accepted twice.
ALTER TABLE app_user
    ADD COLUMN totp_secret    varchar(64),
    ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;
