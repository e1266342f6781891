ALTER TABLE `offices` ADD `address` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `offices` ADD `needs_setup` integer DEFAULT false NOT NULL;