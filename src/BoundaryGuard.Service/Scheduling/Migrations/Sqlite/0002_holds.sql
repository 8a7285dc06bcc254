-- BoundaryGuard migration 0002: holds and the mailbox delta cursors (SQLite).
--
-- Instants are Unix milliseconds (UTC) in BIGINT columns, the same on both providers, so ordering and
-- comparison never depend on a provider's date type or on a machine's zone. Enums are their wire names.
-- Mailboxes are stored lower-cased by the store: that is how they compare case-insensitively.
-- Nothing of a draft's content (subject, body, recipients) has a column here, by design.
--
-- The journal mode (WAL) is not set here: SQLite refuses to change it inside a transaction, and every
-- migration runs in one; SchemaMigrator sets it before the run.
CREATE TABLE holds (
  id TEXT NOT NULL PRIMARY KEY,
  mailbox TEXT NOT NULL,
  message_id TEXT NOT NULL,
  department TEXT NULL,
  source TEXT NOT NULL CHECK (source IN ('add-in', 'send-later')),
  state TEXT NOT NULL CHECK (state IN ('held', 'sending', 'sent', 'cancelled', 'overridden', 'sent-by-user', 'failed')),
  reasons INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  release_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  send_started_at BIGINT NULL,
  completed_at BIGINT NULL,
  override_reason TEXT NULL CHECK (override_reason IN ('patient-care', 'time-critical', 'recipient-asked', 'other')),
  failure_reason TEXT NULL,
  version INTEGER NOT NULL
);

-- At most one pending hold per draft: the store's TryAddAsync inserts ON CONFLICT against this index.
CREATE UNIQUE INDEX holds_pending_draft ON holds (mailbox, message_id) WHERE state IN ('held', 'sending');
CREATE INDEX holds_by_mailbox ON holds (mailbox, created_at DESC);
CREATE INDEX holds_by_state ON holds (state, release_at);

CREATE TABLE mailbox_cursors (
  mailbox TEXT NOT NULL,
  feed TEXT NOT NULL,
  delta_link TEXT NOT NULL,
  PRIMARY KEY (mailbox, feed)
);
