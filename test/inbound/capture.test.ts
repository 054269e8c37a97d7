import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxFor, outboxReplyingTo, threadByMessageId } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";

const OWNER = "owner@example.com";
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

  it("rejects an unknown address in-session with a clear reason", async () => {
    const { record, thread } = await outreach("bob@sprout.test");
    expect(record.rejected).toContain('no address "bob@sprout.test"');
    expect(thread).toBeNull();
  });

  it("rejects mail from someone who is not a user", async () => {
    const messageId = uniqueId();
    const record = await deliver(mime({ from: "Mallory <mallory@example.net>", messageId }), {
      from: "mallory@example.net",
      to: "3d@sprout.test",
    });
    expect(record.rejected).toContain("mallory@example.net is not one");
    expect(await threadByMessageId(messageId)).toBeNull();
  });

  it.each([
    ["no From header", { from: null }, "no From header"],
    ["an encoded-word-only From", { from: "=?utf-8?B?Sm9obiBEb2U=?=" }, "no usable address"],
  ])("rejects a message with %s", async (_name, opts, reason) => {
    const { record, thread } = await outreach("3d@sprout.test", opts);
    expect(record.rejected).toContain(reason);
    expect(thread).toBeNull();
  });

  it("rejects a message with two From headers", async () => {
    const raw = mime({}).replace("From: ", "From: Eve <eve@example.net>\r\nFrom: ");
    const record = await deliver(raw, { to: "3d@sprout.test" });
    expect(record.rejected).toContain("more than one From header");
  });

  it("names a missing subject and gives a missing Message-ID a stable synthetic one", async () => {
    const body = `Unique body ${crypto.randomUUID()}`;
    const raw = mime({ subject: null, messageId: null, body });
    const first = await deliver(raw, { to: "1w@sprout.test" });
    const again = await deliver(raw, { to: "1w@sprout.test" });
    expect(first.rejected).toBeNull();
    expect(again.rejected).toBeNull();
    const { results } = await env.DB.prepare("select * from threads where snippet = ?")
      .bind(body)
      .all<Record<string, unknown>>();
    expect(results).toHaveLength(1);
    expect(results[0]?.subject).toBe("(no subject)");
    expect(String(results[0]?.message_id)).toMatch(/^synthetic-[0-9a-f]{32}@sprout\.test$/);
  });

  it("treats the same delivery twice as a no-op", async () => {
    const messageId = uniqueId();
    const raw = mime({ messageId });
    await deliver(raw, { to: "2d@sprout.test" });
    const before = await threadByMessageId(messageId);
    vi.setSystemTime(NOW + 60_000);
    const again = await deliver(raw, { to: "2d@sprout.test" });
    expect(again.rejected).toBeNull();
    const after = await threadByMessageId(messageId);
    expect(after).toEqual(before);
    const count = await env.DB.prepare("select count(*) as n from inbound where message_id = ?")
      .bind(messageId)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
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

describe("loop rules: automated mail gets no answer of any kind", () => {
  it.each([
    [
      "Auto-Submitted: auto-replied",
      { headers: { "Auto-Submitted": "auto-replied" } },
      "owner@example.com",
    ],
    ["Precedence: bulk", { headers: { Precedence: "bulk" } }, "owner@example.com"],
    ["Precedence: junk", { headers: { Precedence: "junk" } }, "owner@example.com"],
    ["List-Id", { headers: { "List-Id": "<news.example.com>" } }, "owner@example.com"],
    ["a null envelope sender", {}, ""],
    [
      "MAILER-DAEMON",
      { from: "Mail Delivery System <MAILER-DAEMON@example.com>" },
      "MAILER-DAEMON@example.com",
    ],
  ])(
    "drops %s without a reply, a rejection or a thread, and records it",
    async (_n, opts, from) => {
      const messageId = uniqueId("auto");
      const record = await deliver(mime({ messageId, ...opts }), { from, to: "help@sprout.test" });
      expect(record.rejected).toBeNull();
      expect(await outboxReplyingTo(messageId)).toHaveLength(0);
      const row = await env.DB.prepare("select outcome from inbound where message_id = ?")
        .bind(messageId)
        .first<{ outcome: string }>();
      expect(row?.outcome).toBe("ignored:automated");
    },
  );

  it("drops a delivery or feedback report (multipart/report) and records it", async () => {
    const messageId = uniqueId("report");
    const raw = mime({ messageId }).replace(
      "Content-Type: text/plain; charset=utf-8",
      'Content-Type: multipart/report; report-type=feedback-report; boundary="r"',
    );
    const record = await deliver(raw, { to: "3d@sprout.test" });
    expect(record.rejected).toBeNull();
    expect(await threadByMessageId(messageId)).toBeNull();
    const row = await env.DB.prepare("select detail from inbound where message_id = ?")
      .bind(messageId)
      .first<{ detail: string }>();
    expect(row?.detail).toBe("delivery or feedback report");
  });

  it("still acts on Auto-Submitted: no", async () => {
    const { thread } = await outreach("3d@sprout.test", { headers: { "Auto-Submitted": "no" } });
    expect(thread?.status).toBe("scheduled");
  });
});

describe("help@ and list@", () => {
  it("replies to help@ with every time format, threaded under the question", async () => {
    const messageId = uniqueId("help");
    await deliver(mime({ messageId, to: "help@sprout.test", subject: "help" }), {
      to: "help@sprout.test",
    });
    const [reply] = await outboxReplyingTo(messageId);
    expect(reply?.to_address).toBe(OWNER);
    expect(reply?.subject).toBe("How to use Sprout");
    for (const example of [
      "3d@sprout.test",
      "tomorrow9am",
      "aug15-2pm",
      "every3months",
      "2027-08-15",
      "5bd",
    ]) {
      expect(String(reply?.text_body)).toContain(example);
    }
    const headers = JSON.parse(String(reply?.headers_json)) as Record<string, string>;
    expect(headers["In-Reply-To"]).toBe(`<${messageId}>`);
    expect(headers["Auto-Submitted"]).toBe("auto-replied");
  });

  it("lists pending threads soonest first, with contact, subject and due time in the user's zone", async () => {
    await env.DB.prepare("update users set time_zone = 'America/New_York' where email = ?")
      .bind(OWNER)
      .run();
    await outreach("2w@sprout.test", { subject: "Later one", to: "Late <late@example.org>" });
    await outreach("tomorrow@sprout.test", {
      subject: "Sooner one",
      to: "Soon <soon@example.org>",
    });
    const messageId = uniqueId("list");
    await deliver(mime({ messageId, to: "list@sprout.test", subject: "list" }), {
      to: "list@sprout.test",
    });
    const [reply] = await outboxReplyingTo(messageId);
    const text = String(reply?.text_body);
    expect(text).toContain("Times are in America/New_York");
    const sooner = text.indexOf('Soon <soon@example.org>, "Sooner one"');
    const later = text.indexOf('Late <late@example.org>, "Later one"');
    expect(sooner).toBeGreaterThan(0);
    expect(later).toBeGreaterThan(sooner);
    // Tomorrow at 08:00 New York time (EST, UTC-5) is Wed 4 March.
    expect(text).toMatch(/Wed 4 Mar 2026, 08:00: Soon/);
    await env.DB.prepare("update users set time_zone = 'UTC' where email = ?").bind(OWNER).run();
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

  it("rejects an altered reply address in-session", async () => {
    const record = await deliver(mime({ body: "3d" }), {
      to: "re-aaaaaaaaaa-bbbbbbbbbbbbbbbb@sprout.test",
    });
    expect(record.rejected).toContain("not valid");
  });
});

describe("size guard", () => {
  it("reads only the first 1 MiB of a huge message and still tracks it", async () => {
    const messageId = uniqueId("big");
    const attachment = "QUJD".repeat(700_000); // 2.8 MB of base64
    const raw = [
      "From: Olivia Owner <owner@example.com>",
      "To: Jane Doe <jane@example.org>",
      "Subject: My resume",
      `Message-ID: <${messageId}>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hi Jane, my resume is attached.",
      "--b1",
      "Content-Type: application/pdf; name=resume.pdf",
      "Content-Transfer-Encoding: base64",
      "",
      attachment.replace(/(.{76})/g, "$1\r\n"),
      "--b1--",
      "",
    ].join("\r\n");
    const record = await deliver(raw, { to: "3d@sprout.test" });
    expect(record.rejected).toBeNull();
    const thread = await threadByMessageId(messageId);
    expect(thread?.snippet).toBe("Hi Jane, my resume is attached.");
    const row = await env.DB.prepare("select detail from inbound where message_id = ?")
      .bind(messageId)
      .first<{ detail: string }>();
    expect(row?.detail).toBe("truncated");
    expect(await outboxFor(OWNER)).toBeDefined();
  });
});
