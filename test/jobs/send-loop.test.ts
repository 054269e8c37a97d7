import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config";
import { openDb } from "../../src/db/client";
import { runCron } from "../../src/jobs/cron";
import { ResendMailer } from "../../src/mail/resend-mailer";
import { FAKE_RESEND, FakeResend, resendError } from "../helpers/fake-resend";
import { cronAt, virtualClock, wipe } from "../helpers/scenario";
import { seedDueThreads } from "../helpers/seed";
import { makeUser } from "../web/helpers";

// The sending loop (SPEC section 10): one run claims, renders, queues and sends in batches
// of 100, paced at SEND_RATE requests a second, until nothing is due, the budget is spent
// or MAX_PER_RUN is reached. The clock is virtual: pacing shows as the waits a run asks for.
const DUE = Date.parse("2026-03-04T08:00:00Z");
const withResend = (extra: Record<string, string> = {}) =>
  ({ ...env, RESEND_API_KEY: "re_test", RESEND_BASE_URL: FAKE_RESEND, ...extra }) as Env;
let resend: FakeResend;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await wipe();
  await env.DB.prepare("delete from threads").run();
  resend = new FakeResend();
  resend.install();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** How many emails each thread received (by its signed reply address). */
function perThread(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of resend.delivered) {
    const thread = /^re-([a-z0-9]+)-/.exec(String(d.email.reply_to))?.[1] ?? "?";
    counts.set(thread, (counts.get(thread) ?? 0) + 1);
  }
  return counts;
}

describe("the sending loop", () => {
  it("sends 1,200 reminders due in the same minute in one run, 12 requests paced 515 ms apart", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 1200, DUE - 60_000);
    const waits: number[] = [];
    const summary = await cronAt(DUE, withResend(), waits);
    expect(summary.stopped).toBe("done");
    expect(summary.reminders.queued).toBe(1200);
    expect(summary.deliveries).toMatchObject({ sent: 1200, requests: 12, rateLimited: 0 });
    expect(resend.requests.map((r) => (r.body as unknown[]).length)).toEqual(Array(12).fill(100));
    // The first request goes at once, each later one in the next slot: half a second, and
    // the pacer's 3% margin against arrival jitter.
    expect(waits).toEqual(Array(11).fill(515));
    const counts = perThread();
    expect(counts.size).toBe(1200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The oldest due went first.
    const first = ((resend.requests[0]?.body ?? []) as { reply_to: string }[])[0]?.reply_to;
    expect(first).toMatch(/^re-seed00001-/);
  }, 120_000);

  it("paces at SEND_RATE: 5 requests a second are 206 ms apart (200 and 3%)", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 300, DUE - 60_000);
    const waits: number[] = [];
    await cronAt(DUE, withResend({ SEND_RATE: "5" }), waits);
    expect(waits).toEqual([206, 206]);
    expect(resend.delivered).toHaveLength(300);
  });

  it("stops at MAX_PER_RUN, and the next run sends the rest, none twice", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 250, DUE - 60_000);
    const capped = withResend({ MAX_PER_RUN: "120" });
    const first = await cronAt(DUE, capped);
    expect(first.stopped).toBe("cap");
    expect(first.deliveries.sent).toBe(120);
    // Never rendered more than it could send: the rest are still due, not queued.
    expect(first.reminders.queued).toBe(120);
    expect(resend.requests.map((r) => (r.body as unknown[]).length)).toEqual([100, 20]);
    await cronAt(DUE + 60_000, capped);
    await cronAt(DUE + 120_000, capped);
    expect(resend.delivered).toHaveLength(250);
    expect([...perThread().values()].every((n) => n === 1)).toBe(true);
  });

  it("stops starting requests once the run's budget is spent", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 1000, DUE - 60_000);
    const config = parseConfig(withResend());
    if (!config.ok) throw new Error("config");
    const summary = await runCron(
      {
        db: openDb(env.DB),
        d1: env.DB,
        config: config.value,
        mailer: new ResendMailer("re_test", FAKE_RESEND),
        clock: virtualClock(DUE),
        queue: null,
        budgetMs: 2_000,
      },
      DUE,
    );
    // Slots at 0, 515, 1030 and 1545 ms; the one at 2060 ms is past the budget.
    expect(summary.stopped).toBe("budget");
    expect(summary.deliveries.requests).toBe(4);
    expect(resend.delivered).toHaveLength(400);
    // The group prepared for the slot past the budget went back, unleased, for the next run.
    const leased = await env.DB.prepare(
      "select count(*) as n from deliveries where lease_until is not null",
    ).first<{ n: number }>();
    expect(leased?.n).toBe(0);
    const next = await cronAt(DUE + 60_000, withResend());
    expect(next.deliveries.sent).toBe(600);
    expect([...perThread().values()].every((c) => c === 1)).toBe(true);
  });

  it("slows down on a 429, honours its retry-after, and sends the refused batch again in the same run with the same key", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 400, DUE - 60_000);
    // The second request is refused: try again in 2 seconds.
    resend.script.push(null, resendError(429, "rate_limit_exceeded", { "retry-after": "2" }));
    const waits: number[] = [];
    const summary = await cronAt(DUE, withResend(), waits);
    expect(summary.deliveries.rateLimited).toBe(1);
    expect(summary.deliveries.sent).toBe(400);
    expect(summary.stopped).toBe("done");
    // The refused batch went again with its own key: 5 requests, 4 distinct keys.
    const keys = resend.requests.map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(4);
    expect(keys.filter((k) => k === keys[1])).toHaveLength(2);
    // After the 429 nothing started for 2 seconds, and the spacing widened past 515 ms.
    expect(waits).toContain(2_000);
    expect(waits.filter((w) => w > 515).length).toBeGreaterThanOrEqual(2);
    expect(waits.every((w) => w >= 515)).toBe(true);
    const counts = perThread();
    expect(counts.size).toBe(400);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it("treats a request that never answers like a 5xx: retried later with the same key, delivered once", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 3, DUE - 60_000);
    // The first request hangs until the client gives up (it honours the abort).
    const hang = vi.fn();
    vi.spyOn(globalThis, "fetch").mockImplementationOnce(
      (_input, init) =>
        new Promise((_resolve, reject) => {
          hang();
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    );
    const config = parseConfig(withResend());
    if (!config.ok) throw new Error("config");
    const deps = {
      db: openDb(env.DB),
      d1: env.DB,
      config: config.value,
      mailer: new ResendMailer("re_test", FAKE_RESEND, 50),
      queue: null,
    };
    const first = await runCron({ ...deps, clock: virtualClock(DUE) }, DUE);
    expect(hang).toHaveBeenCalledTimes(1);
    expect(first.deliveries).toMatchObject({ sent: 0, retry: 3, requests: 1 });
    const { results } = await env.DB.prepare(
      "select status, last_error, batch_key from deliveries where kind = 'reminder'",
    ).all<{ status: string; last_error: string; batch_key: string }>();
    expect(results.map((r) => r.status)).toEqual(["pending", "pending", "pending"]);
    expect(results[0]?.last_error).toContain("timeout");
    // A minute later (the backoff) the same batch goes again under the same key.
    const second = await runCron({ ...deps, clock: virtualClock(DUE + 60_000) }, DUE + 60_000);
    expect(second.deliveries.sent).toBe(3);
    expect(resend.requests.map((r) => r.idempotencyKey)).toEqual([results[0]?.batch_key]);
    expect(resend.delivered).toHaveLength(3);
  });
});
