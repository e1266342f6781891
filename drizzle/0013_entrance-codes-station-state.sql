CREATE TABLE `entrance_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`station_id` text NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`checkins` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `entrance_codes_expiry_idx` ON `entrance_codes` (`expires_at`);--> statement-breakpoint
ALTER TABLE `stations` ADD `last_state` text;