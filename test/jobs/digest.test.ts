import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../src/domain/reply-address";
import { deliver, mime } from "../helpers/email";
import { cronAt, DAY, outreachAt, wipe } from "../helpers/scenario";
import { web } from "../web/helpers";

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
