import { lte } from "drizzle-orm";
import type { Db, Statement } from "./client";
import { type EventKind, events, notices } from "./schema";

/** Where an event came from: a reply email, the web page, Sprout's own reading of mail, the cron job. */
export type EventSource = "email" | "web" | "detected" | "cron";

/** Statement that records one timestamped event. */
export function recordEvent(
  db: Db,
  e: {
    userId: string;
    threadId: string | null;
    kind: EventKind;
    source: EventSource;
    at: number;
  },
): Statement {
  return db.insert(events).values(e);
}

/**
 * Claims a rate-limited notice: true (and records `now`) when `key` last fired at least
 * `everyMs` ago or never; one conditional upsert, so two racing handlers cannot both win.
 */
export async function claimNotice(
  db: Db,
  key: string,
  now: number,
  everyMs: number,
): Promise<boolean> {
  const rows = await db
    .insert(notices)
    .values({ key, at: now })
    .onConflictDoUpdate({
      target: notices.key,
      set: { at: now },
      setWhere: lte(notices.at, now - everyMs),
    })
    .returning({ key: notices.key });
  return rows.length > 0;
}
