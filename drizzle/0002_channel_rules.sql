CREATE TABLE `appeals` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`referral_id` text NOT NULL,
	`broker_id` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	`decision` text,
	`decision_reason` text,
	`decided_at` integer,
	`decided_by` text,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`referral_id`) REFERENCES `referrals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`broker_id`) REFERENCES `brokers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `appeals_office_idx` ON `appeals` (`office_id`,`decided_at`);--> statement-breakpoint
CREATE INDEX `appeals_referral_idx` ON `appeals` (`referral_id`);--> statement-breakpoint
CREATE TABLE `channel_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channel_rules_office_version_idx` ON `channel_rules` (`office_id`,`version`);--> statement-breakpoint
ALTER TABLE `visits` ADD `rule_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `referrals` ADD `rule_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `referrals` ADD `valid_from` integer;--> statement-breakpoint
ALTER TABLE `referrals` ADD `broker_present_at` integer;--> statement-breakpoint
ALTER TABLE `referrals` ADD `desk_confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `referrals` ADD `desk_confirmed_by` text;--> statement-breakpoint
ALTER TABLE `referrals` ADD `conflict_referral_id` text;--> statement-breakpoint
ALTER TABLE `referrals` ADD `overturned_at` integer;