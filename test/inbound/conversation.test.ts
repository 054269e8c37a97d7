import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../src/domain/reply-address";
import { outboxReplyingTo, threadById } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";
import { cronAt, DAY, outreachAt, ownerInZone, wipe } from "../helpers/scenario";

// src/inbound/conversation.ts: the user's follow-ups and the contact's replies in a known
// conversation, and what each does to the thread (SPEC section 3's table).

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

async function eventsOf(threadId: string) {
  const { results } = await env.DB.prepare(
    "select kind, source from events where thread_id = ? order by id",
  )
    .bind(threadId)
    .all<{ kind: string; source: string }>();
  return results.map((r) => `${r.kind}:${r.source}`);
}

async function count(sql: string): Promise<number> {
  return (await env.DB.prepare(sql).first<{ n: number }>())?.n ?? 0;
}

/** Puts a thread in a status, as earlier events would have left it. */
async function setStatus(id: string, status: string, step = 2) {
  await env.DB.prepare("update threads set status = ?, due_at = null, step = ? where id = ?")
    .bind(status, step, id)
    .run();
}

/**
 * The owner writes again in the conversation at `at`. `envelope` is the Sprout address the
 * copy was delivered to; `cc` is the visible Cc header (reply-all keeps a Cc'd Sprout there).
 */
async function ownerWritesAgain(
  at: number,
  parentId: string,
  envelope: string,
  extra: Parameters<typeof mime>[0] = {},
) {
  vi.setSystemTime(at);
  const messageId = uniqueId("again");
  const record = await deliver(
    mime({
      messageId,
      subject: "Re: Coffee next week?",
      body: "Hi Jane, just bumping this up.",
      headers: { "In-Reply-To": `<${parentId}>`, References: `<${parentId}>` },
      ...extra,
    }),
    { to: envelope },
  );
  expect(record.rejected).toBeNull();
  return messageId;
}

/** The contact answers with reply-all, which reaches the Sprout address Cc'd on the outreach. */
async function contactRepliesAll(at: number, parentId: string, to = "follow@sprout.test") {
  vi.setSystemTime(at);
  const record = await deliver(
    mime({
      from: "Jane Doe <jane@example.org>",
      to: "Olivia Owner <owner@example.com>",
      cc: to,
      subject: "Re: Coffee next week?",
      body: "Sure, Thursday works!",
      headers: { "In-Reply-To": `<${parentId}>`, References: `<${parentId}>` },
    }),
    { from: "jane@example.org", to },
  );
  expect(record.rejected).toBeNull();
}

const iso = (ms: unknown) => new Date(Number(ms)).toISOString();

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

const CLOSED = ["dormant", "replied", "met", "stopped"] as const;

