-- BoundaryGuard migration 0005 (Sqlite): metric events keyed by a hash, and rollups per department.
-- An event's idempotency key (a Sent Items message id runs to some 200 characters) is kept as the first 16 bytes of
-- its SHA-256 (metric_key_hash, which the service registers on the connection): the index that makes recording
-- idempotent is a tenth of the size, and the text of a key is never read back. SQLite cannot drop a UNIQUE column,
-- so the table is rebuilt.
-- The rollups gain a row per department and week with sender '*', the sum of its senders' rows, kept in the same
-- transaction: a department's scorecard reads 52 of them, not one per sender and week.
CREATE TABLE metric_events_0005 (
  seq INTEGER PRIMARY KEY,
  key_hash BLOB NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('hold-created', 'released', 'cancelled', 'overridden', 'deferred',
                                     'delivered-after-hours', 'sent-in-hours')),
  at BIGINT NOT NULL,
  sender TEXT NOT NULL,
  department TEXT NOT NULL,
  local_day INTEGER NOT NULL,
  local_hour INTEGER NOT NULL,
  iso_week INTEGER NOT NULL,
  period INTEGER NOT NULL,
  reasons INTEGER NOT NULL,
  trainees INTEGER NOT NULL,
  faculty INTEGER NOT NULL,
  staff INTEGER NOT NULL,
  external INTEGER NOT NULL,
  override_reason TEXT NULL,
  source TEXT NULL,
  hold_minutes INTEGER NULL
);

INSERT INTO metric_events_0005 (seq, key_hash, kind, at, sender, department, local_day, local_hour, iso_week, period, reasons,
                                trainees, faculty, staff, external, override_reason, source, hold_minutes)
SELECT seq, metric_key_hash(key), kind, at, sender, department, local_day, local_hour, iso_week, period, reasons,
       trainees, faculty, staff, external, override_reason, source, hold_minutes
FROM metric_events;

DROP TABLE metric_events;

ALTER TABLE metric_events_0005 RENAME TO metric_events;

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
