import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../src/domain/reply-address";
import autoSubmittedTwice from "../fixtures/auto-replies/auto-submitted-twice.eml?raw";
import cpanel from "../fixtures/auto-replies/cpanel-autoresponder.eml?raw";
import exchange2010Fr from "../fixtures/auto-replies/exchange-2010-fr.eml?raw";
import exchangeOnlineDe from "../fixtures/auto-replies/exchange-online-de.eml?raw";
import webmailEs from "../fixtures/auto-replies/webmail-es.eml?raw";
import { outboxReplyingTo, threadById, threadByMessageId } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";

// src/inbound/loop-guard.ts: automated and bulk mail.

const SECRET = "test-signing-secret-0123456789abcdef";
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

async function inboundOf(messageId: string) {
  return env.DB.prepare("select outcome, detail from inbound where message_id = ?")
    .bind(messageId)
    .first<{ outcome: string; detail: string | null }>();
}

describe("mail-merge outreach: bulk markers from a verified user to a tracking address", () => {
  it.each([
    ["Precedence: bulk", { Precedence: "bulk" }, "Precedence: bulk"],
    ["Precedence: list", { Precedence: "list" }, "Precedence: list"],
    ["List-Id", { "List-Id": "<campaign.example.com>" }, "mailing-list message (List-Id)"],
    [
      "List-Unsubscribe",
      { "List-Unsubscribe": "<mailto:unsubscribe@example.com>" },
      "bulk message (List-Unsubscribe)",
    ],
  ])("with %s: tracked, and answered by nothing", async (_name, headers, reason) => {
    for (const to of ["3d@sprout.test", "follow@sprout.test", "every2weeks@sprout.test"]) {
      const { record, messageId, thread } = await outreach(to, { headers });
      expect(record.rejected, to).toBeNull();
      expect(thread?.status, to).toBe("scheduled");
      expect(await outboxReplyingTo(messageId), to).toEqual([]);
      expect(await inboundOf(messageId), to).toEqual({ outcome: "tracked", detail: reason });
    }
  });

  it("a time that does not parse keeps the thread waiting, and sends no error reply", async () => {
    const { record, messageId, thread } = await outreach("3dayz@sprout.test", {
      headers: { "List-Unsubscribe": "<https://merge.example.com/u/1>" },
    });
    expect(record.rejected).toBeNull();
    expect(thread?.status).toBe("unscheduled");
    expect(await outboxReplyingTo(messageId)).toEqual([]);
  });

  it("a mail-merge follow-up in a known conversation counts as a follow-up", async () => {
    const first = await outreach("follow@sprout.test");
    const messageId = uniqueId("merge-fu");
    await deliver(
      mime({
        messageId,
        subject: "Re: Coffee next week?",
        headers: { Precedence: "bulk", "In-Reply-To": `<${first.messageId}>` },
      }),
      { to: "follow@sprout.test" },
    );
    expect((await threadByMessageId(messageId))?.id).toBe(first.thread?.id);
    expect((await inboundOf(messageId))?.outcome).toBe("followup");
  });

  it("bulk mail from someone who is not a user is ignored on the record, not rejected", async () => {
    const messageId = uniqueId("stranger");
    const record = await deliver(
      mime({ messageId, from: "Newsletter <news@example.net>", headers: { Precedence: "bulk" } }),
      { from: "news@example.net", to: "3d@sprout.test" },
    );
    expect(record.rejected).toBeNull();
    expect(await threadByMessageId(messageId)).toBeNull();
    expect(await inboundOf(messageId)).toEqual({
      outcome: "ignored:automated",
      detail: "Precedence: bulk",
    });
  });

  it.each(["help@sprout.test", "list@sprout.test", "login@sprout.test", "bob@sprout.test"])(
    "%s keeps ignoring bulk mail: no answer, no rejection",
    async (to) => {
      const messageId = uniqueId("bulk");
      const record = await deliver(
        mime({ messageId, to, headers: { "List-Unsubscribe": "<mailto:u@example.com>" } }),
        { to },
      );
      expect(record.rejected).toBeNull();
      expect(await outboxReplyingTo(messageId)).toEqual([]);
      expect((await inboundOf(messageId))?.outcome).toBe("ignored:automated");
    },
  );

  it("a reply address keeps ignoring bulk mail: the command does not run", async () => {
    const { thread } = await outreach("follow@sprout.test");
    const id = String(thread?.id);
    const address = await replyAddress(SECRET, id, "sprout.test");
    const messageId = uniqueId("bulk-reply");
    const record = await deliver(
      mime({ messageId, body: "stop", headers: { Precedence: "bulk" } }),
      { to: address },
    );
    expect(record.rejected).toBeNull();
    expect((await threadById(id))?.status).toBe("scheduled");
    expect(await outboxReplyingTo(messageId)).toEqual([]);
  });

  it.each([
    ["Auto-Submitted", { "Auto-Submitted": "auto-generated", Precedence: "bulk" }, undefined],
    ["an out-of-office subject", { Precedence: "bulk" }, "Out of Office: Coffee next week?"],
    ["multipart/report", { "List-Id": "<x.example.com>" }, undefined],
  ] as const)(
    "an automated reply marked by %s is still ignored, even with bulk markers",
    async (name, headers, subject) => {
      const messageId = uniqueId("auto");
      let raw = mime({ messageId, headers: { ...headers }, ...(subject ? { subject } : {}) });
      if (name === "multipart/report") {
        raw = raw.replace(
          "Content-Type: text/plain; charset=utf-8",
          'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        );
      }
      const record = await deliver(raw, { to: "follow@sprout.test" });
      expect(record.rejected).toBeNull();
      expect(await threadByMessageId(messageId)).toBeNull();
      expect((await inboundOf(messageId))?.outcome).toBe("ignored:automated");
    },
  );
});

/** The raw message without the named header fields (and their folded lines). */
function withoutHeaders(raw: string, names: readonly string[]): string {
  const end = raw.indexOf("\r\n\r\n");
  const kept: string[] = [];
  let dropping = false;
  for (const line of raw.slice(0, end).split("\r\n")) {
    if (/^[ \t]/.test(line)) {
      if (!dropping) kept.push(line);
      continue;
    }
    const name = line.slice(0, line.indexOf(":")).toLowerCase();
    dropping = names.some((n) => n.toLowerCase() === name);
    if (!dropping) kept.push(line);
  }
  return `${kept.join("\r\n")}${raw.slice(end)}`;
}

/** A fixture addressed to a thread's reply address, with a Message-ID of its own. */
function addressed(raw: string, address: string, messageId: string): string {
  return raw
    .replaceAll("re-REPLYADDR@sprout.test", address)
    .replace(/^Message-ID: <[^>]+>/im, `Message-ID: <${messageId}>`);
}

describe("automatic replies in the wild (issue 9): recorded, never acted on", () => {
  const rows = [
    ["Exchange Online, German", exchangeOnlineDe, [], "Auto-Submitted: auto-generated"],
    [
      "Exchange Online without Auto-Submitted",
      exchangeOnlineDe,
      ["Auto-Submitted"],
      "X-Auto-Response-Suppress: All",
    ],
    [
      "Exchange Online with only its German subject left",
      exchangeOnlineDe,
      ["Auto-Submitted", "X-Auto-Response-Suppress"],
      "auto-reply subject",
    ],
    ["Exchange 2010, French", exchange2010Fr, [], "X-Auto-Response-Suppress: All"],
    [
      "Exchange 2010 with only its French subject left",
      exchange2010Fr,
      ["X-Auto-Response-Suppress"],
      "auto-reply subject",
    ],
    ["a webmail responder with only a Spanish subject", webmailEs, [], "auto-reply subject"],
    ["a cPanel autoresponder", cpanel, [], "Precedence: auto_reply"],
    [
      "a cPanel autoresponder without Precedence",
      cpanel,
      ["Precedence"],
      "auto-reply header x-autorespond",
    ],
    [
      "Auto-Submitted: no, then Auto-Submitted: auto-replied",
      autoSubmittedTwice,
      [],
      "Auto-Submitted: auto-replied",
    ],
  ] as const;

  it.each(rows)(
    "%s, to a reminder's reply address: no command, no answer",
    async (_name, fixture, removed, reason) => {
      const { thread } = await outreach("3d@sprout.test");
      const id = String(thread?.id);
      const before = await threadById(id);
      const address = await replyAddress(SECRET, id, "sprout.test");
      const messageId = uniqueId("oof");
      const raw = addressed(withoutHeaders(fixture, removed), address, messageId);
      const record = await deliver(raw, { to: address });
      expect(record.rejected).toBeNull();
      // The cPanel text starts with "stop", the relayed one with "done": neither ran.
      expect(await threadById(id)).toEqual(before);
      expect(await outboxReplyingTo(messageId)).toEqual([]);
      expect(await inboundOf(messageId)).toEqual({ outcome: "ignored:automated", detail: reason });
    },
  );

  it.each(rows)(
    "%s, to a tracking address or help@: no thread, no answer",
    async (_name, fixture, removed, reason) => {
      for (const to of ["3d@sprout.test", "help@sprout.test"]) {
        const messageId = uniqueId("oof");
        const raw = addressed(withoutHeaders(fixture, removed), to, messageId);
        const record = await deliver(raw, { to });
        expect(record.rejected, to).toBeNull();
        expect(await threadByMessageId(messageId), to).toBeNull();
        expect(await outboxReplyingTo(messageId), to).toEqual([]);
        expect(await inboundOf(messageId), to).toEqual({
          outcome: "ignored:automated",
          detail: reason,
        });
      }
    },
  );

  it("the fixtures without any marker are a person's mail: the command runs", async () => {
    const { thread } = await outreach("3d@sprout.test");
    const id = String(thread?.id);
    const address = await replyAddress(SECRET, id, "sprout.test");
    const messageId = uniqueId("person");
    const raw = addressed(
      withoutHeaders(autoSubmittedTwice, ["Auto-Submitted"]),
      address,
      messageId,
    );
    expect((await deliver(raw, { to: address })).rejected).toBeNull();
    expect((await inboundOf(messageId))?.outcome).toBe("reply:done");
  });

  it.each([
    ["OOF, AutoReply", "X-Auto-Response-Suppress: OOF, AutoReply"],
    ["DR, RN, NRN", "X-Auto-Response-Suppress: DR, RN, NRN"],
    ["None", "X-Auto-Response-Suppress: None"],
    ["Auto-Submitted: no", "Auto-Submitted: no"],
    ["Precedence: first-class", "Precedence: first-class"],
  ])("a person's outreach carrying %s is tracked and answered as usual", async (_name, line) => {
    const [name = "", value = ""] = line.split(": ");
    const { record, messageId, thread } = await outreach("3dayz@sprout.test", {
      headers: { [name]: value },
    });
    expect(record.rejected).toBeNull();
    expect(thread?.status).toBe("unscheduled");
    // The time-error reply: Sprout answered, so the message counted as a person's.
    expect(await outboxReplyingTo(messageId)).toHaveLength(1);
  });

  it("a user's outreach subject that merely starts like one is tracked", async () => {
    const { thread } = await outreach("3d@sprout.test", { subject: "Out of officers to ask" });
    expect(thread?.status).toBe("scheduled");
  });
});
