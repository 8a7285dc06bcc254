-- BoundaryGuard migration 0009 (PostgreSQL): the revision of the add-in's served manifests.
-- addin_revisions: a row each time the fingerprint of what the service serves in the manifests changed (the filled
-- manifests, the Entra settings, the send mode and the API's address); the latest row is in force and the manifests
-- carry {major}.{minor}.{revision}. A fingerprint served before may come back (a setting changed and changed back): it
-- gets a new, higher revision, since Outlook only takes a higher version. Nodes sharing the database agree through the
-- primary key: two racing for the next number store it once. Nothing here depends on another migration's tables.
CREATE TABLE addin_revisions (
  revision INTEGER NOT NULL PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  created_at TEXT NOT NULL
);
