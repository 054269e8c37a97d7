import { env } from "cloudflare:workers";

/** The EXPLAIN QUERY PLAN of a statement, its steps joined with " | ". */
export async function queryPlan(sql: string, params: unknown[] = []): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join(" | ");
}

/** The EXPLAIN QUERY PLAN of a drizzle statement (a query builder), its steps joined with " | ". */
export async function statementPlan(statement: object): Promise<string> {
  // Every drizzle query builder has toSQL(); the batch item type does not name it.
  const { sql, params } = (statement as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
  return queryPlan(sql, params);
}
