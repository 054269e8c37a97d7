import type { ThreadRow } from "./schema";

/** How long a cron run holds claimed threads before another run may take them. */
export const THREAD_LEASE_MS = 5 * 60 * 1000;

/**
 * The due-thread claim: one conditional UPDATE over the partial index on pending due
 * times, oldest first. A thread leased by a run still in flight is skipped; one whose lease
 * ran out (the run died) is taken again.
 */
export const CLAIM_DUE_SQL = `UPDATE threads SET lease_until = ?1
WHERE id IN (
  SELECT id FROM threads
  WHERE status = 'scheduled' AND due_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2)
  ORDER BY due_at
  LIMIT ?3
)
AND status = 'scheduled' AND due_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2)
RETURNING *`;

/** The inner query alone, for EXPLAIN QUERY PLAN. */
export const DUE_QUERY_SQL = `SELECT id FROM threads
  WHERE status = 'scheduled' AND due_at <= ?1 AND (lease_until IS NULL OR lease_until <= ?1)
  ORDER BY due_at LIMIT ?2`;

/** Claims up to `limit` due threads; also returns D1's rows_read for the statement. */
export async function claimDueThreads(
  d1: D1Database,
  now: number,
  limit: number,
): Promise<{ threads: ThreadRow[]; lease: number; rowsRead: number }> {
  const lease = now + THREAD_LEASE_MS;
  const result = await d1
    .prepare(CLAIM_DUE_SQL)
    .bind(lease, now, limit)
    .all<Record<string, unknown>>();
  const threads = result.results.map(toThreadRow).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  return { threads, lease, rowsRead: result.meta.rows_read ?? 0 };
}

/** Maps a raw `threads` row (snake_case, integers for booleans) to drizzle's shape. */
export function toThreadRow(r: Record<string, unknown>): ThreadRow {
  const num = (k: string) => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
  const str = (k: string) => (r[k] === null || r[k] === undefined ? null : String(r[k]));
  return {
    id: String(r.id),
    userId: String(r.user_id),
    kind: String(r.kind) as ThreadRow["kind"],
    status: String(r.status) as ThreadRow["status"],
    address: String(r.address),
    recurrence: str("recurrence"),
    explicitFirst: Number(r.explicit_first) === 1,
    subject: String(r.subject),
    messageId: String(r.message_id),
    referencesJson: String(r.references_json),
    contactsJson: String(r.contacts_json),
    snippet: String(r.snippet),
    dateHeader: str("date_header"),
    sentAt: Number(r.sent_at),
    step: Number(r.step),
    dueAt: num("due_at"),
    lastActivityAt: Number(r.last_activity_at),
    parseError: str("parse_error"),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    leaseUntil: num("lease_until"),
    remindersSent: Number(r.reminders_sent),
  };
}
