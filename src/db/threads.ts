import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Statement } from "./client";
import { type ThreadRow, threadMessages, threads } from "./schema";

export type NewThread = typeof threads.$inferInsert;

/** A contact of a thread: the To and Cc of the outreach, minus Sprout's own addresses. */
export interface Contact {
  name: string;
  address: string;
}

/** Statements that insert a thread and the Message-IDs that lead to it. */
export function insertThread(db: Db, thread: NewThread, messageIds: string[]): Statement[] {
  return [
    db.insert(threads).values(thread),
    ...messageIds.map((messageId) =>
      db
        .insert(threadMessages)
        .values({ userId: thread.userId, messageId, threadId: thread.id })
        .onConflictDoNothing(),
    ),
  ];
}

/** The thread a user's Message-ID belongs to, if Sprout knows it. */
export async function findThreadByMessageIds(
  db: Db,
  userId: string,
  messageIds: string[],
): Promise<ThreadRow | null> {
  if (messageIds.length === 0) return null;
  const rows = await db
    .select({ thread: threads })
    .from(threadMessages)
    .innerJoin(threads, eq(threads.id, threadMessages.threadId))
    .where(
      and(
        eq(threadMessages.userId, userId),
        inArray(threadMessages.messageId, messageIds.slice(0, 90)),
      ),
    )
    .limit(1);
  return rows[0]?.thread ?? null;
}

/** A thread by id. */
export async function findThread(db: Db, id: string): Promise<ThreadRow | null> {
  const rows = await db.select().from(threads).where(eq(threads.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Statement that gives a thread its next reminder time. */
export function scheduleThread(
  db: Db,
  id: string,
  dueAt: number,
  now: number,
  extra: Partial<Pick<NewThread, "address" | "explicitFirst" | "kind" | "recurrence">> = {},
): Statement {
  return db
    .update(threads)
    .set({ status: "scheduled", dueAt, parseError: null, updatedAt: now, ...extra })
    .where(eq(threads.id, id));
}

/** The user's pending threads, soonest first, then those still waiting for a time. */
export async function listPendingThreads(
  db: Db,
  userId: string,
  limit: number,
): Promise<ThreadRow[]> {
  return db
    .select()
    .from(threads)
    .where(and(eq(threads.userId, userId), inArray(threads.status, ["scheduled", "unscheduled"])))
    .orderBy(sql`${threads.dueAt} is null`, asc(threads.dueAt), asc(threads.createdAt))
    .limit(limit);
}

/** How many pending threads the user has in all. */
export async function countPendingThreads(db: Db, userId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)` })
    .from(threads)
    .where(and(eq(threads.userId, userId), inArray(threads.status, ["scheduled", "unscheduled"])));
  return rows[0]?.n ?? 0;
}

/** Parses the stored contacts of a thread. */
export function threadContacts(thread: ThreadRow): Contact[] {
  const parsed: unknown = JSON.parse(thread.contactsJson);
  return Array.isArray(parsed) ? (parsed as Contact[]) : [];
}
