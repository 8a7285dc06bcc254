-- BoundaryGuard migration 0006 (PostgreSQL): what IT manages in the service, and the audit log of every change to it.
-- admin_calendars: named closure calendars; document is the calendar as JSON (its national holiday codes, manual
-- closures and uploaded ICS files by name, SHA-256 and filter). admin_calendar_files: the ICS files' text, by
-- calendar and name. admin_departments: a department's working hours and calendar (document, JSON); a department
-- here overrides the policy folder's. admin_audit: who changed what and when, with the document before and after.
-- generation counts changes, so every node of a cluster sees one and reloads.
CREATE TABLE admin_calendars (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

CREATE TABLE admin_calendar_files (
  calendar_id TEXT NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (calendar_id, name)
);

CREATE TABLE admin_departments (
  name TEXT NOT NULL PRIMARY KEY,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

CREATE TABLE admin_audit (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before TEXT NULL,
  after TEXT NULL
);

CREATE TABLE admin_generation (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  generation BIGINT NOT NULL
);

INSERT INTO admin_generation (id, generation) VALUES (1, 0);
