-- Targeting beyond the zones a campaign is linked to. Each column is a comma-separated list of
-- what is allowed (NULL: everything); days and hours are read in the advertiser's time zone.
-- Added as nullable columns so that a node of the previous release keeps working beside this one.

ALTER TABLE campaign
    ADD COLUMN target_days      varchar(70),
    ADD COLUMN target_hours     varchar(70),
    ADD COLUMN target_devices   varchar(30),
    ADD COLUMN target_browsers  varchar(40),
    ADD COLUMN target_languages varchar(600),
    ADD COLUMN target_referrers varchar(13000),
    ADD COLUMN target_keywords  varchar(2100);
