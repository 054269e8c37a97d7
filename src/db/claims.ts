import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "./client";
import { rawRowMapper } from "./raw-rows";
import { type ThreadRow, threads, type UserRow, users } from "./schema";

// The reminder job's queries: the due-thread claim and its lease, what a claimed thread
// becomes (moved to its next step, or held while its owner is paused), and its event.

/** How long a cron run holds the threads it claimed before another run may take them. */
const THREAD_LEASE_MS = 5 * 60 * 1000;

/**
 * The due-thread claim: one conditional UPDATE over the partial index of claimable due
 * times (scheduled, not held, not leased), oldest first. Claimed rows leave that index, so
 * the next claim never walks past them; a lease that runs out is cleared by clearLapsedLeases.
 */
const CLAIM_DUE_SQL = `UPDATE threads SET lease_until = ?1
WHERE id IN (
  SELECT id FROM threads
  WHERE status = 'scheduled' AND held = 0 AND lease_until IS NULL AND due_at <= ?2
  ORDER BY due_at
  LIMIT ?3
)
AND status = 'scheduled' AND held = 0 AND lease_until IS NULL AND due_at <= ?2
RETURNING *`;

/** The claim's inner query alone, for EXPLAIN QUERY PLAN. */
export const DUE_QUERY_SQL = `SELECT id FROM threads
  WHERE status = 'scheduled' AND held = 0 AND lease_until IS NULL AND due_at <= ?1
  ORDER BY due_at LIMIT ?2`;

/** Claims up to `limit` due threads for `leaseMs`; also returns D1's rows_read for it. */
export async function claimDueThreads(
  d1: D1Database,
  now: number,
  limit: number,
  leaseMs = THREAD_LEASE_MS,
): Promise<{ threads: ThreadRow[]; lease: number; rowsRead: number }> {
  const lease = now + leaseMs;
  const result = await d1
    .prepare(CLAIM_DUE_SQL)
    .bind(lease, now, limit)
    .all<Record<string, unknown>>();
  const claimed = result.results.map(toThreadRow).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  return { threads: claimed, lease, rowsRead: result.meta.rows_read ?? 0 };
}

/** Leases that ran out (their run died), oldest first, for EXPLAIN QUERY PLAN. */
export const LAPSED_LEASES_SQL =
  "SELECT rowid FROM threads WHERE lease_until <= ?1 ORDER BY lease_until LIMIT ?2";

/** Clears up to `limit` lapsed leases, so the claim sees those threads again; returns how many. */
export async function clearLapsedLeases(d1: D1Database, now: number, limit: number) {
  const result = await d1
    .prepare(`UPDATE threads SET lease_until = NULL WHERE rowid IN (${LAPSED_LEASES_SQL})`)
    .bind(now, limit)
    .run();
  return result.meta.changes ?? 0;
}

/** The threads of `ids` still held under `lease` (a queue message's claim), any others dropped. */
export async function leasedThreads(db: Db, ids: string[], lease: number): Promise<ThreadRow[]> {
  const out: ThreadRow[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select()
      .from(threads)
      .where(and(inArray(threads.id, ids.slice(i, i + 90)), eq(threads.leaseUntil, lease)));
    out.push(...rows);
  }
  return out.sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
}

/** The owners of the given user ids. */
export async function ownersOf(db: Db, ids: string[]): Promise<Map<string, UserRow>> {
  const out = new Map<string, UserRow>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select()
      .from(users)
      .where(inArray(users.id, ids.slice(i, i + 90)));
    for (const row of rows) out.set(row.id, row);
  }
  return out;
}

// The writes of the reminder job are raw D1 statements: prepared SQL plus bound values cost
// microseconds to build, where the query builder took about 0.1 ms a statement (measured
// in Node), three statements a reminder.

/** Where a claimed thread goes once its reminder is queued. */
export interface NextStep {
  status: "scheduled" | "dormant";
  step: number;
  dueAt: number | null;
}

const RELEASE_SQL = `UPDATE threads SET status = ?1, step = ?2, due_at = ?3, reminders_sent = ?4,
  last_activity_at = ?5, updated_at = ?5, lease_until = NULL
WHERE id = ?6 AND lease_until = ?7 AND reminders_sent = ?8`;

/**
 * Statement that moves a claimed thread to its next step (its reminder went out at `now`)
 * and drops the lease, only if the claim still holds: the same lease, the same count.
 */
export function releaseToNextStep(
  d1: D1Database,
  thread: ThreadRow,
  lease: number,
  next: NextStep,
  now: number,
): D1PreparedStatement {
  return d1
    .prepare(RELEASE_SQL)
    .bind(
      next.status,
      next.step,
      next.dueAt,
      thread.remindersSent + 1,
      now,
      thread.id,
      lease,
      thread.remindersSent,
    );
}

const HOLD_SQL = `UPDATE threads SET held = 1, lease_until = NULL
WHERE id = ?1 AND lease_until = ?2 AND reminders_sent = ?3
  AND EXISTS (SELECT 1 FROM users u WHERE u.id = threads.user_id AND u.paused = 1)`;
const DROP_LEASE_SQL = `UPDATE threads SET lease_until = NULL
WHERE id = ?1 AND lease_until = ?2 AND reminders_sent = ?3`;

/**
 * Statements that hold a claimed thread whose owner is paused: out of the claim's index,
 * due_at untouched. Only while the owner is still paused (checked in the same statement, so
 * a resume that lands first wins); otherwise the lease is just dropped and it is due again.
 */
export function holdThread(
  d1: D1Database,
  thread: ThreadRow,
  lease: number,
): D1PreparedStatement[] {
  return [HOLD_SQL, DROP_LEASE_SQL].map((sql) =>
    d1.prepare(sql).bind(thread.id, lease, thread.remindersSent),
  );
}

const REMINDER_EVENT_SQL = `INSERT INTO events (user_id, thread_id, kind, source, at, dedupe_key)
VALUES (?1, ?2, 'reminder', 'cron', ?3, ?4) ON CONFLICT DO NOTHING`;

/**
 * Statement that records a reminder event once: its key is the reminder's delivery id, so
 * a second run that reaches the same reminder (its lease ran out) records nothing more.
 */
export function recordReminderEvent(
  d1: D1Database,
  e: { userId: string; threadId: string; at: number; deliveryId: string },
): D1PreparedStatement {
  return d1.prepare(REMINDER_EVENT_SQL).bind(e.userId, e.threadId, e.at, e.deliveryId);
}

/** Maps a raw `threads` row to drizzle's shape. */
const toThreadRow = rawRowMapper(threads);
