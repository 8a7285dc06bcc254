-- BoundaryGuard migration 0007 (Sqlite): exemptions, and the index the what-if reads.
-- admin_exemptions: people whose mail is never held (an on-call clinical role), each with a reason and the last day
-- it applies (inclusive, in their department's zone), kept and audited like IT's other changes.
-- metric_events by ISO week: a policy change's what-if replays a department's last four weeks of sends. By week alone:
-- events arrive roughly in time order, so a batch's entries land at the end of a run of equal keys, and a small integer
-- key keeps the index cheap to write (one by department and instant cost PostgreSQL a quarter of its bulk ingestion,
-- one by department and week SQLite an eighth); the what-if reads five weeks of every department's events.
CREATE TABLE admin_exemptions (
  id TEXT NOT NULL PRIMARY KEY,
  mailbox TEXT NOT NULL,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

CREATE INDEX admin_exemptions_by_mailbox ON admin_exemptions (mailbox);

CREATE INDEX metric_events_by_week ON metric_events (iso_week);
