import { and, asc, desc, eq, gt, inArray, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { deliveries, type ThreadRow, type ThreadStatus, threads } from "./schema";

/** The lists of the threads page. */
export const THREAD_VIEWS = ["upcoming", "waiting", "replied", "dormant", "failed"] as const;
export type ThreadView = (typeof THREAD_VIEWS)[number];

/** Rows per page: small enough for a phone, and each page is one indexed range read. */
export const PAGE_SIZE = 25;

/** Where a page starts: the sort value and id of the last row of the previous page. */
export interface Cursor {
  at: number;
  id: string;
}

/** A page of rows and the cursor of the next page, if there is one. */
export interface Page<T> {
  rows: T[];
  next: Cursor | null;
}

/** Reads `after=<ms>.<id>` back into a cursor; anything malformed starts at the top. */
export function parseCursor(value: string | undefined): Cursor | null {
  const m = /^(\d{1,16})\.([\w:.-]{1,100})$/.exec(value ?? "");
  return m?.[1] === undefined || m[2] === undefined ? null : { at: Number(m[1]), id: m[2] };
}

/** Writes a cursor for a link. */
export function formatCursor(c: Cursor): string {
  return `${c.at}.${c.id}`;
}

const STATUSES: Record<Exclude<ThreadView, "failed">, ThreadStatus[]> = {
  upcoming: ["scheduled"],
  waiting: ["unscheduled"],
  replied: ["replied", "met"],
  dormant: ["dormant", "stopped"],
};

function page<T>(rows: T[], key: (row: T) => Cursor): Page<T> {
  const more = rows.length > PAGE_SIZE;
  const shown = rows.slice(0, PAGE_SIZE);
  const last = shown[shown.length - 1];
  return { rows: shown, next: more && last !== undefined ? key(last) : null };
}

/**
 * One page of a user's threads. Upcoming ones go soonest first (keyset on due_at, id);
 * the others newest first (keyset on updated_at, id), so page 100 costs what page 1 does.
 */
export async function threadPage(
  db: Db,
  userId: string,
  view: Exclude<ThreadView, "failed">,
  after: Cursor | null,
): Promise<Page<ThreadRow>> {
  const base = and(eq(threads.userId, userId), inArray(threads.status, STATUSES[view]));
  if (view === "upcoming") {
    const from: SQL | undefined =
      after === null
        ? undefined
        : or(
            gt(threads.dueAt, after.at),
            and(eq(threads.dueAt, after.at), gt(threads.id, after.id)),
          );
    const rows = await db
      .select()
      .from(threads)
      .where(and(base, from))
      .orderBy(asc(threads.dueAt), asc(threads.id))
      .limit(PAGE_SIZE + 1);
    return page(rows, (t) => ({ at: t.dueAt ?? 0, id: t.id }));
  }
  const from: SQL | undefined =
    after === null
      ? undefined
      : or(
          lt(threads.updatedAt, after.at),
          and(eq(threads.updatedAt, after.at), lt(threads.id, after.id)),
        );
  const rows = await db
    .select()
    .from(threads)
    .where(and(base, from))
    .orderBy(desc(threads.updatedAt), desc(threads.id))
    .limit(PAGE_SIZE + 1);
  return page(rows, (t) => ({ at: t.updatedAt, id: t.id }));
}

/** A delivery that failed or whose fate is unknown, as the threads page shows it. */
interface FailedDelivery {
  id: string;
  kind: string;
  threadId: string | null;
  subject: string;
  status: "failed" | "unknown" | "suppressed";
  reason: string;
  createdAt: number;
}

/**
 * One page of a user's failed deliveries (refused, fate unknown, or never sent because the
 * address was suppressed), newest first, with the reason each failed.
 */
export async function failedPage(
  db: Db,
  userId: string,
  after: Cursor | null,
): Promise<Page<FailedDelivery>> {
  const from: SQL | undefined =
    after === null
      ? undefined
      : or(
          lt(deliveries.createdAt, after.at),
          and(eq(deliveries.createdAt, after.at), lt(deliveries.id, after.id)),
        );
  const rows = await db
    .select({
      id: deliveries.id,
      kind: deliveries.kind,
      threadId: deliveries.threadId,
      subject: deliveries.subject,
      status: deliveries.status,
      lastError: deliveries.lastError,
      createdAt: deliveries.createdAt,
    })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.userId, userId),
        inArray(deliveries.status, ["failed", "unknown", "suppressed"]),
        from,
      ),
    )
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(PAGE_SIZE + 1);
  const mapped = rows.map(
    (d): FailedDelivery => ({
      id: d.id,
      kind: d.kind,
      threadId: d.threadId,
      subject: d.subject,
      status: d.status === "unknown" || d.status === "suppressed" ? d.status : "failed",
      reason: d.lastError ?? "no reason recorded",
      createdAt: d.createdAt,
    }),
  );
  return page(mapped, (d) => ({ at: d.createdAt, id: d.id }));
}

/** A user's thread by id, or null when it does not exist or belongs to someone else. */
export async function findOwnThread(db: Db, userId: string, id: string): Promise<ThreadRow | null> {
  const rows = await db
    .select()
    .from(threads)
    .where(and(eq(threads.id, id), eq(threads.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}
