-- Trust (SPEC sections 6 and 9): sign-up by mail, its confirmation links, and the limits on
-- the answers Sprout sends on its own. Nothing here holds a user's data: a stranger becomes a
-- row of `users` only once they confirm their address.

-- Mail from an unknown, authenticated sender, held until the address is confirmed: the raw
-- message as Sprout reads it (at most its first 1 MiB, base64), at most 20 messages and
-- 5 MiB per address. The id is the delivery's key (Message-ID and envelope), so one delivery
-- is held once. A hold is deleted when it is processed, or 7 days after it arrived.
CREATE TABLE signup_holds (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  envelope_to TEXT NOT NULL,
  raw_base64 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  truncated INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
-- The caps and the confirmation read one address's holds, in arrival order.
CREATE INDEX signup_holds_email ON signup_holds (email, received_at);
-- The cron job's retention sweep.
CREATE INDEX signup_holds_expires ON signup_holds (expires_at);

-- Confirmation links, like sign-in links: only SHA-256 hashes of the tokens are stored; each
-- works once, for 7 days, and is deleted by the cron job when it expires.
CREATE TABLE signup_links (
  token_hash TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX signup_links_email ON signup_links (email);
CREATE INDEX signup_links_expires ON signup_links (expires_at);

-- One row per automatic answer Sprout allowed itself (help, list, sign-in links, time-error
-- replies, command confirmations, confirmation emails) and per new tracked thread, keyed
-- `<kind>:<recipient address or user id>`. A claim counts the rows of its key inside a rolling
-- hour or day and inserts one more in the same statement, so racing handlers cannot overspend.
-- Rows older than a day count for nothing and are deleted by the cron job.
CREATE TABLE answer_log (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX answer_log_key ON answer_log (key, at);
CREATE INDEX answer_log_at ON answer_log (at);

-- Deleting an account removes every inbound record that carries its address, including the
-- ones written before it was a user (held, rejected as unauthenticated).
CREATE INDEX inbound_header_from ON inbound (header_from);
