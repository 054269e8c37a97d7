import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxReplyingTo, threadByMessageId } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";

// src/inbound/track.ts: a new outreach becomes a thread (copies, times, time errors).

// Tuesday 3 March 2026, 10:00 UTC: the clock every test here starts from.
const NOW = Date.parse("2026-03-03T10:00:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

async function outreach(to: string, extra: Parameters<typeof mime>[0] = {}) {
  const messageId = uniqueId("outreach");
  const record = await deliver(mime({ messageId, ...extra }), { to });
  return { messageId, record, thread: await threadByMessageId(messageId) };
}

describe("capture: a BCC'd outreach becomes a tracked thread", () => {
  it("stores the thread with contacts, subject, snippet and the first due time", async () => {
    const { record, thread } = await outreach("3d@sprout.test", {
      to: "Jane Doe <Jane@Example.org>",
      cc: "Sam Roe <sam@example.net>, sprout <follow@sprout.test>",
    });
    expect(record.rejected).toBeNull();
    expect(thread).not.toBeNull();
    expect(thread?.status).toBe("scheduled");
    expect(thread?.subject).toBe("Coffee next week?");
    // 3 days after Tue 10:00 is Fri 6 March, at the default reminder time 08:00 UTC.
    expect(thread?.due_at).toBe(Date.parse("2026-03-06T08:00:00Z"));
    expect(JSON.parse(String(thread?.contacts_json))).toEqual([
      { name: "Jane Doe", address: "jane@example.org" },
      { name: "Sam Roe", address: "sam@example.net" },
    ]);
    expect(thread?.snippet).toBe("Hi Jane, Would you have 20 minutes for coffee next week? Olivia");
    expect(thread?.sent_at).toBe(NOW);
  });

  it("routes sub-addressing, separators and upper case", async () => {
    const cases: [string, string][] = [
      ["me+3d@sprout.test", "2026-03-06T08:00:00Z"],
      ["TOMORROW.9AM@sprout.test", "2026-03-04T09:00:00Z"],
      ["next-monday@SPROUT.TEST", "2026-03-09T08:00:00Z"],
      ["aug15_2pm@sprout.test", "2026-08-15T14:00:00Z"],
      ["inbox+Follow@sprout.test", "2026-03-06T08:00:00Z"],
    ];
    for (const [to, due] of cases) {
      const { record, thread } = await outreach(to);
      expect(record.rejected, to).toBeNull();
      expect(thread?.due_at, to).toBe(Date.parse(due));
    }
  });

  it("tracks keep-in-touch addresses", async () => {
    const { thread } = await outreach("every2weeks@sprout.test");
    expect(thread?.kind).toBe("every");
    expect(thread?.recurrence).toBe("2weeks");
    expect(thread?.due_at).toBe(Date.parse("2026-03-17T08:00:00Z"));
  });

  it("schedules one thread with the earliest time when a message reaches several addresses", async () => {
    const messageId = uniqueId();
    const raw = mime({ messageId, to: "Jane <jane@example.org>" });
    await deliver(raw, { to: "1w@sprout.test" });
    await deliver(raw, { to: "2d@sprout.test" });
    await deliver(raw, { to: "3w@sprout.test" });
    const thread = await threadByMessageId(messageId);
    expect(thread?.due_at).toBe(Date.parse("2026-03-05T08:00:00Z"));
    const { results } = await env.DB.prepare("select id from threads where message_id = ?")
      .bind(messageId)
      .all();
    expect(results).toHaveLength(1);
  });
});

describe("a time that does not parse", () => {
  it("keeps the thread unscheduled, explains, and a reply with a valid time schedules it", async () => {
    const messageId = uniqueId("bad");
    const record = await deliver(mime({ messageId, subject: "Intro to Acme" }), {
      to: "3dayz@sprout.test",
    });
    expect(record.rejected).toBeNull();
    const thread = await threadByMessageId(messageId);
    expect(thread?.status).toBe("unscheduled");
    expect(thread?.due_at).toBeNull();
    const [error] = await outboxReplyingTo(messageId);
    expect(error?.subject).toBe("Re: Intro to Acme");
    expect(String(error?.text_body)).toContain('did not understand "dayz"');
    expect(String(error?.text_body)).toContain("tomorrow9am");
    const replyAddress = String(error?.reply_to);
    expect(replyAddress).toMatch(/^re-[a-z2-7]{10}-[a-z2-7]{16}@sprout\.test$/);

    const replyId = uniqueId("reply");
    const reply = mime({
      messageId: replyId,
      to: `Sprout <${replyAddress}>`,
      subject: "Re: Intro to Acme",
      body: "tomorrow 9am\r\n\r\nOn Tue, Mar 3, 2026 at 10:00 AM Sprout <sprout@sprout.test> wrote:\r\n> Sprout did not understand\r\n",
      headers: { "In-Reply-To": `<${messageId}>` },
    });
    const answered = await deliver(reply, { to: replyAddress.toUpperCase() });
    expect(answered.rejected).toBeNull();
    const scheduled = await threadByMessageId(messageId);
    expect(scheduled?.status).toBe("scheduled");
    expect(scheduled?.due_at).toBe(Date.parse("2026-03-04T09:00:00Z"));
    const [confirmation] = await outboxReplyingTo(replyId);
    expect(String(confirmation?.text_body)).toContain("Wed 4 Mar 2026, 09:00");
  });
});
