import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../src/domain/reply-address";
import { threadById } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";
import { cronAt, DAY, HOUR, outreachAt, wipe } from "../helpers/scenario";

const SECRET = "test-signing-secret-0123456789abcdef";
// Tuesday 3 March 2026, 10:00 UTC.
const T0 = Date.parse("2026-03-03T10:00:00Z");
const T1 = Date.parse("2026-03-06T08:00:00Z"); // the first reminder of a follow@ thread

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await wipe();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A tracked thread whose first reminder went out at T1; returns its reply address. */
async function _remindedThread() {
  const t = await outreachAt(T0, "follow@sprout.test");
  await cronAt(T1);
  return { ...t, address: await replyAddress(SECRET, t.id, "sprout.test") };
}

/** Sends a fixture (or any raw reply) to a reply address at `at`. */
async function _replyWith(
  raw: string,
  address: string,
  at = T1 + HOUR,
  from = "owner@example.com",
) {
  vi.setSystemTime(at);
  // Each fixture has a fixed Message-ID: give every delivery its own so none is a duplicate.
  const unique = raw.replace(/^Message-ID:.*$/im, `Message-ID: <${uniqueId("reply")}>`);
  const messageId = /^Message-ID:\s*<([^>]+)>/im.exec(unique)?.[1] ?? "";
  const record = await deliver(unique, { from, to: address });
  return { record, messageId };
}

async function eventsOf(threadId: string) {
  const { results } = await env.DB.prepare(
    "select kind, source from events where thread_id = ? order by id",
  )
    .bind(threadId)
    .all<{ kind: string; source: string }>();
  return results.map((r) => `${r.kind}:${r.source}`);
}

describe("follow-up detection", () => {
  it("counts a Bcc'd follow-up in the same conversation and reschedules from now", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test");
    await cronAt(T1);
    vi.setSystemTime(Date.parse("2026-03-07T12:00:00Z"));
    const followUp = uniqueId("fu");
    await deliver(
      mime({
        messageId: followUp,
        subject: "Re: Coffee next week?",
        body: "Hi Jane, just bumping this up.",
        headers: { "In-Reply-To": `<${messageId}>`, References: `<${messageId}>` },
      }),
      { to: "f@sprout.test" },
    );
    const thread = await threadById(id);
    expect(thread?.step).toBe(3);
    expect(thread?.due_at).toBe(Date.parse("2026-03-23T08:00:00Z"));
    expect(await eventsOf(id)).toEqual(["outreach:email", "reminder:cron", "followup:detected"]);
    const { n } = (await env.DB.prepare("select count(*) as n from threads").first<{
      n: number;
    }>()) ?? { n: 0 };
    expect(n).toBe(1);
    // The follow-up's own Message-ID now leads to the thread too.
    const link = await env.DB.prepare("select thread_id from thread_messages where message_id = ?")
      .bind(followUp)
      .first<{ thread_id: string }>();
    expect(link?.thread_id).toBe(id);
  });

  it("marks the thread replied when the contact replies to all, and never writes to the contact", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test", {
      cc: "sprout <follow@sprout.test>",
    });
    vi.setSystemTime(T0 + DAY);
    const reply = mime({
      from: "Jane Doe <jane@example.org>",
      to: "Olivia Owner <owner@example.com>",
      cc: "follow@sprout.test",
      subject: "Re: Coffee next week?",
      body: "Sure, Thursday works!",
      headers: { "In-Reply-To": `<${messageId}>`, References: `<${messageId}>` },
    });
    const record = await deliver(reply, { from: "jane@example.org", to: "follow@sprout.test" });
    expect(record.rejected).toBeNull();
    const thread = await threadById(id);
    expect(thread?.status).toBe("replied");
    expect(thread?.due_at).toBeNull();
    expect(await eventsOf(id)).toContain("reply:detected");
    const { n } = (await env.DB.prepare("select count(*) as n from deliveries").first<{
      n: number;
    }>()) ?? { n: 0 };
    expect(n).toBe(0);
    await cronAt(T0 + 30 * DAY);
    expect(
      (await env.DB.prepare("select count(*) as n from dev_outbox").first<{ n: number }>())?.n,
    ).toBe(0);
  });

  it("marks the thread replied when the owner forwards the contact's reply", async () => {
    const { id } = await outreachAt(T0, "follow@sprout.test", {
      to: "Jane Doe <jane@example.org>",
    });
    const other = await outreachAt(T0, "follow@sprout.test", {
      to: "Sam Roe <sam@example.net>",
      subject: "Intro",
    });
    vi.setSystemTime(T0 + DAY);
    const forward = mime({
      to: "follow@sprout.test",
      subject: "Fwd: Re: Coffee next week?",
      body: [
        "FYI she answered!",
        "",
        "---------- Forwarded message ---------",
        "From: Jane Doe <jane@example.org>",
        "Date: Wed, 4 Mar 2026 at 09:12",
        "Subject: Re: Coffee next week?",
        "To: Olivia Owner <owner@example.com>",
        "",
        "Sure, Thursday works!",
      ].join("\r\n"),
    });
    const record = await deliver(forward, { to: "follow@sprout.test" });
    expect(record.rejected).toBeNull();
    expect((await threadById(id))?.status).toBe("replied");
    expect((await threadById(other.id))?.status).toBe("scheduled");
    const { n } = (await env.DB.prepare("select count(*) as n from threads").first<{
      n: number;
    }>()) ?? { n: 0 };
    expect(n).toBe(2);
  });
});
