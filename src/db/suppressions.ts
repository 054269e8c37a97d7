import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { type SuppressionCause, type SuppressionRow, suppressions } from "./schema";

// The suppression list (SPEC section 9) and the webhook message ids already acted on. The
// send path's lookup is a raw D1 statement: it runs once for every request of up to 100
// emails, and the query builder costs more than the lookup itself (see claims.ts).

/**
 * The suppressed addresses among a list, in one statement whatever its length (the list
 * travels as one JSON parameter): one primary-key search per address.
 */
export const SUPPRESSED_AMONG_SQL =
  "SELECT address FROM suppressions WHERE address IN (SELECT value FROM json_each(?1))";

/** Which of `addresses` (lower-cased) are on the suppression list. */
export async function suppressedAmong(d1: D1Database, addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const { results } = await d1
    .prepare(SUPPRESSED_AMONG_SQL)
    .bind(JSON.stringify(addresses))
    .all<{ address: string }>();
  return new Set(results.map((r) => r.address));
}

/** One verified webhook event that suppresses its recipients. */
export interface SuppressionEvent {
  /** The webhook message id (svix-id): the replay key. */
  eventId: string;
  eventType: string;
  cause: SuppressionCause;
  /** Lower-cased addresses. */
  recipients: string[];
  detail: string;
  emailId: string | null;
}

const NOT_SEEN = "NOT EXISTS (SELECT 1 FROM webhook_events WHERE id = ?2)";

// The first event for an address is kept: a later one changes nothing.
export const SUPPRESS_SQL = `INSERT INTO suppressions
  (address, cause, event_type, detail, event_id, email_id, created_at)
SELECT value, ?3, ?4, ?5, ?2, ?6, ?7 FROM json_each(?1) WHERE ${NOT_SEEN}
ON CONFLICT (address) DO NOTHING`;

// A spam report is most likely about the weekly digest, the one mail a user gets without
// asking each time: it stops, and lifting the suppression does not turn it back on.
export const DIGEST_OFF_SQL = `UPDATE users SET digest_enabled = 0
WHERE email IN (SELECT value FROM json_each(?1)) AND ${NOT_SEEN}`;

const SEEN_SQL =
  "INSERT INTO webhook_events (id, received_at) VALUES (?2, ?1) ON CONFLICT (id) DO NOTHING";

/**
 * Records a suppression event in one atomic batch: its recipients on the list, the digest
 * off for a complaint, and its message id as seen. Every write is guarded by "id not seen
 * yet", so a replay (or two deliveries of one event racing) changes nothing the second time.
 */
export async function recordSuppression(
  d1: D1Database,
  e: SuppressionEvent,
  now: number,
): Promise<{ replay: boolean; suppressed: number }> {
  const recipients = JSON.stringify(e.recipients);
  const statements = [
    d1
      .prepare(SUPPRESS_SQL)
      .bind(recipients, e.eventId, e.cause, e.eventType, e.detail, e.emailId, now),
  ];
  if (e.cause === "complaint") {
    statements.push(d1.prepare(DIGEST_OFF_SQL).bind(recipients, e.eventId));
  }
  statements.push(d1.prepare(SEEN_SQL).bind(now, e.eventId));
  const results = await d1.batch(statements);
  return {
    replay: (results.at(-1)?.meta.changes ?? 0) === 0,
    suppressed: results[0]?.meta.changes ?? 0,
  };
}

/** The suppression of an address, or null when mail to it flows. */
export async function suppressionOf(db: Db, address: string): Promise<SuppressionRow | null> {
  const rows = await db
    .select()
    .from(suppressions)
    .where(eq(suppressions.address, address))
    .limit(1);
  return rows[0] ?? null;
}

/** Lifts the suppression of an address; true when there was one. */
export async function liftSuppression(db: Db, address: string): Promise<boolean> {
  const rows = await db
    .delete(suppressions)
    .where(eq(suppressions.address, address))
    .returning({ address: suppressions.address });
  return rows.length > 0;
}
