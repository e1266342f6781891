-- The audit log is append-only: no UPDATE ever, DELETE only by the retention purge (audit_guard.purging = 1).
INSERT INTO `audit_guard` (`id`, `purging`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
WHEN (SELECT `purging` FROM `audit_guard` WHERE `id` = 1) IS NOT 1
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_guard_no_delete` BEFORE DELETE ON `audit_guard`
BEGIN
  SELECT RAISE(ABORT, 'audit_guard is fixed');
END;
