import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../src/domain/reply-address";
import appleMail from "../fixtures/reply-apple-mail.eml?raw";
import blankLines from "../fixtures/reply-blank-lines.eml?raw";
import gmailMobile from "../fixtures/reply-gmail-mobile.eml?raw";
import gmailWeb from "../fixtures/reply-gmail-web.eml?raw";
import htmlOnly from "../fixtures/reply-html-only.eml?raw";
import outlookDesktop from "../fixtures/reply-outlook-desktop.eml?raw";
import outlookWeb from "../fixtures/reply-outlook-web.eml?raw";
import signatureOnly from "../fixtures/reply-signature-only.eml?raw";
import thunderbird from "../fixtures/reply-thunderbird.eml?raw";
import { outboxReplyingTo, threadById } from "../helpers/db";
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
async function remindedThread() {
  const t = await outreachAt(T0, "follow@sprout.test");
  await cronAt(T1);
  return { ...t, address: await replyAddress(SECRET, t.id, "sprout.test") };
}

/** Sends a fixture (or any raw reply) to a reply address at `at`. */
async function replyWith(raw: string, address: string, at = T1 + HOUR, from = "owner@example.com") {
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

describe("a command in a real client's reply", () => {
  it.each([
    ["Gmail web", gmailWeb, "done"],
    ["Gmail mobile", gmailMobile, "snooze"],
    ["Outlook desktop", outlookDesktop, "replied"],
    ["Outlook web", outlookWeb, "snooze"],
    ["Apple Mail", appleMail, "stop"],
    ["Thunderbird", thunderbird, "call"],
    ["HTML only", htmlOnly, "snooze"],
    ["blank lines first", blankLines, "done"],
  ])("%s: %s", async (_client, raw, kind) => {
    const { id, address } = await remindedThread();
    const { record, messageId } = await replyWith(raw, address);
    expect(record.rejected).toBeNull();
    const thread = await threadById(id);
    const expected = {
      done: { status: "scheduled", step: 3, event: "followup:email" },
      snooze: { status: "scheduled", step: 2, event: "snooze:email" },
      replied: { status: "replied", step: 2, event: "reply:email" },
      stop: { status: "stopped", step: 2, event: "stop:email" },
      call: { status: "met", step: 2, event: "call:email" },
    }[kind];
    expect(thread?.status).toBe(expected?.status);
    expect(thread?.step).toBe(expected?.step);
    expect(await eventsOf(id)).toContain(expected?.event);
    const [confirmation] = await outboxReplyingTo(messageId);
    expect(confirmation?.subject).toBe("Re: Coffee next week?");
    expect(String(confirmation?.text_body).split("\n")).toHaveLength(1);
  });

  it("done counts a follow-up and schedules the next step from now", async () => {
    const { id, address } = await remindedThread();
    await replyWith(gmailWeb, address, Date.parse("2026-03-07T12:00:00Z"));
    // Reminder 2 is replaced by the follow-up: reminder 3 (2 weeks) counts from Sat 7 March,
    // landing Sat 21 March, which moves to Monday.
    expect((await threadById(id))?.due_at).toBe(Date.parse("2026-03-23T08:00:00Z"));
  });

  it("snooze moves the next reminder, and the next one arrives then, not before", async () => {
    const { id, address } = await remindedThread();
    const { messageId } = await replyWith(gmailMobile, address, Date.parse("2026-03-06T09:00:00Z")); // snooze 3d
    const due = Date.parse("2026-03-09T08:00:00Z");
    expect((await threadById(id))?.due_at).toBe(due);
    const [confirmation] = await outboxReplyingTo(messageId);
    expect(String(confirmation?.text_body)).toContain(
      "Snoozed: Sprout will remind you on Mon 9 Mar 2026, 08:00 (UTC)",
    );
    const count = async () =>
      (
        await env.DB.prepare(
          "select count(*) as n from deliveries where thread_id = ? and kind = 'reminder'",
        )
          .bind(id)
          .first<{ n: number }>()
      )?.n;
    await cronAt(due - 60_000);
    expect(await count()).toBe(1);
    await cronAt(due);
    expect(await count()).toBe(2);
  });

  it("answers help with the command list and changes nothing", async () => {
    const { id, address } = await remindedThread();
    const before = await threadById(id);
    const { messageId } = await replyWith(mime({ body: "Help\r\n" }), address);
    const [help] = await outboxReplyingTo(messageId);
    expect(help?.subject).toBe("Re: Coffee next week?");
    for (const command of ["done", "replied", "call", "snooze 3d", "stop"]) {
      expect(String(help?.text_body)).toContain(command);
    }
    expect(String(help?.text_body)).not.toContain("did not understand");
    expect(await threadById(id)).toEqual(before);
  });

  it("answers anything else with the help text, changing nothing, at most 5 times an hour", async () => {
    const { id, address } = await remindedThread();
    const before = await threadById(id);
    const first = await replyWith(signatureOnly, address);
    const [help] = await outboxReplyingTo(first.messageId);
    expect(String(help?.text_body)).toContain("Sprout found no command in your reply");
    expect(String(help?.text_body)).toContain("snooze 3d");
    // Four more within the hour are answered (SPEC 9: 5 an hour), the sixth is not.
    for (let i = 1; i <= 4; i++) {
      const next = await replyWith(
        mime({ body: "what is this?" }),
        address,
        T1 + HOUR + i * 60_000,
      );
      expect(await outboxReplyingTo(next.messageId)).toHaveLength(1);
    }
    const sixth = await replyWith(mime({ body: "what is this?" }), address, T1 + HOUR + 5 * 60_000);
    expect(await outboxReplyingTo(sixth.messageId)).toHaveLength(0);
    const label = await env.DB.prepare("select outcome from inbound where message_id = ?")
      .bind(sixth.messageId)
      .first<{ outcome: string }>();
    expect(label?.outcome).toBe("reply:unknown:rate-limited");
    // An hour after the first, the budget has room again.
    const later = await replyWith(mime({ body: "what is this?" }), address, T1 + 2 * HOUR + 60_000);
    expect(await outboxReplyingTo(later.messageId)).toHaveLength(1);
    expect(await threadById(id)).toEqual(before);
  });

  it.each([
    ["snooze 9999 years", "more than 5 years away"],
    ["snooze -2d", "in the past"],
    ["snooze feb 30", "not a real date"],
  ])("refuses %j with an error reply and changes nothing", async (body, message) => {
    const { id, address } = await remindedThread();
    const before = await threadById(id);
    const { messageId } = await replyWith(mime({ body }), address);
    const [reply] = await outboxReplyingTo(messageId);
    expect(String(reply?.text_body)).toContain(message);
    expect(String(reply?.text_body)).toContain("Nothing changed.");
    expect(await threadById(id)).toEqual(before);
  });

  it("sends no confirmation when the user turned confirmations off", async () => {
    await env.DB.prepare("update users set confirmations = 0").run();
    const { id, address } = await remindedThread();
    const { messageId } = await replyWith(gmailWeb, address);
    expect((await threadById(id))?.step).toBe(3);
    expect(await outboxReplyingTo(messageId)).toHaveLength(0);
  });
});

describe("reply addresses", () => {
  it("accepts an upper-cased address", async () => {
    const { id, address } = await remindedThread();
    const { record } = await replyWith(appleMail, address.toUpperCase());
    expect(record.rejected).toBeNull();
    expect((await threadById(id))?.status).toBe("stopped");
  });

  it.each([
    [
      "a forged signature",
      (a: string) =>
        a.replace(
          /-([a-z2-7])([a-z2-7]{15})@/,
          (_m, c: string, rest: string) => `-${c === "a" ? "b" : "a"}${rest}@`,
        ),
    ],
    ["another thread's id", (a: string) => a.replace(/^re-[a-z2-7]{10}/, "re-aaaaaaaaaa")],
    [
      "a foreign deployment's signature",
      (a: string) => a.replace(/-[a-z2-7]{16}@/, "-abcdefghijklmnop@"),
    ],
  ])("rejects %s in-session and changes nothing", async (_name, alter) => {
    const { id, address } = await remindedThread();
    const before = await threadById(id);
    const { record } = await replyWith(appleMail, alter(address));
    expect(record.rejected).toContain("not valid");
    expect(await threadById(id)).toEqual(before);
  });

  it("rejects a reply to a thread that no longer exists (deleted: an expired address)", async () => {
    const { id, address } = await remindedThread();
    await env.DB.prepare("delete from threads where id = ?").bind(id).run();
    const { record } = await replyWith(appleMail, address);
    expect(record.rejected).toContain("no longer exists");
  });

  it("changes nothing for someone else's reply and tells the owner at most once a day", async () => {
    const { id, address } = await remindedThread();
    const before = await threadById(id);
    const foreign = (from: string) => mime({ from: `Eve <${from}>`, body: "stop" });
    const first = await replyWith(
      foreign("eve@example.net"),
      address,
      T1 + HOUR,
      "eve@example.net",
    );
    expect(first.record.rejected).toContain("Only the person who started this Sprout conversation");
    await replyWith(foreign("eve@example.net"), address, T1 + 2 * HOUR, "eve@example.net");
    expect(await threadById(id)).toEqual(before);
    await cronAt(T1 + 3 * HOUR);
    const notices = async () =>
      (
        await env.DB.prepare(
          "select count(*) as n from dev_outbox where subject like 'Sprout: someone else%'",
        ).first<{ n: number }>()
      )?.n;
    expect(await notices()).toBe(1);
    await replyWith(
      foreign("mallory@example.net"),
      address,
      T1 + DAY + 2 * HOUR,
      "mallory@example.net",
    );
    await cronAt(T1 + DAY + 3 * HOUR);
    expect(await notices()).toBe(2);
  });
});

describe("loops", () => {
  it("gives a headerless auto-responder answering every Sprout mail 50 times in 50 minutes 5 replies", async () => {
    const { address } = await remindedThread();
    let sprouted = 0;
    for (let i = 0; i < 50; i++) {
      const before =
        (await env.DB.prepare("select count(*) as n from dev_outbox").first<{ n: number }>())?.n ??
        0;
      await replyWith(
        mime({
          subject: "Re: Coffee next week?",
          body: "Thank you for your message. I am travelling this week.",
        }),
        address,
        T1 + HOUR + i * 60_000,
      );
      const after =
        (await env.DB.prepare("select count(*) as n from dev_outbox").first<{ n: number }>())?.n ??
        0;
      sprouted += after - before;
    }
    expect(sprouted).toBe(5);
  });

  it("answers a slower auto-responder (every 20 minutes, for 17 hours) at most 20 times a day", async () => {
    const { address } = await remindedThread();
    const count = async () =>
      (await env.DB.prepare("select count(*) as n from dev_outbox").first<{ n: number }>())?.n ?? 0;
    const before = await count();
    for (let i = 0; i < 50; i++) {
      await replyWith(mime({ body: "I am travelling." }), address, T1 + HOUR + i * 20 * 60_000);
    }
    expect((await count()) - before).toBe(20);
  });

  it.each([
    ["Auto-Submitted", { headers: { "Auto-Submitted": "auto-replied" }, body: "done" }],
    ["an out-of-office subject", { subject: "Automatic reply: Coffee next week?", body: "done" }],
    ["X-Autoreply", { headers: { "X-Autoreply": "yes" }, body: "stop" }],
  ])("never runs a command from an auto-reply marked by %s", async (_n, opts) => {
    const { id, address } = await remindedThread();
    const before = await threadById(id);
    const { record, messageId } = await replyWith(mime(opts), address);
    expect(record.rejected).toBeNull();
    expect(await threadById(id)).toEqual(before);
    expect(await outboxReplyingTo(messageId)).toHaveLength(0);
  });
});
