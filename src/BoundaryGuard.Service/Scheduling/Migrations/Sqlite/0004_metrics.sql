-- BoundaryGuard migration 0004: boundary metrics (Sqlite). metric_events is append-only: one row per hold made,
-- released, cancelled or overridden, per add-in deferral, and per sent message the Sent Items audit saw. Each carries
-- the sender, the department, its instant and the sender's local day, hour and ISO week, whether it fell in a night,
-- a weekend or a closure, and how many recipients were trainees, faculty, staff or external. No subject, body or
-- recipient address has a column. key makes recording idempotent (a hold's event, a sent message's id).
-- metric_weeks and metric_hold_minutes are the rollups per department, sender and ISO week, kept in the same
-- transaction as the events they count; the scorecard reads only them.
CREATE TABLE metric_events (
  seq INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
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

CREATE TABLE metric_weeks (
  department TEXT NOT NULL,
  week INTEGER NOT NULL,
  sender TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  held INTEGER NOT NULL,
  deferred INTEGER NOT NULL,
  released INTEGER NOT NULL,
  cancelled INTEGER NOT NULL,
  overrides INTEGER NOT NULL,
  override_patient_care INTEGER NOT NULL,
  override_time_critical INTEGER NOT NULL,
  override_recipient_asked INTEGER NOT NULL,
  override_other INTEGER NOT NULL,
  delivered_after_hours INTEGER NOT NULL,
  delivered_after_hours_trainees INTEGER NOT NULL,
  sent_in_hours INTEGER NOT NULL,
  weekend INTEGER NOT NULL,
  holiday INTEGER NOT NULL,
  PRIMARY KEY (department, week, sender)
);

-- Hold durations of released mail in quarter-hour buckets, for the median.
CREATE TABLE metric_hold_minutes (
  department TEXT NOT NULL,
  week INTEGER NOT NULL,
  sender TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (department, week, sender, bucket)
);
