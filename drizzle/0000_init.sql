CREATE TABLE `offices` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_en` text DEFAULT '' NOT NULL,
	`time_zone` text DEFAULT 'Asia/Shanghai' NOT NULL,
	`processor_name` text NOT NULL,
	`privacy_contact` text NOT NULL,
	`protection_days` integer DEFAULT 30 NOT NULL,
	`k_anonymity` integer DEFAULT 5 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stations` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`zone` text DEFAULT '' NOT NULL,
	`model_variant` text DEFAULT 'full' NOT NULL,
	`device_token_id` text,
	`paired_at` integer,
	`revoked_at` integer,
	`last_seen_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stations_office_idx` ON `stations` (`office_id`);--> statement-breakpoint
CREATE TABLE `brokers` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`company` text DEFAULT '' NOT NULL,
	`password_hash` text NOT NULL,
	`disabled_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `brokers_username_unique` ON `brokers` (`username`);--> statement-breakpoint
CREATE INDEX `brokers_office_idx` ON `brokers` (`office_id`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`must_change_password` integer DEFAULT false NOT NULL,
	`disabled_at` integer,
	`on_duty` integer DEFAULT false NOT NULL,
	`duty_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_username_unique` ON `staff` (`username`);--> statement-breakpoint
CREATE INDEX `staff_office_duty_idx` ON `staff` (`office_id`,`on_duty`,`duty_order`);--> statement-breakpoint
CREATE TABLE `used_tokens` (
	`jti` text PRIMARY KEY NOT NULL,
	`typ` text NOT NULL,
	`used_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_tokens_expiry_idx` ON `used_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `visit_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`visit_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visit_notes_visit_idx` ON `visit_notes` (`visit_id`);--> statement-breakpoint
CREATE TABLE `visitors` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`phone_hash` text,
	`phone_masked` text,
	`phone_encrypted` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visitors_phone_idx` ON `visitors` (`office_id`,`phone_hash`);--> statement-breakpoint
CREATE TABLE `visits` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`visitor_id` text,
	`day` text NOT NULL,
	`checked_in_at` integer NOT NULL,
	`checked_out_at` integer,
	`entrance_station_id` text,
	`channel` text DEFAULT 'walk-in' NOT NULL,
	`broker_id` text,
	`referral_id` text,
	`attribution_reason` text DEFAULT 'no-referral' NOT NULL,
	`first_visit` integer NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`consultant_id` text,
	`assigned_at` integer,
	`revision` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`entrance_station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`broker_id`) REFERENCES `brokers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consultant_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visits_office_day_idx` ON `visits` (`office_id`,`day`,`checked_in_at`);--> statement-breakpoint
CREATE INDEX `visits_visitor_idx` ON `visits` (`visitor_id`);--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`broker_id` text NOT NULL,
	`phone_hash` text,
	`phone_masked` text,
	`client_label` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text DEFAULT 'registered' NOT NULL,
	`evidence_at` integer,
	`visit_id` text,
	`arrived_at` integer,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`broker_id`) REFERENCES `brokers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `referrals_broker_idx` ON `referrals` (`broker_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `referrals_phone_idx` ON `referrals` (`office_id`,`phone_hash`);--> statement-breakpoint
CREATE TABLE `camera_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`station_id` text NOT NULL,
	`consent_id` text NOT NULL,
	`visit_id` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	`dwell_ms` integer DEFAULT 0 NOT NULL,
	`attention_ms` integer DEFAULT 0 NOT NULL,
	`frames_analysed` integer DEFAULT 0 NOT NULL,
	`frames_dropped` integer DEFAULT 0 NOT NULL,
	`last_event_at` integer NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consent_id`) REFERENCES `consents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `camera_sessions_consent_idx` ON `camera_sessions` (`consent_id`);--> statement-breakpoint
CREATE INDEX `camera_sessions_visit_idx` ON `camera_sessions` (`visit_id`);--> statement-breakpoint
CREATE INDEX `camera_sessions_station_idx` ON `camera_sessions` (`station_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `consents` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`visit_id` text,
	`notice_id` text NOT NULL,
	`notice_sha256` text NOT NULL,
	`scope` text DEFAULT 'camera' NOT NULL,
	`given_at` text DEFAULT 'phone' NOT NULL,
	`granted_at` integer NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`notice_id`) REFERENCES `notices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consents_visit_idx` ON `consents` (`visit_id`);--> statement-breakpoint
CREATE INDEX `consents_office_granted_idx` ON `consents` (`office_id`,`granted_at`);--> statement-breakpoint
CREATE TABLE `notices` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`lang` text NOT NULL,
	`version` integer NOT NULL,
	`sha256` text NOT NULL,
	`body` text NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` text,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_office_lang_version_idx` ON `notices` (`office_id`,`lang`,`version`);--> statement-breakpoint
CREATE TABLE `station_events` (
	`id` text PRIMARY KEY NOT NULL,
	`station_id` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `station_events_received_idx` ON `station_events` (`received_at`);--> statement-breakpoint
CREATE TABLE `audit_guard` (
	`id` integer PRIMARY KEY NOT NULL,
	`purging` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`office_id` text,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`target` text,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_action_target_idx` ON `audit_log` (`action`,`target`,`at`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_log` (`actor_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `assessments` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`generated_at` integer NOT NULL,
	`generated_by` text,
	`body` text NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assessments_office_idx` ON `assessments` (`office_id`,`generated_at`);--> statement-breakpoint
CREATE TABLE `data_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`office_id` text NOT NULL,
	`visitor_id` text,
	`kind` text NOT NULL,
	`via` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	`handled_by` text,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `data_requests_office_idx` ON `data_requests` (`office_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `purge_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`trigger` text NOT NULL,
	`deleted` text NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `purge_runs_started_idx` ON `purge_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `retention_policies` (
	`office_id` text NOT NULL,
	`kind` text NOT NULL,
	`days` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	PRIMARY KEY(`office_id`, `kind`),
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `daily_rollups` (
	`office_id` text NOT NULL,
	`day` text NOT NULL,
	`hour` integer NOT NULL,
	`channel` text NOT NULL,
	`zone` text DEFAULT '' NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	`first_visits` integer DEFAULT 0 NOT NULL,
	`returns` integer DEFAULT 0 NOT NULL,
	`consented` integer DEFAULT 0 NOT NULL,
	`disputed` integer DEFAULT 0 NOT NULL,
	`sessions` integer DEFAULT 0 NOT NULL,
	`dwell_ms_sum` integer DEFAULT 0 NOT NULL,
	`attention_ms_sum` integer DEFAULT 0 NOT NULL,
	`dwell_buckets` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`office_id`, `day`, `hour`, `channel`, `zone`),
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `daily_rollups_day_idx` ON `daily_rollups` (`day`);