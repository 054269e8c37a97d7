import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Transition } from "../domain/lifecycle";
import type { Db, Statement } from "./client";
import { type EventSource, recordEvent } from "./events";
import { type ThreadRow, type ThreadStatus, threadMessages, threads } from "./schema";

export type NewThread = typeof threads.$inferInsert;

/** A contact of a thread: the To and Cc of the outreach, minus Sprout's own addresses. */
export interface Contact {
  name: string;
  address: string;
}

/** Statements that insert a thread and the Message-IDs that lead to it. */
export function insertThread(db: Db, thread: NewThread, messageIds: string[]): Statement[] {
  return [db.insert(threads).values(thread), ...linkMessages(db, thread, messageIds)];
}

/** Statements that remember Message-IDs of a conversation, so later mail finds its thread. */
export function linkMessages(
  db: Db,
  thread: { id: string; userId: string },
  messageIds: string[],
): Statement[] {
  return messageIds.map((messageId) =>
    db
      .insert(threadMessages)
      .values({ userId: thread.userId, messageId, threadId: thread.id })
      .onConflictDoNothing(),
  );
}

/**
 * The thread any of these Message-IDs belongs to: the user's own when `userId` is given,
 * else whoever owns it (a contact's reply names the owner's Message-IDs).
 */
export async function findThreadByMessageIds(
  db: Db,
  messageIds: string[],
  userId?: string,
): Promise<ThreadRow | null> {
  if (messageIds.length === 0) return null;
  const ids = inArray(threadMessages.messageId, messageIds.slice(0, 90));
  const rows = await db
    .select({ thread: threads })
    .from(threadMessages)
    .innerJoin(threads, eq(threads.id, threadMessages.threadId))
    .where(userId === undefined ? ids : and(eq(threadMessages.userId, userId), ids))
    .limit(1);
  return rows[0]?.thread ?? null;
}

/** A user's most recent threads in some statuses, newest first. */
export async function recentThreads(
  db: Db,
  userId: string,
  statuses: readonly ThreadStatus[],
  limit: number,
): Promise<ThreadRow[]> {
  return db
    .select()
    .from(threads)
    .where(and(eq(threads.userId, userId), inArray(threads.status, [...statuses])))
    .orderBy(desc(threads.sentAt))
    .limit(limit);
}

/**
 * Statements that write one lifecycle transition (domain/lifecycle.ts): the thread's new
 * state and the event the stats count, to commit in one batch.
 */
export function writeTransition(
  db: Db,
  thread: { id: string; userId: string },
  t: Transition,
  source: EventSource,
  now: number,
): Statement[] {
  const out: Statement[] = [];
  if (t.rule !== "unchanged" || t.activity) {
    const { status, kind, step, dueAt, explicitFirst, recurrence, address } = t.state;
    out.push(
      db
        .update(threads)
        .set({
          status,
          kind,
          step,
          dueAt,
          explicitFirst,
          recurrence,
          address,
          // A scheduled thread has its time: any earlier "time not understood" is settled.
          ...(status === "scheduled" ? { parseError: null } : {}),
          ...(t.activity ? { lastActivityAt: now } : {}),
          leaseUntil: null,
          updatedAt: now,
        })
        .where(eq(threads.id, thread.id)),
    );
  }
  if (t.counted !== null) {
    out.push(
      recordEvent(db, {
        userId: thread.userId,
        threadId: thread.id,
        kind: t.counted,
        source,
        at: now,
      }),
    );
  }
  return out;
}

/** A thread by id. */
export async function findThread(db: Db, id: string): Promise<ThreadRow | null> {
  const rows = await db.select().from(threads).where(eq(threads.id, id)).limit(1);
  return rows[0] ?? null;
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
