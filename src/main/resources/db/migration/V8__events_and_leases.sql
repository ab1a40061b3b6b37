-- Counting: every tracked event, and the budget leases that bill them.

-- One row per event a tracking URL delivered, valid or not. Partitioned by the UTC day of the
-- decision the event belongs to (from its token, so the impression, click and viewable event
-- of one decision share a partition, and a token always lands in the same one). Partitions are
-- created ahead by the nodes (net.adgrid.serving.control.EventPartitions) and old ones are
-- dropped whole.
CREATE TABLE event (
    decided_at   timestamptz   NOT NULL,
    event_id     uuid          NOT NULL,
    kind         char(1)       NOT NULL CHECK (kind IN ('I', 'C', 'V')),
    occurred_at  timestamptz   NOT NULL,
    campaign_id  bigint        NOT NULL,
    creative_id  bigint        NOT NULL,
    zone_id      bigint        NOT NULL,
    visitor      bigint        NOT NULL,
    -- OK, or why it is not billed: an invalid-traffic reason, or OVER_CAP / LEASE_LOST for a
    -- valid event that no budget was left for.
    reason       varchar(16)   NOT NULL,
    billed       boolean       NOT NULL,
    cost         numeric(18,7) NOT NULL DEFAULT 0,
    lease_id     bigint,
    node         varchar(64)   NOT NULL,
    client_ip    inet,
    CHECK (NOT billed OR reason = 'OK'),
    CHECK (billed OR cost = 0)
) PARTITION BY RANGE (decided_at);

-- One event per token: a second arrival of the same token is stored as a REPLAY, never counted.
CREATE UNIQUE INDEX event_once ON event (decided_at, event_id, kind) WHERE reason <> 'REPLAY';
CREATE INDEX event_occurred ON event USING brin (occurred_at);

-- What has been leased out of each campaign's lifetime caps and budget, per kind (I, C):
-- units handed to nodes (spent, or held by an open lease), and the money they are worth.
CREATE TABLE campaign_pool (
    campaign_id  bigint        NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    kind         char(1)       NOT NULL CHECK (kind IN ('I', 'C')),
    units        bigint        NOT NULL DEFAULT 0 CHECK (units >= 0),
    spend        numeric(18,7) NOT NULL DEFAULT 0 CHECK (spend >= 0),
    PRIMARY KEY (campaign_id, kind)
);

-- The same for a daily cap, per day in the advertiser's time zone.
CREATE TABLE campaign_day_pool (
    campaign_id  bigint        NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    kind         char(1)       NOT NULL CHECK (kind IN ('I', 'C')),
    day          date          NOT NULL,
    units        bigint        NOT NULL DEFAULT 0 CHECK (units >= 0),
    PRIMARY KEY (campaign_id, kind, day)
);

-- A block of a campaign's units a node may bill, at a fixed price per unit. A node bills an
-- event only in the transaction that raises `used`, and only while the lease is open and not
-- expired; an expired lease (a dead or stopped node) is closed by any node, and what was not
-- used goes back to the pools.
CREATE TABLE budget_lease (
    id           bigserial     PRIMARY KEY,
    campaign_id  bigint        NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    kind         char(1)       NOT NULL CHECK (kind IN ('I', 'C')),
    day          date          NOT NULL,
    node         varchar(64)   NOT NULL,
    units        bigint        NOT NULL CHECK (units >= 0),
    used         bigint        NOT NULL DEFAULT 0 CHECK (used >= 0),
    price        numeric(18,7) NOT NULL CHECK (price >= 0),
    granted_at   timestamptz   NOT NULL DEFAULT now(),
    expires_at   timestamptz   NOT NULL,
    closed_at    timestamptz,
    CHECK (used <= units)
);
CREATE INDEX budget_lease_open ON budget_lease (expires_at) WHERE closed_at IS NULL;
CREATE INDEX budget_lease_campaign ON budget_lease (campaign_id, kind);
