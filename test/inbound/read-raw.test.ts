import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxReplyingTo, threadByMessageId } from "../helpers/db";
import { deliver, uniqueId } from "../helpers/email";

// src/inbound/read-raw.ts: only the first 1 MiB of a message is read.

// Tuesday 3 March 2026, 10:00 UTC: the clock every test here starts from.
const NOW = Date.parse("2026-03-03T10:00:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
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
    // Tracked like any outreach: scheduled, and answered with nothing (no error, no bounce).
    expect(thread?.due_at).toBe(Date.parse("2026-03-06T08:00:00Z"));
    expect(await outboxReplyingTo(messageId)).toEqual([]);
  });
});
