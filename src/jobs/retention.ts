import { SWEEPS, sweepOnce } from "../db/retention";

/** Rows one sweep deletes per statement. */
const BATCH = 500;
/** Statements one sweep runs per cron run: a backlog drains over later runs. */
const BATCHES_PER_RUN = 4;

/** Rows deleted by each sweep in this run, by sweep name. */
export type RetentionSummary = Record<string, number>;

/**
 * Runs every retention sweep in bounded batches: at most BATCH x BATCHES_PER_RUN rows per
 * sweep per run, each batch an index search, stopping a sweep early once a batch comes back
 * short (nothing more is expired).
 */
export async function runRetention(d1: D1Database, now: number): Promise<RetentionSummary> {
  const summary: RetentionSummary = {};
  for (const sweep of SWEEPS) {
    let deleted = 0;
    for (let i = 0; i < BATCHES_PER_RUN; i++) {
      const n = await sweepOnce(d1, sweep, now, BATCH);
      deleted += n;
      if (n < BATCH) break;
    }
    summary[sweep.name] = deleted;
  }
  return summary;
}
