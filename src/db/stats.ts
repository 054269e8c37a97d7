import { and, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import { type FollowUpGroup, LAST_FOLLOW_UP_ROW } from "../domain/stats";
import type { Db } from "./client";
import { events, threads } from "./schema";

/** The kinds of activity the stats chart counts. */
export const STAT_KINDS = ["outreach", "followup", "reply", "call"] as const;
export type StatKind = (typeof STAT_KINDS)[number];

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Counts a user's outreach, follow-ups, replies and calls in `weeks` weeks from `start`
 * (one indexed range read on events (user_id, at), grouped in SQL). Week k holds events
 * in [start + k weeks, start + k+1 weeks).
 */
export async function weeklyCounts(
  db: Db,
  userId: string,
  start: number,
  weeks: number,
): Promise<Record<StatKind, number[]>> {
  const week = sql<number>`cast((${events.at} - ${start}) / ${WEEK_MS} as integer)`;
  const rows = await db
    .select({ kind: events.kind, week, n: sql<number>`count(*)` })
    .from(events)
    .where(
      and(eq(events.userId, userId), gte(events.at, start), inArray(events.kind, [...STAT_KINDS])),
    )
    .groupBy(events.kind, week);
  const counts: Record<StatKind, number[]> = {
    outreach: new Array<number>(weeks).fill(0),
    followup: new Array<number>(weeks).fill(0),
    reply: new Array<number>(weeks).fill(0),
    call: new Array<number>(weeks).fill(0),
  };
  for (const r of rows) {
    const series = (STAT_KINDS as readonly string[]).includes(r.kind)
      ? counts[r.kind as StatKind]
      : undefined;
    if (series !== undefined && r.week >= 0 && r.week < weeks) series[r.week] = r.n;
  }
  return counts;
}

/**
 * The user's threads grouped by the follow-ups sent before their first answer (capped at
 * LAST_FOLLOW_UP_ROW), with how many were answered and how many still wait for a reminder.
 * One statement: an index search on events (user_id, at) for this user's events, and a
 * primary-key lookup of each thread's status; nothing scans other users' rows.
 */
export async function followUpGroups(db: Db, userId: string): Promise<FollowUpGroup[]> {
  return db.all<FollowUpGroup>(followUpGroupsSql(userId));
}

/** followUpGroups' statement, for EXPLAIN QUERY PLAN in tests. */
export function followUpGroupsSql(userId: string): SQL {
  return sql`
    with ev as (
      select thread_id, kind, at,
        min(case when kind in ('reply', 'call') then at end)
          over (partition by thread_id) as answered_at
      from events
      where user_id = ${userId} and thread_id is not null
    ),
    per_thread as (
      select thread_id,
        sum(kind = 'followup' and (answered_at is null or at < answered_at)) as follow_ups,
        max(answered_at is not null) as answered
      from ev
      group by thread_id
      having sum(kind = 'outreach') > 0
    )
    select min(p.follow_ups, ${LAST_FOLLOW_UP_ROW}) as followUps,
      count(*) as threads,
      sum(p.answered) as answered,
      sum(p.answered = 0 and t.status in ('scheduled', 'unscheduled')) as waiting
    from per_thread p join threads t on t.id = p.thread_id
    group by 1
  `;
}

/** The user's threads counted per stored status (a covering index search). */
export async function threadsPerStatus(
  db: Db,
  userId: string,
): Promise<{ status: string; n: number }[]> {
  return db
    .select({ status: threads.status, n: sql<number>`count(*)` })
    .from(threads)
    .where(eq(threads.userId, userId))
    .groupBy(threads.status);
}

/**
 * Whether the user sent outreach in each 7-day week ending at `end`, walking back one week
 * at a time and stopping at the first week without any: oldest first, so it starts with
 * that empty week (1 = outreach, 0 = none), e.g. [0, 1, 1] for the last two weeks. One
 * statement; each step is an index search on events (user_id, at) over one week, so the
 * cost follows the streak's length, never the table's, and `maxWeeks` bounds it.
 */
export async function outreachWeeksUntilGap(
  db: Db,
  userId: string,
  end: number,
  maxWeeks = 5_200,
): Promise<number[]> {
  const rows = await db.all<{ n: number; has: number }>(outreachWeeksSql(userId, end, maxWeeks));
  return rows.map((r) => r.has);
}

/** outreachWeeksUntilGap's statement, for EXPLAIN QUERY PLAN in tests. */
export function outreachWeeksSql(userId: string, end: number, maxWeeks: number): SQL {
  return sql`
    with recursive weeks(n, has) as (
      select 0, exists (
        select 1 from events
        where user_id = ${userId} and at >= ${end - WEEK_MS} and at < ${end} and kind = 'outreach'
      )
      union all
      select n + 1, exists (
        select 1 from events
        where user_id = ${userId}
          and at >= ${end} - (n + 2) * ${WEEK_MS} and at < ${end} - (n + 1) * ${WEEK_MS}
          and kind = 'outreach'
      )
      from weeks
      where has = 1 and n + 1 < ${maxWeeks}
    )
    select n, has from weeks order by n desc
  `;
}
