// The retention sweeps of sign-up and answer limits (SPEC section 9), in the shape of the
// cron job's table of sweeps: each deletes rows past a cut-off through an index that leads
// with the cut-off column (asserted with EXPLAIN QUERY PLAN in test/db/trust-retention.test.ts).

import { LONGEST_WINDOW_MS } from "../domain/answer-limits";

/** One kind of expired data. */
export interface TrustSweep {
  /** A name for logs and the run summary. */
  name: string;
  table: string;
  /** How a row is named in `DELETE ... WHERE key IN (...)`: rowid, or the primary key. */
  key: string;
  /** The column compared with the cut-off; an index leads with it. */
  column: string;
  /** The cut-off at `now`: rows whose column is below it go. */
  cutoff: (now: number) => number;
}

/** The sweeps of sign-up and the answer limits, for the cron job's table of sweeps. */
export const TRUST_SWEEPS: readonly TrustSweep[] = [
  // Held mail not confirmed within 7 days of its arrival (expires_at is arrival + 7 days).
  {
    name: "signup-holds",
    table: "signup_holds",
    key: "rowid",
    column: "expires_at",
    cutoff: (now) => now,
  },
  // Confirmation links, 7 days after they were sent, used or not.
  {
    name: "signup-links",
    table: "signup_links",
    key: "token_hash",
    column: "expires_at",
    cutoff: (now) => now,
  },
  // Answer-limit rows older than the longest window count for nothing.
  {
    name: "answer-log",
    table: "answer_log",
    key: "id",
    column: "at",
    cutoff: (now) => now - LONGEST_WINDOW_MS,
  },
];

/** The rows one batch of a sweep deletes (`?1` the cut-off, `?2` the batch size). */
export function trustSweepSelectSql(s: TrustSweep): string {
  return `SELECT ${s.key} FROM ${s.table} WHERE ${s.column} < ?1 ORDER BY ${s.column} LIMIT ?2`;
}

/**
 * Runs each sweep in batches of at most `limit` rows, all sweeps in one D1 round trip per
 * round, for at most `rounds` rounds (a backlog drains over later runs). Returns the rows
 * deleted per sweep.
 */
export async function sweepTrust(
  d1: D1Database,
  now: number,
  limit = 500,
  rounds = 4,
): Promise<Record<string, number>> {
  const summary: Record<string, number> = Object.fromEntries(TRUST_SWEEPS.map((s) => [s.name, 0]));
  let active = [...TRUST_SWEEPS];
  for (let round = 0; round < rounds && active.length > 0; round++) {
    const results = await d1.batch(
      active.map((s) =>
        d1
          .prepare(`DELETE FROM ${s.table} WHERE ${s.key} IN (${trustSweepSelectSql(s)})`)
          .bind(s.cutoff(now), limit),
      ),
    );
    active = active.filter((s, i) => {
      const n = results[i]?.meta.changes ?? 0;
      summary[s.name] = (summary[s.name] ?? 0) + n;
      return n === limit;
    });
  }
  return summary;
}
