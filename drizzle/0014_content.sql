CREATE TABLE `content_attention` (
	`session_id` text NOT NULL,
	`item_id` text NOT NULL,
	`item_version` integer NOT NULL,
	`office_id` text NOT NULL,
	`station_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`dwell_ms` integer DEFAULT 0 NOT NULL,
	`attention_ms` integer DEFAULT 0 NOT NULL,
	`last_event_at` integer NOT NULL,
	PRIMARY KEY(`session_id`, `item_id`, `item_version`),
	FOREIGN KEY (`session_id`) REFERENCES `camera_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `content_attention_office_started_idx` ON `content_attention` (`office_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `content_items` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`media_type` text NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`duration_ms` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `content_items_office_idx` ON `content_items` (`office_id`,`deleted_at`);--> statement-breakpoint
CREATE INDEX `content_items_sha_idx` ON `content_items` (`sha256`);--> statement-breakpoint
CREATE TABLE `content_plays` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`station_id` text NOT NULL,
	`item_id` text NOT NULL,
	`item_name` text NOT NULL,
	`item_version` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `content_plays_office_started_idx` ON `content_plays` (`office_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `playlist_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`station_id` text,
	`item_id` text NOT NULL,
	`position` integer NOT NULL,
	`duration_ms` integer,
	`from_day` text,
	`to_day` text,
	`weekdays` integer DEFAULT 127 NOT NULL,
	`from_minute` integer DEFAULT 0 NOT NULL,
	`to_minute` integer DEFAULT 1440 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `playlist_entries_station_idx` ON `playlist_entries` (`office_id`,`station_id`,`position`);--> statement-breakpoint
CREATE INDEX `playlist_entries_item_idx` ON `playlist_entries` (`item_id`);