import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/db/client";
import {
  followUpGroups,
  followUpGroupsSql,
  outreachWeeksSql,
  outreachWeeksUntilGap,
  threadsPerStatus,
} from "../../src/db/stats";
import { streak, WEEK_MS } from "../../src/domain/digest-schedule";
import { makeThread, makeUser } from "../web/helpers";

const DAY = 86_400_000;
const T0 = Date.parse("2026-01-05T08:00:00Z");

/** Records a thread's events, in order, one day apart from T0. */
async function history(userId: string, threadId: string | null, kinds: string[], start = T0) {
  for (const [i, kind] of kinds.entries()) {
    await env.DB.prepare(
      "insert into events (user_id, thread_id, kind, source, at) values (?, ?, ?, 'email', ?)",
    )
      .bind(userId, threadId, kind, start + i * DAY)
      .run();
  }
}

async function plan(statement: ReturnType<typeof sql>): Promise<string> {
  const rows = await openDb(env.DB).all<{ detail: string }>(sql`explain query plan ${statement}`);
  return rows.map((r) => r.detail).join("\n");
}

describe("followUpGroups", () => {
  it("groups threads by follow-ups before their first answer, capped at 5", async () => {
    const { id: user } = await makeUser();
    const thread = async (status: string, kinds: string[]) =>
      history(user, await makeThread(user, { status: status as "scheduled" }), kinds);
    await thread("replied", ["outreach", "reply"]); // 0, answered
    await thread("replied", ["outreach", "reminder", "followup", "reply"]); // 1, answered
    await thread("met", ["outreach", "followup", "followup", "call"]); // 2, answered
    await thread("scheduled", ["outreach", "followup"]); // 1, waiting
    await thread("dormant", ["outreach", "followup", "followup"]); // 2, settled unanswered
    await thread("scheduled", ["outreach", "reply", "followup", "followup"]); // new round: 0
    await thread("stopped", ["outreach", ...Array.from({ length: 7 }, () => "followup")]); // 5+
    await thread("scheduled", ["outreach"]); // 0, waiting
    await thread("scheduled", ["snooze"]); // no outreach event: not counted
    const { id: other } = await makeUser();
    await history(other, await makeThread(other), ["outreach", "reply"]);

    const groups = await followUpGroups(openDb(env.DB), user);
    expect([...groups].sort((a, b) => a.followUps - b.followUps)).toEqual([
      { followUps: 0, threads: 3, answered: 2, waiting: 1 },
      { followUps: 1, threads: 2, answered: 1, waiting: 1 },
      { followUps: 2, threads: 2, answered: 1, waiting: 0 },
      { followUps: 5, threads: 1, answered: 0, waiting: 0 },
    ]);
  });

  it("is empty for a user without threads", async () => {
    const { id } = await makeUser();
    expect(await followUpGroups(openDb(env.DB), id)).toEqual([]);
  });

  it("reads one user's events through the index, and each thread by its key", async () => {
    const detail = await plan(followUpGroupsSql("u"));
    expect(detail).toMatch(/SEARCH events USING INDEX events_user_at \(user_id=\?\)/);
    expect(detail).toMatch(/SEARCH t USING INDEX sqlite_autoindex_threads_1 \(id=\?\)/);
    expect(detail).not.toMatch(/SCAN (events|threads|t)\b/);
  });
});

describe("threadsPerStatus", () => {
  it("counts the user's threads per stored status, through a covering index", async () => {
    const { id: user } = await makeUser();
    for (const status of ["scheduled", "scheduled", "replied", "met", "dormant", "stopped"]) {
      await makeThread(user, { status: status as "scheduled" });
    }
    const counts = await threadsPerStatus(openDb(env.DB), user);
    expect(Object.fromEntries(counts.map((c) => [c.status, c.n]))).toEqual({
      scheduled: 2,
      replied: 1,
      met: 1,
      dormant: 1,
      stopped: 1,
    });
    const { results } = await env.DB.prepare(
      "explain query plan select status, count(*) from threads where user_id = ? group by status",
    )
      .bind(user)
      .all<{ detail: string }>();
    expect(results.map((r) => r.detail).join("\n")).toMatch(
      /SEARCH threads USING COVERING INDEX threads_user_status \(user_id=\?\)/,
    );
  });
});

describe("outreachWeeksUntilGap", () => {
  const END = Date.parse("2026-06-01T08:00:00Z");

  it("walks back past 12 weeks: 20 weeks of outreach are a streak of 20", async () => {
    const { id: user } = await makeUser();
    for (let week = 0; week < 20; week++) {
      await history(user, null, ["outreach"], END - (week + 1) * WEEK_MS + 3 * DAY);
    }
    // Outreach before the gap does not count.
    await history(user, null, ["outreach"], END - 22 * WEEK_MS);
    const weeks = await outreachWeeksUntilGap(openDb(env.DB), user, END);
    expect(weeks).toEqual([0, ...Array.from({ length: 20 }, () => 1)]);
    expect(streak(weeks)).toBe(20);
  });

  it("uses 7-day weeks ending at `end`: an event at `end` belongs to the next week", async () => {
    const { id: user } = await makeUser();
    await history(user, null, ["outreach"], END);
    expect(await outreachWeeksUntilGap(openDb(env.DB), user, END)).toEqual([0]);
    await history(user, null, ["outreach"], END - WEEK_MS);
    expect(await outreachWeeksUntilGap(openDb(env.DB), user, END)).toEqual([0, 1]);
    // Other kinds of events and other users' outreach are no outreach.
    await history(user, null, ["followup", "reply"], END - 2 * WEEK_MS);
    const { id: other } = await makeUser();
    await history(other, null, ["outreach"], END - 2 * WEEK_MS);
    expect(await outreachWeeksUntilGap(openDb(env.DB), user, END)).toEqual([0, 1]);
  });

  it("stops at maxWeeks", async () => {
    const { id: user } = await makeUser();
    for (let week = 0; week < 10; week++) {
      await history(user, null, ["outreach"], END - (week + 1) * WEEK_MS);
    }
    const weeks = await outreachWeeksUntilGap(openDb(env.DB), user, END, 4);
    expect(weeks).toEqual([1, 1, 1, 1]);
  });

  it("searches the index one week at a time", async () => {
    const detail = await plan(outreachWeeksSql("u", END, 100));
    expect(detail).toMatch(
      /SEARCH events USING INDEX events_user_at \(user_id=\? AND at>\? AND at<\?\)/,
    );
    expect(detail).not.toMatch(/SCAN events/);
  });
});
