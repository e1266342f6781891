CREATE TABLE `client_owners` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`consultant_id` text NOT NULL,
	`visit_id` text,
	`source` text NOT NULL,
	`started_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`ended_at` integer,
	`rule_version` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`consultant_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `client_owners_visitor_idx` ON `client_owners` (`office_id`,`visitor_id`,`ends_at`);--> statement-breakpoint
CREATE INDEX `client_owners_consultant_idx` ON `client_owners` (`consultant_id`,`ends_at`);--> statement-breakpoint
CREATE TABLE `ownership_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`visitor_id` text,
	`visit_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`served_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`rule_version` integer NOT NULL,
	`decision` text,
	`decision_reason` text,
	`decided_at` integer,
	`decided_by` text,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`served_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ownership_conflicts_visit_idx` ON `ownership_conflicts` (`visit_id`);--> statement-breakpoint
CREATE INDEX `ownership_conflicts_office_idx` ON `ownership_conflicts` (`office_id`,`decided_at`);--> statement-breakpoint
CREATE TABLE `reception_credits` (
	`visit_id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`consultant_id` text NOT NULL,
	`credited_to` text NOT NULL,
	`owner_id` text,
	`route` text NOT NULL,
	`counts_as_turn` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consultant_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credited_to`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reception_credits_office_idx` ON `reception_credits` (`office_id`,`at`);--> statement-breakpoint
CREATE TABLE `notify_channels` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`secret` text,
	`consultant_id` text,
	`mention` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consultant_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notify_channels_office_idx` ON `notify_channels` (`office_id`);--> statement-breakpoint
CREATE TABLE `notify_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`event` text NOT NULL,
	`consultant_id` text NOT NULL,
	`at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`delivered_at` integer,
	`dead_at` integer,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `notify_channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`consultant_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notify_outbox_due_idx` ON `notify_outbox` (`delivered_at`,`dead_at`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notify_outbox_office_idx` ON `notify_outbox` (`office_id`,`dead_at`);