describe("explicit and inherited copies (America/New_York)", () => {
  // Thursday 12 March 2026, 10:00 EDT; three business days on is Tuesday 17 March.
  const F = Date.parse("2026-03-12T14:00:00Z");
  const NEW_ROUND_DUE = "2026-03-17T12:00:00.000Z";
  beforeEach(async () => {
    await ownerInZone("America/New_York");
  });

  it.each(CLOSED)(
    "%s: Bcc'd again (explicit), counts a follow-up and starts a new round at step 1",
    async (status) => {
      const { id, messageId } = await outreachAt(T0, "follow@sprout.test");
      await setStatus(id, status, 5);
      await ownerWritesAgain(F, messageId, "follow@sprout.test");
      const thread = await threadById(id);
      expect(thread?.status).toBe("scheduled");
      expect(thread?.step).toBe(1);
      expect(iso(thread?.due_at)).toBe(NEW_ROUND_DUE);
      expect(await eventsOf(id)).toEqual(["outreach:email", "followup:detected"]);
      expect(await count("select count(*) as n from threads")).toBe(1);
    },
  );

  it.each(CLOSED)(
    "%s: Sprout kept in Cc by reply-all (inherited), counts the follow-up and changes nothing else",
    async (status) => {
      const { id, messageId } = await outreachAt(T0, "follow@sprout.test", {
        cc: "sprout <follow@sprout.test>",
      });
      await setStatus(id, status);
      await ownerWritesAgain(F, messageId, "follow@sprout.test", {
        cc: "sprout <follow@sprout.test>",
      });
      const thread = await threadById(id);
      expect(thread?.status).toBe(status);
      expect(thread?.due_at).toBeNull();
      expect(thread?.step).toBe(2);
      expect(await eventsOf(id)).toEqual(["outreach:email", "followup:detected"]);
      await cronAt(F + 120 * DAY);
      expect(await count("select count(*) as n from dev_outbox")).toBe(0);
    },
  );

  it("scheduled: an inherited copy moves to the next step from now, as an explicit one does", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test", {
      cc: "sprout <follow@sprout.test>",
    });
    // Reminder 1: three business days on, Friday 6 March at 08:00 EST.
    await cronAt(Date.parse("2026-03-06T13:00:00Z"));
    expect((await threadById(id))?.step).toBe(2);
    await ownerWritesAgain(F, messageId, "follow@sprout.test", { cc: "follow@sprout.test" });
    const thread = await threadById(id);
    // The follow-up takes reminder 2's place: reminder 3 is two weeks from now.
    expect(thread?.step).toBe(3);
    expect(iso(thread?.due_at)).toBe("2026-03-26T12:00:00.000Z");
  });

  it("a time address Bcc'd in a dormant conversation sets the new round's first reminder", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test");
    await setStatus(id, "dormant", 5);
    await ownerWritesAgain(F, messageId, "tomorrow9am@sprout.test");
    const thread = await threadById(id);
    expect(thread?.status).toBe("scheduled");
    expect(thread?.step).toBe(1);
    expect(thread?.explicit_first).toBe(1);
    expect(thread?.address).toBe("tomorrow9am");
    expect(iso(thread?.due_at)).toBe("2026-03-13T13:00:00.000Z"); // Fri 13 Mar, 09:00 EDT
  });

  it("stop, then a reply-all keeps Sprout in Cc: nothing restarts; a Bcc does", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test", {
      cc: "sprout <follow@sprout.test>",
    });
    await cronAt(Date.parse("2026-03-06T13:00:00Z"));
    const address = await replyAddress(SECRET, id, "sprout.test");
    vi.setSystemTime(Date.parse("2026-03-06T15:00:00Z"));
    expect((await deliver(mime({ body: "stop" }), { to: address })).rejected).toBeNull();
    expect((await threadById(id))?.status).toBe("stopped");

    await ownerWritesAgain(F, messageId, "follow@sprout.test", { cc: "follow@sprout.test" });
    expect((await threadById(id))?.status).toBe("stopped");
    await cronAt(F + 30 * DAY);
    // The outbox, not deliveries: retention deletes sent deliveries after 30 days.
    expect(
      await count(
        "select count(*) as n from dev_outbox where text_body like '%This is follow-up%'",
      ),
    ).toBe(1);

    const later = F + 31 * DAY; // Sunday 12 April 2026, 10:00 EDT
    await ownerWritesAgain(later, messageId, "follow@sprout.test");
    const restarted = await threadById(id);
    expect(restarted?.status).toBe("scheduled");
    expect(iso(restarted?.due_at)).toBe("2026-04-15T12:00:00.000Z"); // Wed, 3 business days
    await cronAt(Number(restarted?.due_at));
    const reminders = await env.DB.prepare(
      "select text_body from dev_outbox where text_body like '%This is follow-up%' order by id",
    ).all<{ text_body: string }>();
    expect(reminders.results).toHaveLength(2);
    expect(reminders.results[1]?.text_body).toContain("This is follow-up 1 of 4.");
  });

  it("a display name that looks like the Sprout address does not make a Bcc inherited", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test");
    await setStatus(id, "dormant", 5);
    await ownerWritesAgain(F, messageId, "follow@sprout.test", {
      cc: '"follow@sprout.test" <sam@example.net>',
    });
    expect((await threadById(id))?.status).toBe("scheduled");
  });

  it("a Cc'd Sprout address in other letter case is still inherited", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test");
    await setStatus(id, "dormant", 5);
    await ownerWritesAgain(F, messageId, "Follow@Sprout.test", { cc: "FOLLOW@SPROUT.TEST" });
    expect((await threadById(id))?.status).toBe("dormant");
  });

  it.each([
    ["the Cc'd copy first", ["follow@sprout.test", "3d@sprout.test"]],
    ["the Bcc'd copy first", ["3d@sprout.test", "follow@sprout.test"]],
  ])(
    "one follow-up Cc'd to follow@ and Bcc'd to 3d@, %s: one follow-up, a new round",
    async (_order, envelopes) => {
      const { id, messageId } = await outreachAt(T0, "follow@sprout.test", {
        cc: "follow@sprout.test",
      });
      await setStatus(id, "replied");
      vi.setSystemTime(F);
      const raw = mime({
        messageId: uniqueId("both"),
        cc: "follow@sprout.test",
        subject: "Re: Coffee next week?",
        headers: { "In-Reply-To": `<${messageId}>` },
      });
      for (const to of envelopes) expect((await deliver(raw, { to })).rejected).toBeNull();
      const thread = await threadById(id);
      expect(thread?.status).toBe("scheduled");
      expect(thread?.step).toBe(1);
      // 3d@: Sunday 15 March, moved off the weekend to Monday 16 March, 08:00 EDT.
      expect(iso(thread?.due_at)).toBe("2026-03-16T12:00:00.000Z");
      expect(await eventsOf(id)).toEqual(["outreach:email", "followup:detected"]);
    },
  );
});

