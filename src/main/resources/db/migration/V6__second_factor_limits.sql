-- Wrong codes of a user's second factor are counted on the user's row (not in a session, where
-- a new sign-in would start the count again): too many in a row lock the codes for a while.
ALTER TABLE app_user
    ADD COLUMN totp_failures     integer NOT NULL DEFAULT 0,
    ADD COLUMN totp_locked_until timestamptz;

-- 50 language tags of up to 12 characters, with their commas.
ALTER TABLE campaign ALTER COLUMN target_languages TYPE varchar(650);
