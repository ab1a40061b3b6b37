-- Publishers' inventory (sites and their zones), advertisers' creatives, and which campaigns
-- run in which zones.

CREATE TABLE site (
    id         bigserial    PRIMARY KEY,
    account_id bigint       NOT NULL REFERENCES account (id),
    name       varchar(120) NOT NULL,
    domain     varchar(253) NOT NULL,
    created_at timestamptz  NOT NULL DEFAULT now(),
    updated_at timestamptz  NOT NULL DEFAULT now(),
    version    bigint       NOT NULL DEFAULT 0
);
CREATE INDEX site_account ON site (account_id, id);

CREATE TABLE zone (
    id            bigserial    PRIMARY KEY,
    site_id       bigint       NOT NULL REFERENCES site (id),
    name          varchar(120) NOT NULL,
    width         integer      NOT NULL CHECK (width BETWEEN 1 AND 4000),
    height        integer      NOT NULL CHECK (height BETWEEN 1 AND 4000),
    allowed_kinds varchar(32)  NOT NULL DEFAULT 'IMAGE,HTML,TEXT',
    created_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at    timestamptz  NOT NULL DEFAULT now(),
    version       bigint       NOT NULL DEFAULT 0
);
CREATE INDEX zone_site ON zone (site_id, id);

CREATE TABLE creative (
    id          bigserial     PRIMARY KEY,
    campaign_id bigint        NOT NULL REFERENCES campaign (id),
    name        varchar(120)  NOT NULL,
    kind        varchar(8)    NOT NULL CHECK (kind IN ('IMAGE', 'HTML', 'TEXT')),
    width       integer       NOT NULL CHECK (width BETWEEN 1 AND 4000),
    height      integer       NOT NULL CHECK (height BETWEEN 1 AND 4000),
    landing_url varchar(2048) NOT NULL,
    headline    varchar(90),
    body        varchar(300),
    html        text          CHECK (octet_length(html) <= 65536),
    image       bytea         CHECK (octet_length(image) <= 262144),
    image_type  varchar(32),
    review      varchar(10)   NOT NULL DEFAULT 'PENDING' CHECK (review IN ('PENDING', 'APPROVED', 'REJECTED')),
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    version     bigint        NOT NULL DEFAULT 0,
    CHECK (kind <> 'IMAGE' OR (image IS NOT NULL AND image_type IS NOT NULL)),
    CHECK (kind <> 'HTML' OR html IS NOT NULL),
    CHECK (kind <> 'TEXT' OR headline IS NOT NULL)
);
CREATE INDEX creative_campaign ON creative (campaign_id, id);

CREATE TABLE campaign_zone (
    campaign_id bigint      NOT NULL REFERENCES campaign (id),
    zone_id     bigint      NOT NULL REFERENCES zone (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, zone_id)
);
CREATE INDEX campaign_zone_zone ON campaign_zone (zone_id);