describe("the contact's reply", () => {
  it("on a stopped thread: counted and marked replied; reminders stay off", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test", {
      cc: "follow@sprout.test",
    });
    await setStatus(id, "stopped");
    await contactRepliesAll(T0 + DAY, messageId);
    const thread = await threadById(id);
    expect(thread?.status).toBe("replied");
    expect(thread?.due_at).toBeNull();
    expect(await eventsOf(id)).toEqual(["outreach:email", "reply:detected"]);
  });

  it("after a call: counted; the thread stays met", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test", {
      cc: "follow@sprout.test",
    });
    await setStatus(id, "met");
    await contactRepliesAll(T0 + DAY, messageId);
    expect((await threadById(id))?.status).toBe("met");
    expect(await eventsOf(id)).toEqual(["outreach:email", "reply:detected"]);
  });

  it("keep in touch (Europe/Berlin): each reply counts and moves the next reminder one interval on", async () => {
    await ownerInZone("Europe/Berlin");
    const { id, messageId } = await outreachAt(T0, "every2weeks@sprout.test", {
      cc: "every2weeks@sprout.test",
    });
    expect(iso((await threadById(id))?.due_at)).toBe("2026-03-17T07:00:00.000Z"); // 08:00 CET
    // Friday 20 March, 11:00 CET: two weeks on is Friday 3 April, 08:00 CEST.
    await contactRepliesAll(
      Date.parse("2026-03-20T10:00:00Z"),
      messageId,
      "every2weeks@sprout.test",
    );
    let thread = await threadById(id);
    expect(thread?.status).toBe("scheduled");
    expect(iso(thread?.due_at)).toBe("2026-04-03T06:00:00.000Z");
    await contactRepliesAll(
      Date.parse("2026-03-27T10:00:00Z"),
      messageId,
      "every2weeks@sprout.test",
    );
    thread = await threadById(id);
    expect(thread?.status).toBe("scheduled");
    expect(iso(thread?.due_at)).toBe("2026-04-10T06:00:00.000Z");
    expect(await eventsOf(id)).toEqual(["outreach:email", "reply:detected", "reply:detected"]);
  });
});

describe("forwards and Outlook's quoted originals", () => {
  it("an Outlook forward (FW:, -----Original Message-----) marks the thread replied", async () => {
    const { id } = await outreachAt(T0, "follow@sprout.test");
    vi.setSystemTime(T0 + DAY);
    const forward = mime({
      to: "follow@sprout.test",
      subject: "FW: Coffee next week?",
      body: [
        "She answered.",
        "",
        "-----Original Message-----",
        "From: Jane Doe <jane@example.org>",
        "Sent: Wednesday, March 4, 2026 9:12 AM",
        "To: Olivia Owner <owner@example.com>",
        "Subject: RE: Coffee next week?",
        "",
        "Sure, Thursday works!",
      ].join("\r\n"),
    });
    expect((await deliver(forward, { to: "follow@sprout.test" })).rejected).toBeNull();
    expect((await threadById(id))?.status).toBe("replied");
    expect(await eventsOf(id)).toEqual(["outreach:email", "reply:email"]);
  });

  it("a German forward (Weitergeleitete Nachricht, Von:) marks the thread replied", async () => {
    const { id } = await outreachAt(T0, "follow@sprout.test");
    vi.setSystemTime(T0 + DAY);
    const forward = mime({
      to: "follow@sprout.test",
      subject: "WG: Coffee next week?",
      body: [
        "---------- Weitergeleitete Nachricht ---------",
        "Von: Jane Doe <jane@example.org>",
        "Datum: Mi., 4. März 2026 um 09:12",
        "",
        "Gerne, Donnerstag passt!",
      ].join("\r\n"),
    });
    await deliver(forward, { to: "follow@sprout.test" });
    expect((await threadById(id))?.status).toBe("replied");
  });

  it("an Outlook follow-up quoting your own message under underscores is a follow-up, not a new outreach", async () => {
    const { id, messageId } = await outreachAt(T0, "follow@sprout.test");
    await ownerWritesAgain(T0 + 2 * DAY, messageId, "follow@sprout.test", {
      subject: "RE: Coffee next week?",
      body: [
        "Hi Jane, bumping this up.",
        "",
        "________________________________",
        "From: Olivia Owner <owner@example.com>",
        "Sent: Tuesday, March 3, 2026 10:00 AM",
        "To: Jane Doe <jane@example.org>",
        "Subject: Coffee next week?",
        "",
        "Would you have 20 minutes for coffee next week?",
      ].join("\r\n"),
    });
    expect(await count("select count(*) as n from threads")).toBe(1);
    expect(await eventsOf(id)).toEqual(["outreach:email", "followup:detected"]);
    expect((await threadById(id))?.step).toBe(2);
  });

  it("forwarding a reply sends nothing back, to the contact or to you", async () => {
    const { messageId } = await outreachAt(T0, "follow@sprout.test", { cc: "follow@sprout.test" });
    await contactRepliesAll(T0 + DAY, messageId);
    expect(await outboxReplyingTo(messageId)).toEqual([]);
    expect(await count("select count(*) as n from deliveries")).toBe(0);
  });
});
