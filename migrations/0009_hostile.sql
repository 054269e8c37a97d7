-- Issue 9, leftover data and unbounded storage.
--
-- Account delete removes every inbound record that carries the user's address, also those
-- recorded without a user id (automated replies, bulk mail, the sender-authentication
-- verdicts): by the sender's address (header From, envelope from) and by the user's threads
-- (automated mail to a thread's reply address). Each lookup is an index search, so deleting
-- one account does not read the whole 30 days of inbound mail.
-- IF NOT EXISTS: the sign-up work (0008_trust.sql) creates the same index for the same reason.
CREATE INDEX IF NOT EXISTS inbound_header_from ON inbound (header_from);
CREATE INDEX inbound_envelope_from ON inbound (envelope_from);
CREATE INDEX inbound_thread ON inbound (thread_id);

-- Rate-limit rows (notices) are keyed by address: a sweep deletes those older than every
-- limit's window, oldest first, through this index.
CREATE INDEX notices_at ON notices (at);
