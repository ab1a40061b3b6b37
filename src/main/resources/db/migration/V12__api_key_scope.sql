-- What a key may do: READ (GET and HEAD only) or WRITE (everything its account's role may).
-- Keys made before scopes existed, and keys a previous release makes during a rolling upgrade,
-- keep what they could do: WRITE.
ALTER TABLE api_key
    ADD COLUMN scope varchar(8) NOT NULL DEFAULT 'WRITE' CHECK (scope IN ('READ', 'WRITE'));
