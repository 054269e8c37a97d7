import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runRetention } from "../../src/jobs/retention";
import { runScheduled } from "../../src/jobs/run-scheduled";
import { cronAt, DAY, HOUR, virtualClock } from "../helpers/scenario";
import { makeUser } from "../web/helpers";

const NOW = Date.parse("2026-03-04T08:00:00Z");

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await env.DB.batch(
    ["inbound", "login_tokens", "sessions", "deliveries"].map((t) =>
      env.DB.prepare(`delete from ${t}`),
    ),
  );
});
afterEach(() => {
  vi.useRealTimers();
});

/** Inserts `n` inbound records received at `at` (ids prefixed with `tag`). */
async function inboundAt(tag: string, n: number, at: number) {
  await env.DB.prepare(
    `with recursive k(i) as (select 1 union all select i + 1 from k where i < ?2)
     insert into inbound (id, received_at, envelope_from, envelope_to, subject, outcome)
     select ?1 || i, ?3, 'stranger@example.net', 'help@sprout.test', 'hi', 'ignored' from k`,
  )
    .bind(tag, n, at)
    .run();
}

const ids = async (table: string, column: string) =>
  (
    await env.DB.prepare(`select ${column} as id from ${table} order by 1`).all<{ id: string }>()
  ).results.map((r) => r.id);

describe("retention in the cron job", () => {
  it("deletes inbound records older than 30 days and keeps younger ones", async () => {
    await inboundAt("old-", 3, NOW - 30 * DAY - 1);
    await inboundAt("edge-", 1, NOW - 30 * DAY);
    await inboundAt("new-", 2, NOW - 29 * DAY);
    // Hostile twin: a record dated in the future (a skewed clock) is not "old".
    await inboundAt("future-", 1, NOW + 365 * DAY);
    const summary = await cronAt(NOW);
    expect(summary.retention.inbound).toBe(3);
    expect(await ids("inbound", "id")).toEqual(["edge-1", "future-1", "new-1", "new-2"]);
  });

  it("deletes sign-in tokens a day after they expired, and sessions past either limit", async () => {
    const user = await makeUser();
    const token = (hash: string, expiresAt: number) =>
      env.DB.prepare(
        "insert into login_tokens (token_hash, user_id, created_at, expires_at) values (?, ?, ?, ?)",
      ).bind(hash, user.id, expiresAt - 15 * 60_000, expiresAt);
    const session = (hash: string, lastSeenAt: number, expiresAt: number) =>
      env.DB.prepare(
        "insert into sessions (id_hash, user_id, created_at, last_seen_at, expires_at) values (?, ?, ?, ?, ?)",
      ).bind(hash, user.id, expiresAt - 30 * DAY, lastSeenAt, expiresAt);
    await env.DB.batch([
      token("t-long-gone", NOW - 2 * DAY),
      token("t-just-expired", NOW - HOUR),
      token("t-live", NOW + 10 * 60_000),
      session("s-expired", NOW - HOUR, NOW - 1),
      session("s-idle", NOW - 8 * DAY, NOW + 10 * DAY),
      session("s-live", NOW - HOUR, NOW + 10 * DAY),
    ]);
    const summary = await cronAt(NOW);
    expect(summary.retention).toMatchObject({
      "login-tokens": 1,
      "sessions-expired": 1,
      "sessions-idle": 1,
    });
    expect(await ids("login_tokens", "token_hash")).toEqual(["t-just-expired", "t-live"]);
    expect(await ids("sessions", "id_hash")).toEqual(["s-live"]);
  });

  it("deletes sent deliveries after 30 days, never failed, unknown or pending ones", async () => {
    const delivery = (id: string, status: string, sentAt: number | null, createdAt: number) =>
      env.DB.prepare(
        "insert into deliveries (id, kind, payload, status, next_attempt_at, created_at, sent_at) values (?, 'reminder', '{}', ?, ?, ?, ?)",
      ).bind(id, status, createdAt, createdAt, sentAt);
    await env.DB.batch([
      delivery("sent-old", "sent", NOW - 31 * DAY, NOW - 31 * DAY),
      delivery("sent-recent", "sent", NOW - 29 * DAY, NOW - 29 * DAY),
      delivery("failed-old", "failed", null, NOW - 90 * DAY),
      delivery("unknown-old", "unknown", null, NOW - 90 * DAY),
      delivery("pending-old", "pending", null, NOW - 90 * DAY),
    ]);
    const summary = await cronAt(NOW);
    expect(summary.retention["deliveries-sent"]).toBe(1);
    expect(await ids("deliveries", "id")).toEqual([
      "failed-old",
      "pending-old",
      "sent-recent",
      "unknown-old",
    ]);
  });

  it("never deletes by a clock moved ahead of the real one (the local cron endpoint)", async () => {
    await inboundAt("today-", 1, NOW - DAY);
    vi.setSystemTime(NOW);
    // The run says it is 40 days later; the real clock says today: nothing is 30 days old.
    const ahead = NOW + 40 * DAY;
    const moved = await runScheduled(ahead, env, virtualClock(ahead));
    expect(moved.retention.inbound).toBe(0);
    expect(await ids("inbound", "id")).toEqual(["today-1"]);
    // When the real clock gets there, it goes.
    const real = await cronAt(ahead);
    expect(real.retention.inbound).toBe(1);
  });

  it("works in bounded batches: a backlog drains over several runs", async () => {
    await inboundAt("backlog-", 2_300, NOW - 40 * DAY);
    expect((await runRetention(env.DB, NOW)).inbound).toBe(2_000);
    expect((await runRetention(env.DB, NOW)).inbound).toBe(300);
    expect((await runRetention(env.DB, NOW)).inbound).toBe(0);
  });
});
