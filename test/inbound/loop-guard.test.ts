import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../src/domain/reply-address";
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
