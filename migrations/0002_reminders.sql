-- Reminders: a lease so overlapping cron runs never claim one thread twice, a count of
-- reminders sent (which numbers each reminder's delivery), and the batch a delivery
-- belongs to for life (its retries reuse that batch's Idempotency-Key).
ALTER TABLE threads ADD COLUMN lease_until INTEGER;
ALTER TABLE threads ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN batch_key TEXT;
CREATE INDEX deliveries_batch ON deliveries (batch_key) WHERE status = 'pending';
