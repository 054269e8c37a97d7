import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { ReminderMessage } from "../../src/jobs/queue-message";
import { FAKE_RESEND, FakeResend } from "../helpers/fake-resend";
import { cronAt, wipe } from "../helpers/scenario";
import { seedDueThreads } from "../helpers/seed";
import { makeUser } from "../web/helpers";

// The queue path (SPEC section 10): with a SEND_QUEUE binding the cron run only claims due
// threads and enqueues them; the Worker's queue handler renders and sends. The producer is
// a real local queue; what the run enqueued is recorded on its way in and handed to the
// queue handler as the runtime would, in batches.
const DUE = Date.parse("2026-03-04T08:00:00Z");
let resend: FakeResend;
let enqueued: ReminderMessage[];

/** The real producer, with every message it accepts recorded. */
function recordingQueue(): Queue<ReminderMessage> {
  const real = env.TEST_SEND_QUEUE;
  return {
    send: (body, options) => {
      enqueued.push(body);
      return real.send(body, options);
    },
    sendBatch: (messages, options) => {
      for (const m of messages) enqueued.push(m.body);
      return real.sendBatch(messages, options);
    },
    metrics: () => real.metrics(),
  } as Queue<ReminderMessage>;
}

const bindings = () =>
  ({
    ...env,
    RESEND_API_KEY: "re_test",
    RESEND_BASE_URL: FAKE_RESEND,
    SEND_QUEUE: recordingQueue(),
  }) as Env;

/** Delivers messages to the Worker's queue handler as one batch; returns its ack state. */
async function consume(bodies: unknown[], at: number) {
  vi.setSystemTime(at);
  const batch = createMessageBatch(
    "sprout-send",
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: at, attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  const handler: ExportedHandler<Env> = worker;
  await handler.queue?.(batch, bindings(), ctx);
  return getQueueResult(batch, ctx);
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await wipe();
  await env.DB.prepare("delete from threads").run();
  enqueued = [];
  resend = new FakeResend();
  resend.install();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("the queue path", () => {
  it("claims and enqueues due threads without rendering; the consumer renders and sends each once", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 150, DUE - 60_000, "q");
    const run = await cronAt(DUE, bindings());
    expect(run.mode).toBe("queue");
    expect(run.enqueued).toBe(150);
    expect(run.reminders.queued).toBe(0);
    expect(resend.requests).toHaveLength(0);
    const queued = await env.DB.prepare("select count(*) as n from deliveries").first<{
      n: number;
    }>();
    expect(queued?.n).toBe(0);
    // The runtime hands the consumer batches of up to 100.
    const first = await consume(enqueued.slice(0, 100), DUE + 1_000);
    const second = await consume(enqueued.slice(100), DUE + 2_000);
    expect(first.ackAll && second.ackAll).toBe(true);
    expect(resend.requests.map((r) => (r.body as unknown[]).length)).toEqual([100, 50]);
    const { results } = await env.DB.prepare("select id, status from deliveries order by id").all<{
      id: string;
      status: string;
    }>();
    // The same delivery ids (and so idempotency keys) as the cron loop uses.
    expect(results).toHaveLength(150);
    expect(results.every((r) => /^rem-q\d{5}-1$/.test(r.id) && r.status === "sent")).toBe(true);
    const events = await env.DB.prepare(
      "select count(*) as n from events where kind = 'reminder'",
    ).first<{ n: number }>();
    expect(events?.n).toBe(150);
    // A run a minute later finds nothing due: every thread moved to its next step.
    const later = await cronAt(DUE + 60_000, bindings());
    expect(later.enqueued).toBe(0);
  });

  it("delivers a message twice (the queue's at-least-once) as one email", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 2, DUE - 60_000, "d");
    await cronAt(DUE, bindings());
    await consume(enqueued, DUE + 1_000);
    await consume(enqueued, DUE + 2_000);
    expect(resend.delivered).toHaveLength(2);
    expect(resend.requests).toHaveLength(1);
  });

  it("ignores a message whose lease is no longer the thread's (it was claimed again since)", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 1, DUE - 60_000, "s");
    await cronAt(DUE, bindings());
    const [stale] = enqueued;
    if (stale === undefined) throw new Error("nothing enqueued");
    // The message is lost; 15 minutes on the lease lapses and a run enqueues it again.
    await cronAt(DUE + 16 * 60_000, bindings());
    expect(enqueued).toHaveLength(2);
    const fresh = enqueued[1];
    expect(fresh?.lease).not.toBe(stale.lease);
    await consume([stale], DUE + 17 * 60_000);
    expect(resend.requests).toHaveLength(0);
    await consume([fresh], DUE + 17 * 60_000);
    expect(resend.delivered).toHaveLength(1);
  });

  it("acknowledges and drops a message that is not a reminder, changing nothing", async () => {
    const result = await consume(
      [
        { threadId: "x".repeat(5000), lease: 1, at: DUE },
        { threadId: "q00001", lease: 1 },
        "hello",
        null,
        { threadId: 7, lease: "1", at: DUE },
      ],
      DUE,
    );
    expect(result.ackAll).toBe(true);
    expect(resend.requests).toHaveLength(0);
  });

  it("works on the clock of the run that enqueued (the local cron endpoint moves it)", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 1, DUE - 60_000, "c");
    // The run is a week "ahead" of the real clock, as `npm run dev`'s cron endpoint allows.
    const ahead = DUE + 7 * 86_400_000;
    await cronAt(ahead, bindings());
    vi.setSystemTime(DUE);
    await consume(enqueued, DUE);
    const thread = await env.DB.prepare("select due_at from threads where id = 'c00001'").first<{
      due_at: number;
    }>();
    // The next step (1 week) counts from the run's now, not from the real clock.
    expect(thread?.due_at).toBeGreaterThan(ahead + 6 * 86_400_000);
    const event = await env.DB.prepare(
      "select at from events where thread_id = 'c00001' and kind = 'reminder'",
    ).first<{ at: number }>();
    expect(event?.at).toBe(ahead);
  });

  it("enqueues at most one minute of sending per run (SEND_RATE x 100 x 60)", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 250, DUE - 60_000, "m");
    const slow = { ...bindings(), SEND_RATE: "0.02" } as Env;
    const run = await cronAt(DUE, slow);
    expect(run.enqueued).toBe(100);
    const next = await cronAt(DUE + 60_000, slow);
    expect(next.enqueued).toBe(100);
  });
});
