import { and, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { OutgoingEmail } from "../domain/outgoing";
import { type Db, runBatch, type Statement } from "./client";
import { rawRowMapper } from "./raw-rows";
import { type DeliveryRow, deliveries } from "./schema";

export interface NewDelivery {
  /** Also the Idempotency-Key: derive it from what caused the mail, never at random. */
  id: string;
  userId: string | null;
  threadId: string | null;
  kind: string;
  step?: number | null;
  email: OutgoingEmail;
}

/** Statement that queues an email; queuing the same id twice keeps the first. */
export function queueDelivery(db: Db, d: NewDelivery, now: number): Statement {
  return db
    .insert(deliveries)
    .values({
      id: d.id,
      userId: d.userId,
      threadId: d.threadId,
      kind: d.kind,
      step: d.step ?? null,
      payload: JSON.stringify(d.email),
      subject: d.email.subject,
      status: "pending",
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing();
}

const QUEUE_DELIVERY_SQL = `INSERT INTO deliveries
  (id, user_id, thread_id, kind, step, payload, status, next_attempt_at, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7) ON CONFLICT DO NOTHING`;

const QUEUE_CLAIMED_SQL = `INSERT INTO deliveries
  (id, user_id, thread_id, kind, step, payload, status, next_attempt_at, created_at,
   batch_key, lease_until, attempts, first_attempt_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7, ?8, ?9, 1, ?7)
ON CONFLICT DO NOTHING RETURNING *`;

/**
 * queueDelivery as a raw D1 statement, for the reminder job, which queues thousands a run
 * and batches them with other raw statements (see db/claims.ts). The same row, the same rule.
 * With `batchKey` the row is queued already claimed for this sender, in that batch (what
 * claimFresh would do, without writing the row twice): the statement returns the row only
 * if it inserted it, and a sender sends only rows it inserted, so a delivery another run
 * queued first is never sent under a second key.
 */
export function queueDeliveryRaw(
  d1: D1Database,
  d: NewDelivery,
  now: number,
  batchKey: string | null = null,
): D1PreparedStatement {
  const values = [d.id, d.userId, d.threadId, d.kind, d.step ?? null, JSON.stringify(d.email), now];
  return batchKey === null
    ? d1.prepare(QUEUE_DELIVERY_SQL).bind(...values)
    : d1.prepare(QUEUE_CLAIMED_SQL).bind(...values, batchKey, now + LEASE_MS);
}

/** Maps a raw `deliveries` row (a RETURNING of queueDeliveryRaw) to drizzle's shape. */
export const toDeliveryRow = rawRowMapper(deliveries);

/** How long one sender holds a claimed delivery before another may try it. */
const LEASE_MS = 2 * 60 * 1000;

const claimable = (now: number) =>
  and(
    eq(deliveries.status, "pending"),
    lte(deliveries.nextAttemptAt, now),
    or(isNull(deliveries.leaseUntil), lt(deliveries.leaseUntil, now)),
  );

/**
 * Claims up to `limit` pending deliveries never attempted before (all due ones, or those
 * in `ids`) with conditional UPDATEs, and makes them one batch for life: `batchKey` is the
 * Idempotency-Key every retry of that batch reuses.
 */
export async function claimFresh(
  db: Db,
  now: number,
  limit: number,
  batchKey: string,
  ids: string[] | null = null,
): Promise<DeliveryRow[]> {
  const claimed: DeliveryRow[] = [];
  // Ids travel as bound parameters (at most 100 a statement): claim them 80 at a time,
  // all under the same key, so they still leave as one request.
  const chunks = ids === null ? [null] : chunk(ids, 80);
  for (const part of chunks) {
    if (claimed.length >= limit) break;
    const due = and(claimable(now), isNull(deliveries.batchKey));
    const candidates = db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(due, part === null ? undefined : inArray(deliveries.id, part)))
      .orderBy(deliveries.nextAttemptAt)
      .limit(limit - claimed.length);
    const rows = await db
      .update(deliveries)
      .set({
        batchKey,
        leaseUntil: now + LEASE_MS,
        attempts: sql`${deliveries.attempts} + 1`,
        firstAttemptAt: sql`coalesce(${deliveries.firstAttemptAt}, ${now})`,
      })
      .where(and(inArray(deliveries.id, candidates), due))
      .returning();
    claimed.push(...rows);
  }
  return claimed.sort((a, b) => a.id.localeCompare(b.id));
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Claims the whole of the oldest due batch that was attempted before, to send it again. */
export async function claimRetryBatch(db: Db, now: number): Promise<DeliveryRow[]> {
  const due = and(claimable(now), isNotNull(deliveries.batchKey));
  const oldest = await db
    .select({ batchKey: deliveries.batchKey })
    .from(deliveries)
    .where(due)
    .orderBy(deliveries.nextAttemptAt)
    .limit(1);
  const batchKey = oldest[0]?.batchKey;
  if (batchKey === undefined || batchKey === null) return [];
  const rows = await db
    .update(deliveries)
    .set({
      leaseUntil: now + LEASE_MS,
      attempts: sql`${deliveries.attempts} + 1`,
    })
    .where(and(eq(deliveries.batchKey, batchKey), claimable(now)))
    .returning();
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Gives back claimed deliveries that were not sent after all (the run ran out of time before
 * their slot): due again at once, in the same batch, with the same key.
 */
export async function unclaim(db: Db, ids: string[]): Promise<void> {
  await runBatch(
    db,
    chunk(ids, 90).map((part) =>
      db
        .update(deliveries)
        .set({ leaseUntil: null, attempts: sql`${deliveries.attempts} - 1` })
        .where(inArray(deliveries.id, part)),
    ),
  );
}

/** Splits a batch that Resend refused as a whole into batches of one, to learn which failed. */
export function splitBatch(db: Db, id: string, now: number): Statement {
  return db
    .update(deliveries)
    .set({ batchKey: sql`'solo-' || ${deliveries.id}`, leaseUntil: null, nextAttemptAt: now })
    .where(eq(deliveries.id, id));
}

const MARK_SENT_SQL = `UPDATE deliveries
SET status = 'sent', provider_id = ?2, sent_at = ?3, lease_until = NULL, last_error = NULL
WHERE id = ?1`;

/**
 * Marks a claimed delivery as sent: a raw D1 statement, since every email sent needs one
 * (built by the query builder, a request's 100 of them cost 10 ms of CPU; see claims.ts).
 */
export function markSent(
  d1: D1Database,
  id: string,
  providerId: string,
  now: number,
): D1PreparedStatement {
  return d1.prepare(MARK_SENT_SQL).bind(id, providerId, now);
}

/** Marks a claimed delivery as refused for good, with the reason. */
export function markFailed(db: Db, id: string, reason: string): Statement {
  return db
    .update(deliveries)
    .set({ status: "failed", lastError: reason, leaseUntil: null })
    .where(eq(deliveries.id, id));
}

/** Puts a claimed delivery back for a later attempt, or gives up as "unknown". */
export function markRetry(
  db: Db,
  id: string,
  reason: string,
  nextAttemptAt: number,
  giveUp: boolean,
): Statement {
  return db
    .update(deliveries)
    .set({
      status: giveUp ? "unknown" : "pending",
      lastError: reason,
      nextAttemptAt,
      leaseUntil: null,
    })
    .where(eq(deliveries.id, id));
}
