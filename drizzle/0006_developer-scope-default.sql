-- Offices that existed before developer scope belong to one default developer (they shared one database and
-- one key set already, so their referrals protect each other from now on).
INSERT INTO `developers` (`id`, `name`, `name_en`, `created_at`)
  SELECT 'default', '默认开发商', 'Default developer', CAST(strftime('%s', 'now') AS INTEGER) * 1000
  WHERE EXISTS (SELECT 1 FROM `offices` WHERE `developer_id` IS NULL);
--> statement-breakpoint
UPDATE `offices` SET `developer_id` = 'default' WHERE `developer_id` IS NULL;
