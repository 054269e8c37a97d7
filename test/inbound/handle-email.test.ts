import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { threadByMessageId } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";

// src/inbound/handle-email.ts: what is refused in-session, and what a redelivery does.

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

describe("rejections and redeliveries", () => {
  it("rejects an unknown address in-session with a clear reason", async () => {
    const { record, thread } = await outreach("bob@sprout.test");
    expect(record.rejected).toContain('no address "bob@sprout.test"');
    expect(thread).toBeNull();
  });

  it("rejects mail from someone who is not a user (SIGNUP=closed)", async () => {
    const messageId = uniqueId();
    const closed = { ...env, SIGNUP: "closed" } as Env;
    const record = await deliver(
      mime({ from: "Mallory <mallory@example.net>", messageId }),
      { from: "mallory@example.net", to: "3d@sprout.test" },
      closed,
    );
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

  it("rejects an altered reply address in-session", async () => {
    const record = await deliver(mime({ body: "3d" }), {
      to: "re-aaaaaaaaaa-bbbbbbbbbbbbbbbb@sprout.test",
    });
    expect(record.rejected).toContain("not valid");
  });
});
