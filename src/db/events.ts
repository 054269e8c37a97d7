import { inArray, lt, lte } from "drizzle-orm";
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

/** Rate-limit rows outlive every limit's window after this long (the longest is a day). */
export const NOTICE_RETENTION_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * Statement that deletes at most `limit` notices older than NOTICE_RETENTION_MS, oldest
 * first, through the index notices_at: a retention sweep for the cron job. Notices are
 * keyed by address, strangers' included, so without it the table only grows.
 */
export function pruneNotices(db: Db, now: number, limit: number): Statement {
  const expired = db
    .select({ key: notices.key })
    .from(notices)
    .where(lt(notices.at, now - NOTICE_RETENTION_MS))
    .orderBy(notices.at)
    .limit(limit);
  return db.delete(notices).where(inArray(notices.key, expired));
}
