-- Every sign-in with a password: the audit of who tried which address from where, and the
-- count that throttles guessing (net.adgrid.accounts.control.Accounts). The e-mail address is
-- kept as typed (normalized), whether or not a user has it. Kept 90 days.
CREATE TABLE sign_in_attempt (
    id         bigserial    PRIMARY KEY,
    at         timestamptz  NOT NULL DEFAULT now(),
    email      varchar(254) NOT NULL,
    client_ip  inet,
    -- OK: signed in; CODE: the password was right, the second factor comes next; WRONG: refused
    -- (no such user, a wrong password or a disabled user, alike); THROTTLED: refused unchecked.
    outcome    varchar(16)  NOT NULL CHECK (outcome IN ('OK', 'CODE', 'WRONG', 'THROTTLED'))
);
CREATE INDEX sign_in_attempt_email ON sign_in_attempt (email, at);
CREATE INDEX sign_in_attempt_client ON sign_in_attempt (client_ip, at);
CREATE INDEX sign_in_attempt_at ON sign_in_attempt (at);
