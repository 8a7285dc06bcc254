-- BoundaryGuard migration 0008 (PostgreSQL): hold keys, and holds awaiting a draft's sync.
-- hold_key: the UUID the add-in chose for one Send, so a repeated or late request finds the hold it made; unique per
-- mailbox where present (older holds and "Send later" holds have none).
-- awaiting_sync: held for a draft Outlook saved in cached mode that Graph does not know yet; its message_id is the one
-- the add-in gave until the draft appears and its immutable id replaces it.
ALTER TABLE holds ADD COLUMN hold_key UUID NULL;
ALTER TABLE holds ADD COLUMN awaiting_sync BOOLEAN NOT NULL DEFAULT FALSE;

CREATE UNIQUE INDEX holds_by_key ON holds (mailbox, hold_key) WHERE hold_key IS NOT NULL;
