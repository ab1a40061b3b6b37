-- Hourly rollups of the events, the exact record that reports read and that outlives the raw
-- events (whose day partitions are dropped after the retention period).

-- Every node that writes events, and the moment before which it will never again store one.
-- A node's writer reads its row FOR SHARE in every batch's transaction and refuses the events
-- that occurred before `sealed_before`; the rollup job seals an hour by raising every writer's
-- row past the hour's end, which waits for the batches in flight. After that, no node can
-- write into the hour, and its rollup is final. A node seen for the first time starts where
-- the others are.
CREATE TABLE event_writer (
    node           varchar(64)  PRIMARY KEY,
    sealed_before  timestamptz  NOT NULL DEFAULT '-infinity',
    first_seen_at  timestamptz  NOT NULL DEFAULT now()
);

-- One row per UTC hour the job has rolled up: provisional (P, rebuilt while the hour can still
-- receive events) or final (F, never rebuilt). Its row lock is the claim of the node that
-- builds it, so two nodes never build one hour at once.
CREATE TABLE rollup_window (
    hour         timestamptz  PRIMARY KEY CHECK (date_trunc('hour', hour) = hour),
    state        char(1)      NOT NULL CHECK (state IN ('P', 'F')),
    events       bigint       NOT NULL CHECK (events >= 0),
    built_at     timestamptz  NOT NULL,
    built_by     varchar(64)  NOT NULL,
    build_millis integer      NOT NULL
);

-- Valid events of an hour per campaign × creative × zone, what they cost, and the unique
-- visitors of the valid impressions as a mergeable sketch (net.adgrid.stats.control.Uniques):
-- exact up to 256 visitors, an estimate (about 2% error) above.
CREATE TABLE rollup_hour (
    hour         timestamptz   NOT NULL REFERENCES rollup_window (hour),
    campaign_id  bigint        NOT NULL,
    creative_id  bigint        NOT NULL,
    zone_id      bigint        NOT NULL,
    impressions  bigint        NOT NULL CHECK (impressions >= 0),
    viewable     bigint        NOT NULL CHECK (viewable >= 0),
    clicks       bigint        NOT NULL CHECK (clicks >= 0),
    invalid      bigint        NOT NULL CHECK (invalid >= 0),
    spend        numeric(18,7) NOT NULL CHECK (spend >= 0),
    uniques      bytea         NOT NULL,
    PRIMARY KEY (hour, campaign_id, creative_id, zone_id)
);
CREATE INDEX rollup_hour_campaign ON rollup_hour (campaign_id, hour);
CREATE INDEX rollup_hour_zone ON rollup_hour (zone_id, hour);

-- Events of an hour stored as not valid, by kind and reason (the invalid-traffic review).
CREATE TABLE rollup_invalid (
    hour         timestamptz  NOT NULL REFERENCES rollup_window (hour),
    campaign_id  bigint       NOT NULL,
    creative_id  bigint       NOT NULL,
    zone_id      bigint       NOT NULL,
    kind         char(1)      NOT NULL CHECK (kind IN ('I', 'C', 'V')),
    reason       varchar(16)  NOT NULL,
    events       bigint       NOT NULL CHECK (events > 0),
    PRIMARY KEY (hour, campaign_id, creative_id, zone_id, kind, reason)
);
CREATE INDEX rollup_invalid_zone ON rollup_invalid (zone_id, hour);
