-- How often a page was viewed, across the whole cluster (net.adgrid.cluster.entity.PageViews).
CREATE TABLE page_views (
    page    varchar(64) PRIMARY KEY,
    views   bigint      NOT NULL DEFAULT 0 CHECK (views >= 0),
    version bigint      NOT NULL DEFAULT 0
);

INSERT INTO page_views (page) VALUES ('home');
