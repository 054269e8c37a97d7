-- Bounces and complaints (SPEC section 9): Resend's signed webhook puts an address that
-- bounced for good, or whose owner reported Sprout's mail as spam, on a suppression list;
-- Sprout then sends it nothing more, until its owner lifts it on the web page.

-- One row per suppressed address (lower-cased, as users.email and every outgoing `to`).
-- cause: 'bounce' (a permanent bounce), 'complaint' (a spam report) or 'provider' (Resend
-- refused to send because the address is on Resend's own suppression list). The first event
-- is kept: a later one for an address already suppressed changes nothing.
CREATE TABLE suppressions (
  address TEXT PRIMARY KEY,
  cause TEXT NOT NULL CHECK (cause IN ('bounce', 'complaint', 'provider')),
  -- The webhook event's type, e.g. email.bounced.
  event_type TEXT NOT NULL,
  -- What the event said, e.g. "Permanent/General: 550 5.1.1 user unknown".
  detail TEXT NOT NULL DEFAULT '',
  -- The webhook message id (svix-id) and Resend's id of the email concerned.
  event_id TEXT NOT NULL,
  email_id TEXT,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Webhook message ids already acted on, so a replayed (or retried) event changes nothing
-- twice. Kept 3 days (a retention sweep): longer than the 5-minute signature window makes a
-- replay possible, and longer than Resend's automatic retries of one event (about 28 hours).
CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX webhook_events_received ON webhook_events (received_at);

-- A delivery to a suppressed address becomes 'suppressed' instead of being sent. SQLite
-- cannot alter a CHECK constraint, so the table is rebuilt: a new table with the new CHECK
-- and the same columns in the same order, every row copied, the old table dropped (its
-- indexes go with it), the new one renamed, and every index recreated. Nothing references
-- deliveries, so no other table changes.
CREATE TABLE deliveries_new (
  id TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  thread_id TEXT,
  kind TEXT NOT NULL,
  step INTEGER,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (
    status IN ('pending', 'sent', 'failed', 'unknown', 'suppressed')
  ),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  first_attempt_at INTEGER,
  last_error TEXT,
  provider_id TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  batch_key TEXT,
  subject TEXT NOT NULL DEFAULT ''
);
INSERT INTO deliveries_new (
  id, user_id, thread_id, kind, step, payload, status, attempts, next_attempt_at, lease_until,
  first_attempt_at, last_error, provider_id, created_at, sent_at, batch_key, subject
)
SELECT
  id, user_id, thread_id, kind, step, payload, status, attempts, next_attempt_at, lease_until,
  first_attempt_at, last_error, provider_id, created_at, sent_at, batch_key, subject
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;

-- Every index deliveries had (0001, 0002, 0004, 0007), as they were.
CREATE INDEX deliveries_pending ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_thread ON deliveries (thread_id);
CREATE INDEX deliveries_batch ON deliveries (batch_key) WHERE status = 'pending';
CREATE INDEX deliveries_user_status ON deliveries (user_id, status, created_at, id);
CREATE INDEX deliveries_sent ON deliveries (sent_at) WHERE sent_at IS NOT NULL;
-- New: suppressed deliveries are deleted 30 days after they were queued, like sent ones.
CREATE INDEX deliveries_suppressed ON deliveries (created_at) WHERE status = 'suppressed';
