import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SUPPRESSED_AMONG_SQL } from "../../src/db/suppressions";
import worker from "../../src/index";
import type { ReminderMessage } from "../../src/jobs/queue-message";
import { SUPPRESSED_REASON } from "../../src/mail/screen";
import { threadById } from "../helpers/db";
import { deliver, mime } from "../helpers/email";
import { FAKE_RESEND, FakeResend, resendError } from "../helpers/fake-resend";
import { cronAt, DAY, outreachAt, rowsFor, wipe } from "../helpers/scenario";
import { seedDueThreads } from "../helpers/seed";
import { bounce, complaint, postWebhook, resendEvent } from "../helpers/webhook";
import { cookieFor, makeUser, web } from "../web/helpers";

// Every send path honours the suppression list (SPEC section 9), through the Worker's own
// entry points: the cron loop (worker.scheduled's runScheduled), the queue consumer
// (worker.queue), the email handler's immediate answer (worker.email) and the sign-in form
// (the web app). Mail goes through the real Resend adapter to a fake Resend behind a
// denied-by-default fetch stub, so "no request" means nothing left the Worker.
const T0 = Date.parse("2026-03-03T10:00:00Z");
const DUE = Date.parse("2026-03-04T08:00:00Z"); // 1d@ sent at T0
const OWNER = "owner@example.com";
const withResend = { ...env, RESEND_API_KEY: "re_test", RESEND_BASE_URL: FAKE_RESEND } as Env;
let resend: FakeResend;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await wipe();
  await env.DB.batch(
    ["suppressions", "webhook_events"].map((t) => env.DB.prepare(`delete from ${t}`)),
  );
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

/** Resend's webhook reports an event at `at` (signed, through the app). */
async function webhookAt(at: number, body: string) {
  vi.setSystemTime(at);
  const res = await postWebhook(body);
  expect(res.status).toBe(200);
}

const reminderRows = async (threadId: string) => rowsFor("deliveries", threadId);

