// Retention (SPEC section 9): what the cron job deletes, as one table of sweeps. Each sweep
// deletes rows past a cut-off in bounded batches, through an index on the cut-off column
// (asserted with EXPLAIN QUERY PLAN in the tests). One row adds a sweep.

import { LONGEST_WINDOW_MS } from "../domain/answer-limits";

const DAY_MS = 24 * 60 * 60 * 1000;

/** One kind of expired data. */
interface Sweep {
  /** A name for logs and the run summary. */
  name: string;
  table: string;
  /** How a row is named in `DELETE ... WHERE key IN (...)`: rowid, or the primary key. */
  key: string;
  /** The column compared with the cut-off; an index leads with it. */
  column: string;
  /** A further condition, matched by the index's own (a partial index's WHERE). */
  where?: string;
  /** The cut-off at `now`: rows whose column is below it go. */
  cutoff: (now: number) => number;
}

/** Every sweep the cron job runs, in order. */
export const SWEEPS: readonly Sweep[] = [
  // Inbound records (what Sprout did with each message) are kept 30 days.
  {
    name: "inbound",
    table: "inbound",
    key: "rowid",
    column: "received_at",
    cutoff: (now) => now - 30 * DAY_MS,
  },
  // Sign-in links live 15 minutes; an expired one is kept a day, so a late click still says
  // "this link has expired" rather than "not valid".
  {
    name: "login-tokens",
    table: "login_tokens",
    key: "token_hash",
    column: "expires_at",
    cutoff: (now) => now - DAY_MS,
  },
  // Sessions end 30 days after sign-in, or after 7 days without a request.
  {
    name: "sessions-expired",
    table: "sessions",
    key: "id_hash",
    column: "expires_at",
    cutoff: (now) => now,
  },
  {
    name: "sessions-idle",
    table: "sessions",
    key: "id_hash",
    column: "last_seen_at",
    cutoff: (now) => now - 7 * DAY_MS,
  },
  // Rate limits are keyed by address, strangers' included (`help:<address>`...): a row
  // older than every limit's window (the longest is a day) counts for nothing.
  {
    name: "notices",
    table: "notices",
    key: "key",
    column: "at",
    cutoff: (now) => now - 2 * DAY_MS,
  },
  // An email sent more than 30 days ago: its row (and its copy of the email, most of a
  // database's bytes) has done its work. Failed and unknown ones stay on the web page.
  {
    name: "deliveries-sent",
    table: "deliveries",
    key: "rowid",
    column: "sent_at",
    cutoff: (now) => now - 30 * DAY_MS,
  },
  // Sign-up (SPEC section 6): held mail not confirmed within 7 days of its arrival
  // (expires_at is arrival + 7 days), and confirmation links 7 days after they were sent.
  {
    name: "signup-holds",
    table: "signup_holds",
    key: "rowid",
    column: "expires_at",
    cutoff: (now) => now,
  },
  {
    name: "signup-links",
    table: "signup_links",
    key: "token_hash",
    column: "expires_at",
    cutoff: (now) => now,
  },
  // Answer-limit rows (db/answer-log.ts) older than the longest window count for nothing.
  {
    name: "answer-log",
    table: "answer_log",
    key: "id",
    column: "at",
    cutoff: (now) => now - LONGEST_WINDOW_MS,
  },
  // Mail never sent because its recipient was suppressed: shown on the web page for 30
  // days after it was queued, then deleted like sent mail.
  {
    name: "deliveries-suppressed",
    table: "deliveries",
    key: "rowid",
    column: "created_at",
    where: "status = 'suppressed'",
    cutoff: (now) => now - 30 * DAY_MS,
  },
  // Webhook message ids already acted on (replay protection, SPEC section 9). A replay is
  // possible while the signature's timestamp is within 5 minutes of now (so up to 10
  // minutes after receipt), and Resend retries an unanswered event for about 28 hours with
  // the same id: 3 days covers both with margin.
  {
    name: "webhook-events",
    table: "webhook_events",
    key: "id",
    column: "received_at",
    cutoff: (now) => now - 3 * DAY_MS,
  },
];

/** The rows one batch of a sweep deletes (`?1` the cut-off, `?2` the batch size). */
export function sweepSelectSql(s: Sweep): string {
  const where = s.where === undefined ? "" : `${s.where} AND `;
  return `SELECT ${s.key} FROM ${s.table} WHERE ${where}${s.column} < ?1 ORDER BY ${s.column} LIMIT ?2`;
}

/**
 * Deletes one batch of at most `limit` rows of each given sweep, all in one D1 round trip;
 * returns how many rows each deleted, in the same order.
 */
export async function sweepOnce(
  d1: D1Database,
  sweeps: readonly Sweep[],
  now: number,
  limit: number,
): Promise<number[]> {
  if (sweeps.length === 0) return [];
  const results = await d1.batch(
    sweeps.map((s) =>
      d1
        .prepare(`DELETE FROM ${s.table} WHERE ${s.key} IN (${sweepSelectSql(s)})`)
        .bind(s.cutoff(now), limit),
    ),
  );
  return results.map((r) => r.meta.changes ?? 0);
}
