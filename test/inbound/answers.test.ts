import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxReplyingTo, threadByMessageId } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";

// src/inbound/answers.ts: help@ and list@.

const OWNER = "owner@example.com";
// Tuesday 3 March 2026, 10:00 UTC: the clock every test here starts from.
const NOW = Date.parse("2026-03-03T10:00:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(async () => {
  vi.useRealTimers();
  // A test that moves the owner to another zone must not leak it, even when it fails.
  await env.DB.prepare("update users set time_zone = 'UTC' where email = ?").bind(OWNER).run();
});

async function outreach(to: string, extra: Parameters<typeof mime>[0] = {}) {
  const messageId = uniqueId("outreach");
  const record = await deliver(mime({ messageId, ...extra }), { to });
  return { messageId, record, thread: await threadByMessageId(messageId) };
}

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
  });
});
