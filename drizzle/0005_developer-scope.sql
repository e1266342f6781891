CREATE TABLE `developers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_en` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `offices` ADD `developer_id` text REFERENCES developers(id);--> statement-breakpoint
CREATE INDEX `offices_developer_idx` ON `offices` (`developer_id`);