import { SWEEPS, sweepOnce } from "../db/retention";

/** Rows one sweep deletes per statement. */
const BATCH = 500;
/** Rounds per cron run: a backlog drains over later runs. */
const ROUNDS_PER_RUN = 4;

/** Rows deleted by each sweep in this run, by sweep name. */
export type RetentionSummary = Record<string, number>;

/**
 * Runs every retention sweep in bounded batches: each round deletes at most BATCH rows per
 * sweep (every sweep an index search, all in one D1 round trip); a sweep that comes back
 * short has nothing more expired and drops out; at most ROUNDS_PER_RUN rounds a run.
 */
export async function runRetention(d1: D1Database, now: number): Promise<RetentionSummary> {
  const summary: RetentionSummary = Object.fromEntries(SWEEPS.map((s) => [s.name, 0]));
  let active = [...SWEEPS];
  for (let round = 0; round < ROUNDS_PER_RUN && active.length > 0; round++) {
    const deleted = await sweepOnce(d1, active, now, BATCH);
    active = active.filter((sweep, i) => {
      const n = deleted[i] ?? 0;
      summary[sweep.name] = (summary[sweep.name] ?? 0) + n;
      return n === BATCH;
    });
  }
  return summary;
}
