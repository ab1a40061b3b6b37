-- The people who use adgrid and the first part of the ad network: accounts with a role, the
-- users who sign in to them, API keys for integrators, and advertisers' campaigns.
-- Times are UTC (timestamptz); money is exact (numeric); every editable row has a version for
-- optimistic locking.

CREATE TABLE account (
    id         bigserial    PRIMARY KEY,
    name       varchar(120) NOT NULL,
    role       varchar(16)  NOT NULL CHECK (role IN ('ADMIN', 'ADVERTISER', 'PUBLISHER')),
    time_zone  varchar(64)  NOT NULL DEFAULT 'UTC',
    disabled   boolean      NOT NULL DEFAULT false,
    created_at timestamptz  NOT NULL DEFAULT now(),
    version    bigint       NOT NULL DEFAULT 0
);

CREATE TABLE app_user (
    id            bigserial    PRIMARY KEY,
    account_id    bigint       NOT NULL REFERENCES account (id),
    email         varchar(254) NOT NULL,
    display_name  varchar(120) NOT NULL,
    password_hash varchar(200) NOT NULL,
    disabled      boolean      NOT NULL DEFAULT false,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    version       bigint       NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX app_user_email ON app_user (lower(email));
CREATE INDEX app_user_account ON app_user (account_id);

-- Only a hash of the secret is stored; the prefix finds the key without scanning.
CREATE TABLE api_key (
    id           bigserial    PRIMARY KEY,
    account_id   bigint       NOT NULL REFERENCES account (id),
    name         varchar(80)  NOT NULL,
    prefix       varchar(16)  NOT NULL UNIQUE,
    secret_hash  varchar(64)  NOT NULL,
    created_by   bigint       NOT NULL REFERENCES app_user (id),
    created_at   timestamptz  NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    version      bigint       NOT NULL DEFAULT 0
);
CREATE INDEX api_key_account ON api_key (account_id);

CREATE TABLE campaign (
    id                    bigserial     PRIMARY KEY,
    account_id            bigint        NOT NULL REFERENCES account (id),
    name                  varchar(120)  NOT NULL,
    type                  varchar(16)   NOT NULL CHECK (type IN ('OVERRIDE', 'CONTRACT', 'REMNANT')),
    priority              smallint      CHECK (priority BETWEEN 1 AND 10),
    status                varchar(16)   NOT NULL DEFAULT 'DRAFT'
                                        CHECK (status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'FINISHED')),
    starts_at             timestamptz   NOT NULL,
    ends_at               timestamptz,
    impression_cap        bigint        CHECK (impression_cap > 0),
    click_cap             bigint        CHECK (click_cap > 0),
    daily_impression_cap  bigint        CHECK (daily_impression_cap > 0),
    daily_click_cap       bigint        CHECK (daily_click_cap > 0),
    pricing               varchar(8)    NOT NULL CHECK (pricing IN ('CPM', 'CPC')),
    rate                  numeric(12,4) NOT NULL CHECK (rate >= 0),
    budget                numeric(14,4) NOT NULL CHECK (budget >= 0),
    pacing                varchar(8)    NOT NULL DEFAULT 'ASAP' CHECK (pacing IN ('ASAP', 'EVEN')),
    frequency_cap         integer       CHECK (frequency_cap > 0),
    frequency_hours       integer       CHECK (frequency_hours > 0),
    weight                integer       NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
    created_at            timestamptz   NOT NULL DEFAULT now(),
    updated_at            timestamptz   NOT NULL DEFAULT now(),
    version               bigint        NOT NULL DEFAULT 0,
    CHECK (ends_at IS NULL OR ends_at > starts_at),
    CHECK ((type = 'CONTRACT') = (priority IS NOT NULL)),
    CHECK ((frequency_cap IS NULL) = (frequency_hours IS NULL))
);
CREATE INDEX campaign_account ON campaign (account_id, id);
