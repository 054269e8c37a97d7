import { and, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Db, Statement } from "./client";
import { events, type ThreadRow, threads, type UserRow, users } from "./schema";

// The reminder job's queries: the due-thread claim and its lease, what a claimed thread
// becomes (released to its next step, or held while its owner is paused), and its event.

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

/** The claim this statement acts under: the thread as claimed, and the lease. */
const stillClaimed = (thread: ThreadRow, lease: number) =>
  and(
    eq(threads.id, thread.id),
    eq(threads.leaseUntil, lease),
    eq(threads.remindersSent, thread.remindersSent),
  );

/** Updates a claimed thread and drops the lease, only if the claim still holds. */
export function releaseThread(
  db: Db,
  thread: ThreadRow,
  lease: number,
  set: Partial<typeof threads.$inferInsert>,
): Statement {
  return db
    .update(threads)
    .set({ ...set, leaseUntil: null })
    .where(stillClaimed(thread, lease));
}

/**
 * Statements that hold a claimed thread whose owner is paused: out of the claim's index,
 * due_at untouched. Only while the owner is still paused (checked in the same statement, so
 * a resume that lands first wins); otherwise the lease is just dropped and it is due again.
 */
export function holdThread(db: Db, thread: ThreadRow, lease: number): Statement[] {
  return [
    db
      .update(threads)
      .set({ held: true, leaseUntil: null })
      .where(
        and(
          stillClaimed(thread, lease),
          sql`exists (select 1 from users u where u.id = ${thread.userId} and u.paused = 1)`,
        ),
      ),
    releaseThread(db, thread, lease, {}),
  ];
}

/**
 * Statement that records a reminder event once: its key is the reminder's delivery id, so
 * a second run that reaches the same reminder (its lease ran out) records nothing more.
 */
export function recordReminderEvent(
  db: Db,
  e: { userId: string; threadId: string; at: number; deliveryId: string },
): Statement {
  return db
    .insert(events)
    .values({
      userId: e.userId,
      threadId: e.threadId,
      kind: "reminder",
      source: "cron",
      at: e.at,
      dedupeKey: e.deliveryId,
    })
    .onConflictDoNothing();
}

const THREAD_COLUMNS = Object.entries(getTableColumns(threads));

/**
 * Maps a raw `threads` row (snake_case, integers for booleans) to drizzle's shape, through
 * the schema's own column list, so a column added to the schema is mapped here too.
 */
function toThreadRow(r: Record<string, unknown>): ThreadRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of THREAD_COLUMNS) {
    const value = r[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as ThreadRow;
}
