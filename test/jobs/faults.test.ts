import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config";
import { openDb } from "../../src/db/client";
import { claimFresh } from "../../src/db/deliveries";
import { claimAndQueueReminders } from "../../src/jobs/reminders";
import { payloadOf } from "../../src/mail/deliver";
import { ResendMailer } from "../../src/mail/resend-mailer";
import { threadById } from "../helpers/db";
import { FAKE_RESEND, FakeResend, resendError } from "../helpers/fake-resend";
import { cronAt, DAY, HOUR, outreachAt, rowsFor, wipe } from "../helpers/scenario";

// Reminders go through the real Resend adapter to a fake Resend behind a denied-by-default
// fetch stub. The fake keeps Resend's idempotency promise, so "delivered" counts what a
// mailbox would really receive.
const T0 = Date.parse("2026-03-03T10:00:00Z");
const DUE = Date.parse("2026-03-04T08:00:00Z"); // 1d@ sent at T0
const withResend = { ...env, RESEND_API_KEY: "re_test", RESEND_BASE_URL: FAKE_RESEND } as Env;
let resend: FakeResend;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await wipe();
  resend = new FakeResend();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Tracks an outreach (through the dev outbox), then switches outbound mail to the fake. */
async function dueThread(to = "1d@sprout.test") {
  const t = await outreachAt(T0, to);
  resend.install();
  return t;
}

function deliveredTo(threadId: string) {
  return resend.delivered.filter((d) => String(d.email.reply_to).startsWith(`re-${threadId}-`));
}

async function deliveryOf(threadId: string) {
  const [row] = await rowsFor("deliveries", threadId);
  return row;
}

