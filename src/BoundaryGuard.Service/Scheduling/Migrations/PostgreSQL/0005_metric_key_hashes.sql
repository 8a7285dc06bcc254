-- BoundaryGuard migration 0005 (PostgreSQL): metric events keyed by a hash, and rollups per department.
-- An event's idempotency key (a Sent Items message id runs to some 200 characters) is kept as the first 16 bytes of
-- its SHA-256: the index that makes recording idempotent is a tenth of the size, compared byte by byte rather than
-- by collation, and the text of a key is never read back.
-- The rollups gain a row per department and week with sender '*', the sum of its senders' rows, kept in the same
-- transaction: a department's scorecard reads 52 of them, not one per sender and week.
ALTER TABLE metric_events ADD COLUMN key_hash BYTEA NULL;

UPDATE metric_events SET key_hash = substring(sha256(convert_to(key, 'UTF8')) FROM 1 FOR 16);

ALTER TABLE metric_events ALTER COLUMN key_hash SET NOT NULL;

ALTER TABLE metric_events ADD CONSTRAINT metric_events_key_hash_key UNIQUE (key_hash);

ALTER TABLE metric_events DROP COLUMN key;

-- A department's sum (and a sender's own card) is found by sender first.
CREATE INDEX metric_weeks_by_sender ON metric_weeks (sender, department, week);

CREATE INDEX metric_hold_minutes_by_sender ON metric_hold_minutes (sender, department, week);

INSERT INTO metric_weeks (department, week, sender, attempts, held, deferred, released, cancelled, overrides, override_patient_care,
  override_time_critical, override_recipient_asked, override_other, delivered_after_hours, delivered_after_hours_trainees, sent_in_hours, weekend, holiday)
SELECT department, week, '*',
  SUM(attempts), SUM(held), SUM(deferred), SUM(released), SUM(cancelled), SUM(overrides), SUM(override_patient_care),
  SUM(override_time_critical), SUM(override_recipient_asked), SUM(override_other), SUM(delivered_after_hours), SUM(delivered_after_hours_trainees), SUM(sent_in_hours), SUM(weekend), SUM(holiday)
FROM metric_weeks GROUP BY department, week;

INSERT INTO metric_hold_minutes (department, week, sender, bucket, count)
SELECT department, week, '*', bucket, SUM(count) FROM metric_hold_minutes GROUP BY department, week, bucket;
