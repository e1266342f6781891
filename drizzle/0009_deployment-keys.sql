CREATE TABLE `deployment_keys` (
	`id` integer PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`recorded_at` integer NOT NULL
);