describe("the cron loop", () => {
  it("a permanent bounce: the next due reminder becomes suppressed and no request leaves", async () => {
    const { id } = await dueThread();
    await webhookAt(T0 + 60_000, bounce(OWNER));
    const run = await cronAt(DUE, withResend);
    expect(resend.requests).toHaveLength(0);
    expect(run.deliveries).toMatchObject({ suppressed: 1, sent: 0, requests: 0 });
    const [row] = await reminderRows(id);
    expect(row).toMatchObject({ status: "suppressed", last_error: SUPPRESSED_REASON });
    // The thread keeps its schedule: the reminder counts as due and done.
    expect((await threadById(id))?.step).toBe(2);
    await cronAt(DUE + 60_000, withResend);
    expect(resend.requests).toHaveLength(0);
  });

  it("a complaint likewise, and a temporary bounce changes nothing", async () => {
    const { id } = await dueThread();
    await webhookAt(T0 + 60_000, bounce(OWNER, "Transient", "MailboxFull"));
    await cronAt(DUE, withResend);
    expect(resend.delivered.map((d) => d.email.to)).toEqual([OWNER]);
    expect((await reminderRows(id))[0]?.status).toBe("sent");

    await webhookAt(DUE + 60_000, complaint(OWNER));
    const next = Number((await threadById(id))?.due_at);
    const run = await cronAt(next, withResend);
    expect(run.deliveries.suppressed).toBe(1);
    expect(resend.requests).toHaveLength(1);
    expect((await reminderRows(id)).map((r) => r.status)).toEqual(["sent", "suppressed"]);
  });

  it("the resume button lifts it: the next reminder goes out, the suppressed one never", async () => {
    const { id } = await dueThread();
    await webhookAt(T0 + 60_000, bounce(OWNER));
    await cronAt(DUE, withResend);
    expect(resend.requests).toHaveLength(0);

    const owner = await env.DB.prepare("select id from users where email = ?")
      .bind(OWNER)
      .first<{ id: string }>();
    const cookie = await cookieFor(owner?.id ?? "", DUE + HOUR_MS);
    vi.setSystemTime(DUE + HOUR_MS);
    const resumed = await web("/mail/resume", { cookie, form: {} });
    expect(resumed.status).toBe(200);
    expect(resumed.text).toContain("Sprout will email you again");

    await cronAt(DUE + 2 * HOUR_MS, withResend);
    expect(resend.requests).toHaveLength(0); // nothing is resent
    const next = Number((await threadById(id))?.due_at);
    await cronAt(next, withResend);
    expect(resend.delivered).toHaveLength(1);
    expect(String(resend.delivered[0]?.email.text)).toContain("follow-up 2 of 4");
    expect((await reminderRows(id)).map((r) => r.status)).toEqual(["suppressed", "sent"]);
  });

  it("looks the list up once per request of up to 100, not once per email", async () => {
    resend.install();
    const [kept, stopped, other] = [await makeUser(), await makeUser(), await makeUser()];
    await seedDueThreads(kept.id, 60, DUE - 60_000, "k");
    await seedDueThreads(stopped.id, 60, DUE - 60_000, "s");
    await seedDueThreads(other.id, 60, DUE - 60_000, "o");
    await webhookAt(DUE - 30_000, complaint(stopped.email));
    const lookups: string[] = [];
    const run = await cronAt(DUE, { ...withResend, DB: counting(env.DB, lookups) } as Env);
    expect(run.deliveries).toMatchObject({ sent: 120, suppressed: 60 });
    expect(resend.delivered.map((d) => d.email.to)).not.toContain(stopped.email);
    expect(resend.delivered).toHaveLength(120);
    // 180 deliveries in groups of up to 100: a lookup per group, a handful in all.
    const n = lookups.filter((sql) => sql === SUPPRESSED_AMONG_SQL).length;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(run.deliveries.requests + 2);
  });

  it("sends a retry whole with its key unless every recipient in it is suppressed", async () => {
    // Two reminders in one request; it fails with a 500, then one recipient is suppressed
    // before the retry. The retry must be the same request (same key, same emails), so it
    // goes whole: the suppression came between two attempts of one send.
    resend.install();
    const [a, b] = [await makeUser(), await makeUser()];
    await seedDueThreads(a.id, 1, DUE - 60_000, "ra");
    await seedDueThreads(b.id, 1, DUE - 60_000, "rb");
    resend.script.push(resendError(500, "internal_server_error"));
    await cronAt(DUE, withResend);
    await webhookAt(DUE + 10_000, bounce(a.email));
    await cronAt(DUE + 60_000, withResend);
    expect(resend.requests).toHaveLength(2);
    expect(resend.requests[1]?.idempotencyKey).toBe(resend.requests[0]?.idempotencyKey);
    expect(resend.requests[1]?.body).toEqual(resend.requests[0]?.body);

    // The twin: every recipient of the retry suppressed: nothing is sent at all.
    await wipe();
    resend.requests.length = 0;
    const [c, d] = [await makeUser(), await makeUser()];
    await seedDueThreads(c.id, 1, DUE - 60_000, "rc");
    await seedDueThreads(d.id, 1, DUE - 60_000, "rd");
    resend.script.push(resendError(500, "internal_server_error"));
    await cronAt(DUE, withResend);
    await webhookAt(DUE + 10_000, bounce([c.email, d.email]));
    const run = await cronAt(DUE + 60_000, withResend);
    expect(resend.requests).toHaveLength(1);
    expect(run.deliveries.suppressed).toBe(2);
  });

  it("fails a delivery whose stored email cannot be read, and sends the rest", async () => {
    resend.install();
    const user = await makeUser();
    await seedDueThreads(user.id, 1, DUE - 60_000, "ok");
    await env.DB.prepare(
      "insert into deliveries (id, user_id, kind, payload, next_attempt_at, created_at) values ('broken', ?, 'reminder', '{truncated', ?, ?)",
    )
      .bind(user.id, DUE - 1, DUE - 1)
      .run();
    const run = await cronAt(DUE, withResend);
    expect(run.deliveries).toMatchObject({ sent: 1, failed: 1 });
    const broken = await env.DB.prepare(
      "select status from deliveries where id = 'broken'",
    ).first();
    expect(broken).toEqual({ status: "failed" });
  });

  it("a suppressed user's weekly digest is not sent either", async () => {
    resend.install();
    const user = await makeUser({ digestEnabled: true, nextDigestAt: DUE - 1 });
    await seedDueThreads(user.id, 1, DUE + 30 * DAY, "dg"); // active: a reminder pending
    await webhookAt(DUE - 30_000, resendEvent("email.suppressed", user.email));
    const run = await cronAt(DUE, withResend);
    expect(run.digests.queued).toBe(1);
    expect(run.deliveries.suppressed).toBe(1);
    expect(resend.requests).toHaveLength(0);
  });
});

