-- Rotating the token key: one function, so that every way of rotating (scripts/adgrid
-- rotate-key, the nodes) does the same thing in one transaction.
--   * the new key gets the next free id after the newest key's (ids come round again only
--     after 256 rotations, so no node can mistake a new key for an old one of the same id);
--   * every other key is retired: it signs no more, and still verifies the tokens it signed
--     (a click token lives a day; an expired click link still leads to its landing page);
--   * keys retired more than 30 days ago are deleted (their old links then answer 400).
CREATE FUNCTION rotate_signing_key(new_secret bytea) RETURNS smallint
LANGUAGE plpgsql AS $$
DECLARE
    newest smallint;
    candidate integer;
BEGIN
    LOCK TABLE signing_key IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM signing_key WHERE retired_at < now() - interval '30 days';
    SELECT id INTO newest FROM signing_key ORDER BY created_at DESC, id DESC LIMIT 1;
    FOR step IN 1..256 LOOP
        candidate := (coalesce(newest, -1) + step) % 256;
        IF NOT EXISTS (SELECT 1 FROM signing_key WHERE id = candidate) THEN
            UPDATE signing_key SET retired_at = now() WHERE retired_at IS NULL;
            INSERT INTO signing_key (id, secret) VALUES (candidate, new_secret);
            RETURN candidate;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'all 256 key ids belong to keys retired less than 30 days ago'
        USING HINT = 'rotate again when the oldest retired key is 30 days old';
END $$;
