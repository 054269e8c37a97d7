import { env } from "cloudflare:workers";

/** The EXPLAIN QUERY PLAN of a statement, its steps joined with " | ". */
export async function queryPlan(sql: string, params: unknown[] = []): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join(" | ");
}