describe("exactly one delivery per reminder", () => {
  it("sends the reminder once with its headers", async () => {
    const { id, messageId } = await dueThread();
    await cronAt(DUE, withResend);
    await cronAt(DUE + 60_000, withResend);
    expect(deliveredTo(id)).toHaveLength(1);
    const email = deliveredTo(id)[0]?.email ?? {};
    expect(email.subject).toBe("Re: Coffee next week?");
    expect(email.headers).toMatchObject({
      "In-Reply-To": `<${messageId}>`,
      "Auto-Submitted": "auto-generated",
    });
    expect((await deliveryOf(id))?.status).toBe("sent");
  });

  it("survives a crash after a successful send and before marking", async () => {
    const { id } = await dueThread();
    const config = parseConfig(withResend);
    if (!config.ok) throw new Error("config");
    const db = openDb(env.DB);
    // The run queues the reminder, claims it and sends it... then dies before marking.
    await claimAndQueueReminders(db, env.DB, config.value, DUE, 100);
    const [row] = await claimFresh(db, DUE, 100, "b-crashed-run");
    if (row === undefined) throw new Error("nothing claimed");
    await new ResendMailer("re_test", FAKE_RESEND).send({
      email: payloadOf(row),
      idempotencyKey: row.batchKey ?? "",
    });
    expect(resend.delivered).toHaveLength(1);
    // While the dead run's lease lasts, nobody touches it; afterwards a run resends with
    // the same key, Resend answers from its idempotency store, and nothing new goes out.
    await cronAt(DUE + 60_000, withResend);
    expect(resend.requests).toHaveLength(1);
    await cronAt(DUE + 10 * 60_000, withResend);
    expect(resend.requests).toHaveLength(2);
    expect(resend.requests.map((r) => r.idempotencyKey)).toEqual([
      "b-crashed-run",
      "b-crashed-run",
    ]);
    expect(deliveredTo(id)).toHaveLength(1);
    expect((await deliveryOf(id))?.status).toBe("sent");
  });

  it("never sends twice when two runs overlap", async () => {
    const threads = [];
    for (let i = 0; i < 5; i++) threads.push((await dueThread()).id);
    await Promise.all([cronAt(DUE, withResend), cronAt(DUE, withResend), cronAt(DUE, withResend)]);
    for (const id of threads) expect(deliveredTo(id), id).toHaveLength(1);
    const { results } = await env.DB.prepare(
      "select count(*) as n from deliveries where kind = 'reminder'",
    ).all<{ n: number }>();
    expect(results[0]?.n).toBe(5);
  });

  it("retries 500 twice then 200 with the same key, on later runs, and delivers once", async () => {
    const { id } = await dueThread();
    resend.script.push(
      resendError(500, "internal_server_error"),
      resendError(500, "internal_server_error"),
    );
    await cronAt(DUE, withResend);
    expect((await deliveryOf(id))?.status).toBe("pending");
    await cronAt(DUE + 30_000, withResend); // before the 1-minute backoff: no request
    expect(resend.requests).toHaveLength(1);
    await cronAt(DUE + 60_000, withResend); // second failure, backoff now 2 minutes
    await cronAt(DUE + 2 * 60_000, withResend);
    expect(resend.requests).toHaveLength(2);
    await cronAt(DUE + 3 * 60_000, withResend);
    expect(resend.requests).toHaveLength(3);
    expect(new Set(resend.requests.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(deliveredTo(id)).toHaveLength(1);
    const row = await deliveryOf(id);
    expect(row?.status).toBe("sent");
    expect(row?.attempts).toBe(3);
  });

  it("honours 429 retry-after and stops the run", async () => {
    const ids = [(await dueThread()).id];
    resend.script.push(resendError(429, "rate_limit_exceeded", { "retry-after": "120" }));
    await cronAt(DUE, withResend);
    expect(resend.requests).toHaveLength(1);
    const row = await deliveryOf(ids[0] ?? "");
    expect(row?.status).toBe("pending");
    expect(row?.next_attempt_at).toBe(DUE + 120_000);
    await cronAt(DUE + 60_000, withResend);
    expect(resend.requests).toHaveLength(1);
    await cronAt(DUE + 120_000, withResend);
    expect(resend.requests).toHaveLength(2);
    expect(deliveredTo(ids[0] ?? "")).toHaveLength(1);
  });

  it("marks a 422 failed with the reason and never retries it", async () => {
    const { id } = await dueThread();
    resend.script.push(resendError(422, "validation_error"));
    await cronAt(DUE, withResend);
    await cronAt(DUE + DAY, withResend);
    expect(resend.requests).toHaveLength(1);
    const row = await deliveryOf(id);
    expect(row?.status).toBe("failed");
    expect(row?.last_error).toContain("422 validation_error");
  });

  it("splits a batch Resend refuses whole, so one bad email fails alone", async () => {
    const good = (await dueThread()).id;
    const bad = (await dueThread()).id;
    resend.script.push(resendError(422, "validation_error"), resendError(422, "validation_error"));
    await cronAt(DUE, withResend);
    // The batch of 2 was refused, then each was tried alone: one 422, one sent.
    expect(resend.requests.map((r) => r.path)).toEqual(["/emails/batch", "/emails", "/emails"]);
    const statuses = [(await deliveryOf(good))?.status, (await deliveryOf(bad))?.status].sort();
    expect(statuses).toEqual(["failed", "sent"]);
    expect(resend.delivered).toHaveLength(1);
  });

  it("sends a run three hours late in full, and schedules the next step from the send", async () => {
    const { id } = await dueThread();
    await cronAt(DUE + 3 * HOUR, withResend);
    expect(deliveredTo(id)).toHaveLength(1);
    const thread = await threadById(id);
    expect(thread?.step).toBe(2);
    // Reminder 1 went out Wed 4 March; step 2 (1 week) lands Wed 11 March at 08:00.
    expect(thread?.due_at).toBe(Date.parse("2026-03-11T08:00:00Z"));
  });

  it("gives up as unknown, never resending, once 20 hours have passed unresolved", async () => {
    const { id } = await dueThread();
    for (let i = 0; i < 40; i++) resend.script.push(resendError(503, "internal_server_error"));
    for (let t = DUE; t <= DUE + 22 * HOUR; t += 30 * 60_000) await cronAt(t, withResend);
    const row = await deliveryOf(id);
    expect(row?.status).toBe("unknown");
    const before = resend.requests.length;
    await cronAt(DUE + 2 * DAY, withResend);
    expect(resend.requests.length).toBe(before);
    expect(resend.delivered).toHaveLength(0);
  });

  it("batches many due reminders in one request of up to 100, paced at 2 per second (and 3% more)", async () => {
    for (let i = 0; i < 120; i++) await outreachAt(T0, "1d@sprout.test");
    resend.install();
    const waits: number[] = [];
    const summary = await cronAt(DUE, withResend, waits);
    expect(summary.deliveries.sent).toBe(120);
    expect(resend.requests.map((r) => [r.path, (r.body as unknown[]).length])).toEqual([
      ["/emails/batch", 100],
      ["/emails/batch", 20],
    ]);
    // 2 a second, with the pacer's 3% margin: 515 ms apart.
    expect(waits).toEqual([515]);
    expect(resend.delivered).toHaveLength(120);
    // 120 outreaches through the email handler take seconds on a busy machine.
  }, 60_000);
});
