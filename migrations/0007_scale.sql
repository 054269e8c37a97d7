-- Scale (SPEC section 10): every query the cron job repeats finds its rows through an index,
-- so its cost follows the work to do, never the size of the tables.

-- The due-reminder claim walks only rows it may take. Leased rows (a run or the queue
-- consumer is on them) leave the claim's partial index; threads_lease finds leases that ran
-- out (their run died), which the cron job clears so the claim sees those rows again.
--
-- Pause: a paused user's due reminders are held (held = 1) rather than pushed a day at a
-- time. due_at keeps the time they were due, the claim's index leaves held rows out (a paused
-- user costs the claim nothing), and resuming clears held, so every reminder that came due
-- meanwhile is due at the next cron run, oldest first. threads_held finds them on resume.
ALTER TABLE threads ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
DROP INDEX threads_due;
CREATE INDEX threads_due ON threads (due_at)
  WHERE status = 'scheduled' AND held = 0 AND lease_until IS NULL;
CREATE INDEX threads_lease ON threads (lease_until) WHERE lease_until IS NOT NULL;
CREATE INDEX threads_held ON threads (user_id) WHERE held = 1;

-- The reminder event is as exactly-once as its delivery: it carries the delivery id as its
-- key, so a run whose lease ran out and the run that took the thread over record it once.
ALTER TABLE events ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX events_dedupe ON events (dedupe_key) WHERE dedupe_key IS NOT NULL;

-- The weekly digest: when the user's next digest is due. 0 (the default, so every existing
-- and every new user) means "not computed yet": the cron job computes it on its first look.
-- NULL means no digest (turned off). The digest job reads only users whose moment has come.
ALTER TABLE users ADD COLUMN next_digest_at INTEGER DEFAULT 0;
CREATE INDEX users_next_digest ON users (next_digest_at) WHERE next_digest_at IS NOT NULL;

-- Retention (SPEC section 9): each sweep deletes through an index on its cut-off column.
-- inbound_received already serves the 30-day sweep of inbound records. Sent deliveries go
-- after 30 days too (their copy of the email is most of a database's bytes).
CREATE INDEX login_tokens_expires ON login_tokens (expires_at);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
CREATE INDEX deliveries_sent ON deliveries (sent_at) WHERE sent_at IS NOT NULL;