describe("the immediate sends", () => {
  it("the email handler answers a suppressed sender with nothing", async () => {
    resend.install();
    await webhookAt(T0, bounce(OWNER));
    const record = await deliver(
      mime({ to: "help@sprout.test", subject: "help" }),
      { to: "help@sprout.test" },
      withResend,
    );
    expect(record.rejected).toBeNull();
    expect(resend.requests).toHaveLength(0);
    const row = await env.DB.prepare(
      "select status from deliveries where kind = 'help' order by created_at desc",
    ).first();
    expect(row).toEqual({ status: "suppressed" });
    // Twin: once lifted, the same question is answered.
    await env.DB.prepare("delete from suppressions").run();
    vi.setSystemTime(T0 + 2 * HOUR_MS);
    await deliver(
      mime({ to: "help@sprout.test", subject: "help" }),
      { to: "help@sprout.test" },
      withResend,
    );
    expect(resend.delivered.map((m) => m.email.to)).toEqual([OWNER]);
  });

  it("the sign-in form sends a suppressed address nothing, and says what it says to anyone", async () => {
    resend.install();
    const [stopped, flowing] = [await makeUser(), await makeUser()];
    await webhookAt(T0, complaint(stopped.email));
    const asked = await web("/login", { form: { email: stopped.email } }, withResend);
    const twin = await web("/login", { form: { email: flowing.email } }, withResend);
    expect(asked.status).toBe(200);
    expect(asked.text).toBe(twin.text.replaceAll(flowing.email, stopped.email));
    expect(resend.delivered.map((d) => d.email.to)).toEqual([flowing.email]);
  });
});

describe("the queue consumer", () => {
  it("renders the reminders of a suppressed user and sends none of them", async () => {
    resend.install();
    const [stopped, flowing] = [await makeUser(), await makeUser()];
    await seedDueThreads(stopped.id, 3, DUE - 60_000, "qs");
    await seedDueThreads(flowing.id, 2, DUE - 60_000, "qf");
    await webhookAt(DUE - 30_000, bounce(stopped.email));
    const enqueued: ReminderMessage[] = [];
    const real = env.TEST_SEND_QUEUE;
    const queue = {
      send: (body: ReminderMessage) => {
        enqueued.push(body);
        return real.send(body);
      },
      sendBatch: (messages: MessageSendRequest<ReminderMessage>[]) => {
        for (const m of messages) enqueued.push(m.body);
        return real.sendBatch(messages);
      },
    } as unknown as Queue<ReminderMessage>;
    const bindings = { ...withResend, SEND_QUEUE: queue } as Env;
    const run = await cronAt(DUE, bindings);
    expect(run.enqueued).toBe(5);
    const batch = createMessageBatch(
      "sprout-send",
      enqueued.map((body, i) => ({ id: `m${i}`, timestamp: DUE, attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    const handler: ExportedHandler<Env> = worker;
    await handler.queue?.(batch, bindings, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(0);
    expect(resend.delivered.map((d) => d.email.to)).toEqual([flowing.email, flowing.email]);
    const { results } = await env.DB.prepare(
      "select status, count(*) as n from deliveries where kind = 'reminder' group by status order by status",
    ).all();
    expect(results).toEqual([
      { status: "sent", n: 2 },
      { status: "suppressed", n: 3 },
    ]);
  });
});

const HOUR_MS = 3_600_000;

/** The D1 binding with every statement's SQL recorded as it is prepared. */
function counting(d1: D1Database, seen: string[]): D1Database {
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          seen.push(sql);
          return target.prepare(sql);
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
