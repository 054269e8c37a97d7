import { type SQL, sql } from "drizzle-orm";
import type { Budget } from "../domain/answer-limits";
import type { Db } from "./client";

/**
 * Spends one unit of every given budget, or none: one conditional INSERT that counts each
 * key's rows inside its window (an index range search on answer_log (key, at)) and writes a
 * row per key only when every count is under its limit. D1 runs one statement at a time, so
 * two racing handlers cannot both take the last unit. True when the answer may go out.
 */
export async function claimBudget(
  db: Db,
  budgets: readonly Budget[],
  now: number,
): Promise<boolean> {
  if (budgets.length === 0) return true;
  const rows = await db.all<{ key: string }>(claimBudgetSql(budgets, now));
  return rows.length > 0;
}

/** claimBudget's statement, for EXPLAIN QUERY PLAN in tests. */
export function claimBudgetSql(budgets: readonly Budget[], now: number): SQL {
  const keys = [...new Set(budgets.map((b) => b.key))];
  const underLimit = budgets.map(
    (b) =>
      sql`(SELECT count(*) FROM answer_log WHERE key = ${b.key} AND at > ${now - b.windowMs}) < ${b.limit}`,
  );
  return sql`INSERT INTO answer_log (key, at)
    SELECT value, ${now} FROM json_each(${JSON.stringify(keys)})
    WHERE ${sql.join(underLimit, sql` AND `)}
    RETURNING key`;
}
