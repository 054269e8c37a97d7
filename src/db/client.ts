import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";

/** Drizzle over D1; `$client` is the binding itself, for the few raw statements. */
export type Db = DrizzleD1Database & { $client: D1Database };
export type Statement = BatchItem<"sqlite">;

/** Wraps the D1 binding with drizzle. */
export function openDb(d1: D1Database): Db {
  return drizzle(d1);
}

/** Runs statements atomically in one D1 batch (D1 has no interactive transactions). */
export async function runBatch(db: Db, statements: Statement[]): Promise<void> {
  const [first, ...rest] = statements;
  if (first === undefined) return;
  await db.batch([first, ...rest]);
}
