import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxReplyingTo, threadByMessageId } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";

// src/inbound/loop-guard.ts: automated and bulk mail.

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
