-- Sprout's first schema. Times are integer milliseconds since the Unix epoch (UTC).

-- One row per person who uses Sprout; identity is the lower-cased From address.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'verified' CHECK (status IN ('verified', 'pending')),
  time_zone TEXT NOT NULL,
  reminder_minutes INTEGER NOT NULL DEFAULT 480,
  skip_weekends INTEGER NOT NULL DEFAULT 1,
  cadence TEXT NOT NULL DEFAULT '3bd,1w,2w,3mo',
  one_reminder_only INTEGER NOT NULL DEFAULT 0,
  confirmations INTEGER NOT NULL DEFAULT 1,
  digest_enabled INTEGER NOT NULL DEFAULT 1,
  digest_day INTEGER NOT NULL DEFAULT 1,
  paused INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

-- A tracked outreach. Only the snippet of the body is kept, never the rest.
CREATE TABLE threads (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('track', 'every')),
  status TEXT NOT NULL CHECK (
    status IN ('unscheduled', 'scheduled', 'replied', 'met', 'stopped', 'dormant')
  ),
  address TEXT NOT NULL,
  recurrence TEXT,
  explicit_first INTEGER NOT NULL DEFAULT 0,
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL,
  references_json TEXT NOT NULL DEFAULT '[]',
  contacts_json TEXT NOT NULL DEFAULT '[]',
  snippet TEXT NOT NULL DEFAULT '',
  date_header TEXT,
  sent_at INTEGER NOT NULL,
  step INTEGER NOT NULL DEFAULT 1,
  due_at INTEGER,
  last_activity_at INTEGER NOT NULL,
  parse_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The cron job's due query walks only pending rows (a partial index measured best).
CREATE INDEX threads_due ON threads (due_at) WHERE status = 'scheduled';
CREATE INDEX threads_user_status ON threads (user_id, status, due_at);

-- Every Message-ID Sprout knows for a user, so later messages in the conversation
-- (follow-ups, replies) find their thread.
CREATE TABLE thread_messages (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  message_id TEXT NOT NULL,
  thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, message_id)
) WITHOUT ROWID;
CREATE INDEX thread_messages_thread ON thread_messages (thread_id);

-- One row per handled delivery of an inbound message. The id is a hash of the
-- Message-ID and the envelope, so the same delivery twice is a no-op; messages Sprout
-- does not act on (loops, auto-replies) are recorded here rather than dropped unseen.
CREATE TABLE inbound (
  id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL,
  envelope_from TEXT NOT NULL,
  envelope_to TEXT NOT NULL,
  header_from TEXT,
  message_id TEXT,
  subject TEXT,
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  thread_id TEXT,
  outcome TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX inbound_received ON inbound (received_at);
CREATE INDEX inbound_user ON inbound (user_id);

-- Outgoing mail. The id is the Idempotency-Key sent to Resend; a row is written in the
-- same batch as the change that caused it, then sent, and retried until it resolves.
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  thread_id TEXT,
  kind TEXT NOT NULL,
  step INTEGER,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'unknown')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  first_attempt_at INTEGER,
  last_error TEXT,
  provider_id TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX deliveries_pending ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_thread ON deliveries (thread_id);

-- Local development only: what would have been sent through Resend.
CREATE TABLE dev_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  from_address TEXT NOT NULL,
  to_address TEXT NOT NULL,
  reply_to TEXT,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  headers_json TEXT NOT NULL DEFAULT '{}'
);
