import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../src/domain/reply-address";
import { outboxReplyingTo, threadByMessageId } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";
import { cronAt, HOUR, outreachAt, wipe } from "../helpers/scenario";

// SPEC section 9 through worker.email: limits on automatic answers, per recipient address.
// Past a limit the message is accepted, recorded, and answered by silence; a new thread
// past the daily limit is refused in-session.

const SECRET = "test-signing-secret-0123456789abcdef";
const T0 = Date.parse("2026-03-03T10:00:00Z");
const T1 = Date.parse("2026-03-06T08:00:00Z");
const OWNER = "owner@example.com";

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  await wipe();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Sends `n` messages to `to`, a minute apart from `start`; returns how many got an answer. */
async function answered(to: string, n: number, start = T0, extra: Parameters<typeof mime>[0] = {}) {
  let got = 0;
  const outcomes: string[] = [];
  for (let i = 0; i < n; i++) {
    vi.setSystemTime(start + i * 60_000);
    const messageId = uniqueId("ask");
    const record = await deliver(mime({ messageId, to, ...extra }), { to });
    expect(record.rejected).toBeNull();
    got += (await outboxReplyingTo(messageId)).length;
    const row = await env.DB.prepare("select outcome from inbound where message_id = ?")
      .bind(messageId)
      .first<{ outcome: string }>();
    outcomes.push(row?.outcome ?? "none");
  }
  return { got, outcomes };
}

describe("answers per recipient address", () => {
  it.each([
    ["help@", "help@sprout.test", "help"],
    ["list@", "list@sprout.test", "list"],
    ["login@", "login@sprout.test", "login"],
  ])("%s: 5 an hour; the sixth is accepted, recorded and silent", async (_n, to, label) => {
    const { got, outcomes } = await answered(to, 7);
    expect(got).toBe(5);
    expect(outcomes).toEqual([
      ...Array(5).fill(label),
      `${label}:rate-limited`,
      `${label}:rate-limited`,
    ]);
    // An hour on, room again.
    expect((await answered(to, 1, T0 + HOUR)).got).toBe(1);
  });

  it("help@: 20 a day, however slowly they come", async () => {
    // One every 30 minutes for 24 hours: 2 an hour never reach the hourly limit.
    let got = 0;
    for (let i = 0; i < 48; i++)
      got += (await answered("help@sprout.test", 1, T0 + i * 30 * 60_000)).got;
    expect(got).toBe(20);
  });

  it("time-error replies: 5 an hour; every message is still tracked", async () => {
    const { got, outcomes } = await answered("3dayz@sprout.test", 6);
    expect(got).toBe(5);
    expect(outcomes.at(-1)).toBe("unscheduled:bad-time:rate-limited");
    const n = await env.DB.prepare(
      "select count(*) as n from threads where status = 'unscheduled'",
    ).first<{
      n: number;
    }>();
    expect(n?.n).toBe(6);
  });

  it("command confirmations: 30 an hour; every command still acts", async () => {
    const t = await outreachAt(T0, "follow@sprout.test");
    await cronAt(T1);
    const address = await replyAddress(SECRET, t.id, "sprout.test");
    const { got, outcomes } = await answered(address, 31, T1 + HOUR, { body: "snooze 2d" });
    expect(got).toBe(30);
    expect(outcomes.slice(0, 30).every((o) => o === "reply:snooze")).toBe(true);
    expect(outcomes[30]).toBe("reply:snooze:rate-limited");
    const events = await env.DB.prepare(
      "select count(*) as n from events where thread_id = ? and kind = 'snooze'",
    )
      .bind(t.id)
      .first<{ n: number }>();
    expect(events?.n).toBe(31);
  });

  it("one address's spent budget leaves another's whole", async () => {
    await answered("help@sprout.test", 5);
    const other = "other@example.com";
    const messageId = uniqueId();
    const owners = { ...env, OWNERS: `${OWNER},${other}` } as Env;
    await deliver(
      mime({ from: other, to: "help@sprout.test", messageId }),
      { from: other, to: "help@sprout.test" },
      owners,
    );
    expect(await outboxReplyingTo(messageId)).toHaveLength(1);
  });
});

describe("new tracked threads per user", () => {
  it("tracks 200 a day; the next is refused in-session with the reason, and nothing is created", async () => {
    const user = await env.DB.prepare("select id from users where email = ?")
      .bind(OWNER)
      .first<{ id: string }>();
    const ownerId = user?.id ?? (await outreachAt(T0, "3d@sprout.test")).thread.user_id;
    await env.DB.prepare("delete from answer_log").run();
    // 199 threads already started in the last 24 hours.
    const stmt = env.DB.prepare("insert into answer_log (key, at) values (?, ?)");
    await env.DB.batch(
      Array.from({ length: 199 }, (_, i) => stmt.bind(`threads:${ownerId}`, T0 - i * 60_000)),
    );
    const last = await outreachAt(T0 + 60_000, "3d@sprout.test");
    expect(last.thread).not.toBeNull();
    vi.setSystemTime(T0 + 120_000);
    const refusedId = uniqueId();
    const record = await deliver(mime({ messageId: refusedId }), { to: "3d@sprout.test" });
    expect(record.rejected).toBe(
      "Sprout tracks at most 200 new conversations a day for one person, and you reached that today. Nothing was tracked: send this message to Sprout again tomorrow.",
    );
    expect(await threadByMessageId(refusedId)).toBeNull();
    // A follow-up in a known conversation is no new thread: it still counts.
    const followUp = await deliver(
      mime({
        subject: "Re: Coffee next week?",
        headers: { "In-Reply-To": `<${last.messageId}>`, References: `<${last.messageId}>` },
      }),
      { to: "follow@sprout.test" },
    );
    expect(followUp.rejected).toBeNull();
    // A day after the oldest of them, there is room again.
    vi.setSystemTime(T0 + 24 * HOUR + 1);
    const next = await deliver(mime({ messageId: uniqueId() }), { to: "3d@sprout.test" });
    expect(next.rejected).toBeNull();
  });
});
