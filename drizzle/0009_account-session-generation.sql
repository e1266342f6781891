ALTER TABLE `brokers` ADD `must_change_password` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `brokers` ADD `session_generation` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `staff` ADD `session_generation` integer DEFAULT 0 NOT NULL;