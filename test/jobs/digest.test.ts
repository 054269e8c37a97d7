import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openDb } from "../../src/db/client";
import { dueDigestUsersQuery } from "../../src/db/digest";
import { replyAddress } from "../../src/domain/reply-address";
import { deliver, mime } from "../helpers/email";
import { queryPlan } from "../helpers/plan";
import { cronAt, DAY, outreachAt, wipe } from "../helpers/scenario";
import { cookieFor, web } from "../web/helpers";

const OWNER = "owner@example.com";
// Monday 9 March 2026: the digest goes out at 08:00 UTC (the default day and time).
const MONDAY_8AM = Date.parse("2026-03-09T08:00:00Z");

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await wipe();
  await env.DB.prepare(
    "update users set digest_enabled = 1, digest_day = 1, last_digest_at = null",
  ).run();
});
afterEach(() => {
  vi.useRealTimers();
});

async function digests() {
  const { results } = await env.DB.prepare(
    "select * from dev_outbox where to_address = ? and subject like 'Your week in outreach%' order by id",
  )
    .bind(OWNER)
    .all<Record<string, string>>();
  return results;
}

describe("the weekly digest", () => {
  it("sends one digest a week with last week's numbers, the rate, what is due and the streak", async () => {
    // Two weeks ago: one outreach. Last week: two, one followed up then answered by reply.
    await outreachAt(MONDAY_8AM - 10 * DAY, "follow@sprout.test", { subject: "Older one" });
    const answered = await outreachAt(MONDAY_8AM - 6 * DAY, "follow@sprout.test", {
      subject: "Coffee?",
    });
    await outreachAt(MONDAY_8AM - 5 * DAY, "3w@sprout.test", { subject: "Due later" });
    await outreachAt(MONDAY_8AM - DAY, "3d@sprout.test", { subject: "Due this week" });
    const address = await replyAddress(
      "test-signing-secret-0123456789abcdef",
      answered.id,
      "sprout.test",
    );
    vi.setSystemTime(MONDAY_8AM - 4 * DAY);
    await deliver(mime({ body: "done" }), { to: address });
    vi.setSystemTime(MONDAY_8AM - 3 * DAY);
    await deliver(mime({ body: "they replied" }), { to: address });

    await cronAt(MONDAY_8AM - 60_000);
    expect(await digests()).toHaveLength(0);
    await cronAt(MONDAY_8AM);
    const [digest] = await digests();
    expect(digest?.subject).toBe("Your week in outreach: 3 messages sent, 1 answer");
    const text = String(digest?.text_body);
    expect(text).toContain("Last 7 days: 3 messages sent, 1 follow-up, 1 reply, 0 calls.");
    expect(text).toContain("Streak: 2 weeks in a row with outreach.");
    expect(text).toContain("Of the 1 answer you have had, 1 came after you followed up.");
    expect(text).toContain("Mon 9 Feb 2026 to Mon 9 Mar 2026: 1 of 4 answered (25%)");
    // Only "Due this week" falls in the coming 7 days ("Older one" next comes on 16 March).
    expect(text).toContain(
      'Follow-ups due in the next 7 days (UTC):\n  Wed 11 Mar 2026, 08:00: Jane Doe <jane@example.org>, "Due this week"\n\n',
    );
    const headers = JSON.parse(String(digest?.headers_json)) as Record<string, string>;
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    // A complete set of list headers (test/e2e/deliverability.test.ts scores why).
    expect(headers["List-Id"]).toBe("Sprout weekly digest <digest.sprout.test>");
    expect(headers["List-Unsubscribe"]).toMatch(
      /^<https:\/\/sprout\.test\/digest\/unsubscribe\?u=\w+&s=[a-z2-7]{22}>$/,
    );

    await cronAt(MONDAY_8AM + 60_000);
    await cronAt(MONDAY_8AM + 3 * DAY);
    expect(await digests()).toHaveLength(1);
    await cronAt(MONDAY_8AM + 7 * DAY);
    expect(await digests()).toHaveLength(2);
  });

  it("counts a streak longer than the 12 weeks of history the digest shows", async () => {
    for (let week = 1; week <= 15; week++) {
      await outreachAt(MONDAY_8AM - week * 7 * DAY + DAY, "2w@sprout.test", {
        subject: `Week ${week}`,
      });
    }
    await cronAt(MONDAY_8AM);
    const [digest] = await digests();
    expect(String(digest?.text_body)).toContain("Streak: 15 weeks in a row with outreach.");
  });

  it("sends nothing to a paused user, one who turned it off, or one with no activity", async () => {
    await outreachAt(MONDAY_8AM - 2 * DAY, "1d@sprout.test");
    await env.DB.prepare("update users set paused = 1").run();
    await cronAt(MONDAY_8AM);
    await env.DB.prepare("update users set paused = 0, digest_enabled = 0").run();
    await cronAt(MONDAY_8AM + 60_000);
    expect(await digests()).toHaveLength(0);
    await wipe();
    await env.DB.prepare("update users set digest_enabled = 1, last_digest_at = null").run();
    const summary = await cronAt(MONDAY_8AM + 7 * DAY);
    expect(summary.digests.skippedInactive).toBe(1);
    expect(await digests()).toHaveLength(0);
  });

  it("unsubscribes in one click from a mail app (a cross-site POST) only with a valid signature", async () => {
    await outreachAt(MONDAY_8AM - 2 * DAY, "follow@sprout.test");
    await cronAt(MONDAY_8AM);
    const [digest] = await digests();
    const link =
      /<([^>]+)>/.exec(JSON.parse(String(digest?.headers_json))["List-Unsubscribe"])?.[1] ?? "";
    const path = link.replace("https://sprout.test", "");
    const enabled = async () =>
      (
        await env.DB.prepare("select digest_enabled as d from users where email = ?")
          .bind(OWNER)
          .first<{ d: number }>()
      )?.d;

    const forged = await web(
      path.replace(/s=([a-z2-7])/, (_m, c: string) => `s=${c === "a" ? "b" : "a"}`),
      {
        form: { "List-Unsubscribe": "One-Click" },
        site: "cross-site",
      },
    );
    expect(forged.status).toBe(403);
    expect(await enabled()).toBe(1);
    const page = await web(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Stop the weekly digest");
    expect(await enabled()).toBe(1);
    const oneClick = await web(path, {
      form: { "List-Unsubscribe": "One-Click" },
      site: "cross-site",
    });
    expect(oneClick.status).toBe(200);
    expect(await enabled()).toBe(0);
  });
});

describe("finding whose digest is due", () => {
  it("is an index search on users.next_digest_at", async () => {
    const { sql, params } = dueDigestUsersQuery(openDb(env.DB), MONDAY_8AM, 100).toSQL();
    const plan = await queryPlan(sql, params);
    expect(plan).toMatch(/^SEARCH users USING INDEX users_next_digest \(next_digest_at<\?\)$/);
  });

  it("lets no number of new users crowd out a digest that is due", async () => {
    await outreachAt(MONDAY_8AM - 2 * DAY, "follow@sprout.test");
    // The owner had last week's digest; a scan that looks at users without one first
    // would never reach them.
    await env.DB.prepare("update users set last_digest_at = ? where email = ?")
      .bind(MONDAY_8AM - 7 * DAY, OWNER)
      .run();
    // 1,500 users who joined at 08:10, after this week's moment: never computed (0).
    await env.DB.prepare(
      `with recursive k(i) as (select 1 union all select i + 1 from k where i < 1500)
       insert into users (id, email, time_zone, created_at)
       select 'new' || i, 'new' || i || '@example.com', 'UTC', ?1 from k`,
    )
      .bind(MONDAY_8AM + 10 * 60_000)
      .run();
    const run = await cronAt(MONDAY_8AM + 30 * 60_000);
    expect(await digests()).toHaveLength(1);
    expect(run.digests.looked).toBe(1501);
    // Each new user now has a time (next Monday: they joined after this week's moment), so
    // the next run reads no one.
    const next = await env.DB.prepare(
      "select count(*) as n from users where id like 'new%' and next_digest_at = ?",
    )
      .bind(MONDAY_8AM + 7 * DAY)
      .first<{ n: number }>();
    expect(next?.n).toBe(1500);
    expect((await cronAt(MONDAY_8AM + 31 * 60_000)).digests.looked).toBe(0);
    await env.DB.prepare("delete from users where id like 'new%'").run();
  });

  it("schedules the next digest a week on after each one, and again when the settings change", async () => {
    await outreachAt(MONDAY_8AM - 2 * DAY, "follow@sprout.test");
    await cronAt(MONDAY_8AM);
    expect(await digests()).toHaveLength(1);
    const nextOf = async () =>
      await env.DB.prepare("select id, next_digest_at as n from users where email = ?")
        .bind(OWNER)
        .first<{ id: string; n: number | null }>();
    expect((await nextOf())?.n).toBe(MONDAY_8AM + 7 * DAY);
    const id = (await nextOf())?.id ?? "";
    const cookie = await cookieFor(id, MONDAY_8AM + DAY);
    vi.setSystemTime(MONDAY_8AM + DAY);
    const form = {
      timeZone: "Europe/Berlin",
      reminderTime: "09:00",
      cadence: "3bd, 1w, 2w, 3mo",
      digestEnabled: "on",
      digestDay: "5",
    };
    await web("/settings", { cookie, form });
    // Friday 13 March would come 4 days after Monday's digest: at most one a week, so
    // Friday 20 March, 09:00 in Berlin (CET), which is 08:00 UTC.
    expect((await nextOf())?.n).toBe(Date.parse("2026-03-20T08:00:00Z"));
    const { digestEnabled: _off, ...withoutDigest } = form;
    await web("/settings", { cookie, form: withoutDigest });
    expect((await nextOf())?.n).toBeNull();
  });
});
