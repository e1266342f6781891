ALTER TABLE `purge_runs` ADD `office_counts` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `purge_runs` ADD `office_id` text;