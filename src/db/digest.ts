import { and, asc, eq, gte, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db, Statement } from "./client";
import { type ThreadRow, threads, type UserRow, users } from "./schema";

/** Users whose next digest moment has come (or was never computed: 0), soonest first. */
export function dueDigestUsersQuery(db: Db, now: number, limit: number) {
  return db
    .select()
    .from(users)
    .where(lte(users.nextDigestAt, now))
    .orderBy(asc(users.nextDigestAt))
    .limit(limit);
}

/** The users whose digest is due: an index search on next_digest_at, never a scan. */
export async function dueDigestUsers(db: Db, now: number, limit: number): Promise<UserRow[]> {
  return dueDigestUsersQuery(db, now, limit);
}

/**
 * Statement that moves a user's next digest from `expected` (as read) to `next` (null: none);
 * a settings change that landed in between wins.
 */
export function rescheduleDigest(
  db: Db,
  userId: string,
  expected: number | null,
  next: number | null,
): Statement {
  return db
    .update(users)
    .set({ nextDigestAt: next })
    .where(
      and(
        eq(users.id, userId),
        expected === null ? isNull(users.nextDigestAt) : eq(users.nextDigestAt, expected),
      ),
    );
}

/**
 * Statement that records this week's digest as done and schedules the next one, only if no
 * other run recorded this week first.
 */
export function markDigest(db: Db, userId: string, moment: number, next: number): Statement {
  return db
    .update(users)
    .set({ lastDigestAt: moment, nextDigestAt: next })
    .where(
      and(eq(users.id, userId), or(isNull(users.lastDigestAt), lt(users.lastDigestAt, moment))),
    );
}

/** Turns the weekly digest off for a user (the digest's one-click unsubscribe). */
export async function stopDigest(db: Db, userId: string): Promise<void> {
  await db.update(users).set({ digestEnabled: false }).where(eq(users.id, userId));
}

/** True when the user did anything in Sprout since `since` or has reminders pending. */
export async function isActive(db: Db, userId: string, since: number): Promise<boolean> {
  const row = await db
    .select({
      recent: sql<number>`exists (select 1 from events e where e.user_id = ${userId} and e.at >= ${since})`,
      pending: sql<number>`exists (select 1 from threads t where t.user_id = ${userId} and t.status = 'scheduled')`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return (row[0]?.recent ?? 0) === 1 || (row[0]?.pending ?? 0) === 1;
}

/** The user's reminders due in [from, to), soonest first. */
export async function dueBetween(
  db: Db,
  userId: string,
  from: number,
  to: number,
  limit: number,
): Promise<ThreadRow[]> {
  return db
    .select()
    .from(threads)
    .where(
      and(
        eq(threads.userId, userId),
        eq(threads.status, "scheduled"),
        gte(threads.dueAt, from),
        lt(threads.dueAt, to),
      ),
    )
    .orderBy(asc(threads.dueAt))
    .limit(limit);
}

/** Outreach sent in each 4-week span from `start`, and how many of those got an answer. */
export async function answeredBySpan(
  db: Db,
  userId: string,
  start: number,
  spanMs: number,
  spans: number,
): Promise<{ sent: number; answered: number }[]> {
  const span = sql<number>`cast((${threads.sentAt} - ${start}) / ${spanMs} as integer)`;
  const rows = await db
    .select({
      span,
      sent: sql<number>`count(*)`,
      answered: sql<number>`sum(case when ${threads.status} in ('replied', 'met') then 1 else 0 end)`,
    })
    .from(threads)
    .where(and(eq(threads.userId, userId), gte(threads.sentAt, start)))
    .groupBy(span);
  const out = Array.from({ length: spans }, () => ({ sent: 0, answered: 0 }));
  for (const r of rows) {
    const slot = out[r.span];
    if (slot !== undefined) {
      slot.sent = r.sent;
      slot.answered = r.answered;
    }
  }
  return out;
}

/** All-time answers, and how many of them came after at least one follow-up. */
export async function answersAfterFollowUp(
  db: Db,
  userId: string,
): Promise<{ answered: number; afterFollowUp: number }> {
  const rows = await db
    .select({
      answered: sql<number>`count(*)`,
      // Spelled out: drizzle leaves columns unqualified here, and inside the subquery an
      // unqualified "id" would be the event's own.
      afterFollowUp: sql<number>`sum(case when exists (select 1 from events e where e.thread_id = "threads"."id" and e.kind = 'followup') then 1 else 0 end)`,
    })
    .from(threads)
    .where(and(eq(threads.userId, userId), sql`${threads.status} in ('replied', 'met')`));
  return { answered: rows[0]?.answered ?? 0, afterFollowUp: rows[0]?.afterFollowUp ?? 0 };
}
