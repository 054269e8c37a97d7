import { env } from "cloudflare:workers";
import { vi } from "vitest";
import type { CronSummary } from "../../src/jobs/cron";
import { runScheduled } from "../../src/jobs/run-scheduled";
import type { Clock } from "../../src/mail/pacer";
import { threadByMessageId } from "./db";
import { deliver, mime, uniqueId } from "./email";

/** Empties every table but users, so each test starts from a known state. */
export async function wipe(): Promise<void> {
  await env.DB.batch(
    ["inbound", "events", "notices", "thread_messages", "threads", "deliveries", "dev_outbox"].map(
      (t) => env.DB.prepare(`delete from ${t}`),
    ),
  );
  await env.DB.prepare(
    "update users set time_zone = 'UTC', reminder_minutes = 480, skip_weekends = 1, cadence = '3bd,1w,2w,3mo', one_reminder_only = 0, paused = 0, digest_enabled = 0, last_digest_at = null, next_digest_at = 0",
  ).run();
}

/** Makes sure the owner exists and reads times in `timeZone`; wipe() puts UTC back. */
export async function ownerInZone(timeZone: string): Promise<void> {
  await env.DB.prepare(
    "insert into users (id, email, status, time_zone, created_at) values ('owner-test', 'owner@example.com', 'verified', ?1, 0) on conflict (email) do update set time_zone = ?1",
  )
    .bind(timeZone)
    .run();
}

/** Sends an outreach to a Sprout address at `at`; returns its thread row. */
export async function outreachAt(at: number, to: string, extra: Parameters<typeof mime>[0] = {}) {
  vi.setSystemTime(at);
  const messageId = uniqueId("o");
  const record = await deliver(mime({ messageId, ...extra }), { to });
  if (record.rejected !== null) throw new Error(`outreach rejected: ${record.rejected}`);
  const thread = await threadByMessageId(messageId);
  if (thread === null) throw new Error("no thread stored");
  return { messageId, id: String(thread.id), thread };
}

/**
 * A virtual clock starting at `at`: `sleep` records the wait and moves `now` on by it, so a
 * run's pacing shows as the waits it asked for, and no test waits for real.
 */
export function virtualClock(at: number, waits: number[] = []): Clock {
  let now = at;
  return {
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** Runs the cron job as if the clock read `at`, recording the waits it asks for. */
export async function cronAt(
  at: number,
  bindings: Env = env,
  waits: number[] = [],
): Promise<CronSummary> {
  vi.setSystemTime(at);
  return runScheduled(at, bindings, virtualClock(at, waits));
}

/** Rows of `table` for one thread, oldest first. */
export async function rowsFor(table: "deliveries" | "dev_outbox", threadId: string) {
  const sql =
    table === "deliveries"
      ? "select * from deliveries where thread_id = ? order by created_at, id"
      : // By the thread's reply address too: sent deliveries are deleted after 30 days.
        "select o.* from dev_outbox o where o.reply_to like 're-' || ?1 || '-%' or exists (select 1 from deliveries d where d.thread_id = ?1 and (d.id = o.idempotency_key or d.batch_key = o.idempotency_key)) order by o.id";
  const { results } = await env.DB.prepare(sql)
    .bind(threadId)
    .all<Record<string, string | number | null>>();
  return results;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
