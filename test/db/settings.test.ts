import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/db/client";
import { pendingPageQuery } from "../../src/db/settings";
import { queryPlan } from "../helpers/plan";
import { seedDueThreads } from "../helpers/seed";
import { cookieFor, makeUser, web } from "../web/helpers";

const DAY = 86_400_000;
const FORM = {
  timeZone: "UTC",
  reminderTime: "08:00",
  skipWeekends: "on",
  cadence: "3bd, 1w, 2w, 3mo",
  confirmations: "on",
  digestEnabled: "on",
  digestDay: "1",
};

describe("a settings change that moves many reminders", () => {
  it("reads the pending reminders in pages, each an index search", async () => {
    const { sql, params } = pendingPageQuery(openDb(env.DB), "u1", {
      dueAt: -1,
      rowid: 0,
    }).toSQL();
    const plan = await queryPlan(sql, params);
    expect(plan).toMatch(
      /^SEARCH threads USING INDEX threads_user_status \(user_id=\? AND status=\? AND due_at>\?\)$/,
    );
  });

  it("moves 1,050 reminders at the default time (three pages) and says so", async () => {
    const user = await makeUser({ timeZone: "UTC", reminderMinutes: 480 });
    // One reminder a day at 08:00 UTC from 2031 on, plus one at a named time that stays.
    await seedDueThreads(user.id, 1_050, Date.UTC(2031, 0, 1, 8, 0) - DAY, `m${user.id}`, DAY);
    await env.DB.prepare("update threads set due_at = due_at + 3600000 where id = ?")
      .bind(`m${user.id}00007`)
      .run();
    const saved = await web("/settings", {
      cookie: await cookieFor(user.id),
      form: { ...FORM, reminderTime: "08:30" },
    });
    expect(saved.res.headers.get("Location")).toBe("/settings?saved=1049");
    const { results } = await env.DB.prepare(
      "select id, due_at from threads where user_id = ? order by due_at",
    )
      .bind(user.id)
      .all<{ id: string; due_at: number }>();
    const minuteOfDay = (ms: number) => (ms % DAY) / 60_000;
    expect(results.filter((r) => minuteOfDay(r.due_at) === 510)).toHaveLength(1_049);
    // The named time (09:00) stayed where it was.
    expect(results.find((r) => r.id === `m${user.id}00007`)?.due_at).toBe(
      Date.UTC(2031, 0, 7, 9, 0),
    );
  });
});
