import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "./client";
import { events } from "./schema";

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
