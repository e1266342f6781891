CREATE TABLE `deployment_keys` (
	`id` integer PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`recorded_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `offices` ADD `address` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `offices` ADD `needs_setup` integer DEFAULT false NOT NULL;