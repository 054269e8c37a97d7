import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_BODY_LINES } from "../../src/inbound/read-raw";
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

describe("line guard (issue 9: postal-mime's cost grows with the number of lines)", () => {
  function outreachWithBody(messageId: string, body: string): string {
    return [
      "From: Olivia Owner <owner@example.com>",
      "To: Jane Doe <jane@example.org>",
      "Subject: Coffee next week?",
      `Message-ID: <${messageId}>`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      body,
    ].join("\r\n");
  }

  async function detailOf(messageId: string) {
    const row = await env.DB.prepare("select detail from inbound where message_id = ?")
      .bind(messageId)
      .first<{ detail: string | null }>();
    return row?.detail;
  }

  it(`reads ${MAX_BODY_LINES} lines of body and no more: a megabyte of empty lines is cheap`, async () => {
    const messageId = uniqueId("lines");
    const body = `Hi Jane, coffee next week?\r\n${"\r\n".repeat(1_000_000)}P.S. hidden far below\r\n`;
    const record = await deliver(outreachWithBody(messageId, body), { to: "3d@sprout.test" });
    expect(record.rejected).toBeNull();
    const thread = await threadByMessageId(messageId);
    expect(thread?.snippet).toBe("Hi Jane, coffee next week?");
    expect(await detailOf(messageId)).toBe("truncated");
  });

  it("keeps a body of exactly that many lines whole", async () => {
    const messageId = uniqueId("lines");
    const lines = Array.from({ length: MAX_BODY_LINES }, (_, i) => `line ${i + 1}`);
    const record = await deliver(outreachWithBody(messageId, `${lines.join("\r\n")}\r\n`), {
      to: "3d@sprout.test",
    });
    expect(record.rejected).toBeNull();
    expect(await detailOf(messageId)).toBeNull();
    const over = uniqueId("lines");
    await deliver(
      outreachWithBody(over, `${lines.join("\r\n")}\r\nline ${MAX_BODY_LINES + 1}\r\n`),
      {
        to: "3d@sprout.test",
      },
    );
    expect(await detailOf(over)).toBe("truncated");
  });
});
