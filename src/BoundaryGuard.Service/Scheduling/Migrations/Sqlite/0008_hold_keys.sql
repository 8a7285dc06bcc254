-- BoundaryGuard migration 0008 (Sqlite): hold keys, and holds awaiting a draft's sync.
-- hold_key: the UUID the add-in chose for one Send, so a repeated or late request finds the hold it made; unique per
-- mailbox where present (older holds and "Send later" holds have none). Text, like the ids.
-- awaiting_sync: held for a draft Outlook saved in cached mode that Graph does not know yet (0 or 1); its message_id
-- is the one the add-in gave until the draft appears and its immutable id replaces it.
ALTER TABLE holds ADD COLUMN hold_key TEXT NULL;
ALTER TABLE holds ADD COLUMN awaiting_sync INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_sync IN (0, 1));

CREATE UNIQUE INDEX holds_by_key ON holds (mailbox, hold_key) WHERE hold_key IS NOT NULL;
