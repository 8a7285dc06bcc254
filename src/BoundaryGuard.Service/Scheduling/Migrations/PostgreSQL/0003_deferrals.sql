-- BoundaryGuard migration 0003: sends the add-in let Outlook defer itself (delayDeliveryTime) because the service
-- could not be reached at Send (PostgreSQL). The add-in reports each later, with an id of its own so that a report
-- sent twice is stored once. Like holds: instants in Unix milliseconds, mailboxes lower-cased, reasons as the
-- HoldReasons flags, and no column for any content of the mail.
CREATE TABLE deferrals (
  id UUID NOT NULL PRIMARY KEY,
  mailbox TEXT NOT NULL,
  department TEXT NULL,
  deferred_at BIGINT NOT NULL,
  release_at BIGINT NOT NULL,
  reasons INTEGER NOT NULL,
  cause TEXT NOT NULL CHECK (cause IN ('token', 'timeout', 'unreachable', 'refused')),
  reported_at BIGINT NOT NULL
);

CREATE INDEX deferrals_by_mailbox ON deferrals (mailbox, deferred_at DESC);
