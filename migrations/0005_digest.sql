-- The weekly digest: when a user's last digest was due, so each week sends at most one.
ALTER TABLE users ADD COLUMN last_digest_at INTEGER;
