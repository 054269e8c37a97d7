-- The web page: one-time sign-in links and sessions. Only SHA-256 hashes of tokens and
-- session ids are stored, so a copy of the database signs nobody in.
CREATE TABLE login_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX login_tokens_user ON login_tokens (user_id);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- The threads page pages through replied and dormant threads newest first (keyset on
-- updated_at, id), and through failed deliveries.
CREATE INDEX threads_user_status_updated ON threads (user_id, status, updated_at, id);
CREATE INDEX deliveries_user_status ON deliveries (user_id, status, created_at, id);
