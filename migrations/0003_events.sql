-- Every outreach, reminder, follow-up, reply, call and command, timestamped: the stats and
-- the weekly digest are built from these.
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  thread_id TEXT REFERENCES threads (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (
    kind IN ('outreach', 'reminder', 'followup', 'reply', 'call', 'snooze', 'stop', 'done')
  ),
  source TEXT NOT NULL CHECK (source IN ('email', 'web', 'detected', 'cron')),
  at INTEGER NOT NULL
);
CREATE INDEX events_user_at ON events (user_id, at);
CREATE INDEX events_thread ON events (thread_id);

-- Rate limits for mail Sprout sends on its own initiative (help replies, notices to an
-- owner): one row per key, holding when it last fired.
CREATE TABLE notices (
  key TEXT PRIMARY KEY,
  at INTEGER NOT NULL
) WITHOUT ROWID;

-- A contact's reply names the outreach's Message-ID without knowing whose it is.
CREATE INDEX thread_messages_message ON thread_messages (message_id);
