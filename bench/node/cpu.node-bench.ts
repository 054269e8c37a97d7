import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config";
import { openDb, runBatch } from "../../src/db/client";
import { claimFresh } from "../../src/db/deliveries";
import { newSession } from "../../src/db/sessions";
import { receiveEmail } from "../../src/inbound/entry";
import { claimAndQueueReminders } from "../../src/jobs/reminders";
import { runScheduled } from "../../src/jobs/run-scheduled";
import { sendGroup } from "../../src/mail/deliver";
import { noDeliveries } from "../../src/mail/delivery-summary";
import { ResendMailer } from "../../src/mail/resend-mailer";
import { screenGroup } from "../../src/mail/screen";
import { app } from "../../src/web/app";
import { benchEnv, fakeResendProcess, freshD1, machine, median, ownCpuMs } from "./harness";
import { emailMessage, outreach5k } from "./messages";

// SPEC section 10's CPU budget, measured by running Sprout's own code in Node with
// process.cpuUsage(); D1 is a local SQLite file behind a D1-shaped adapter, and the CPU
// spent inside SQLite is subtracted (on Cloudflare D1 runs outside the Worker). Figures are
// printed, not asserted against a clock. Targets: a 5 KB inbound message at most 2 ms, one
// reminder rendered and queued at most 0.1 ms.
const ROUNDS = 7;
const NOW = Date.parse("2026-03-03T10:00:00Z");
const db0 = freshD1();
const rows: string[][] = [];
// The handlers log one JSON line each; the line is built (that CPU counts) but not written,
// since vitest ships every console line to its main process, which a Worker does not do.
beforeAll(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
  db0.drop();
  console.log(`\nCPU per operation, Sprout's own code (${machine()}), median of ${ROUNDS} rounds`);
  console.log("operation                                         | CPU ms  | D1 calls | target");
  for (const r of rows) {
    console.log(`${r[0]?.padEnd(49)} | ${r[1]?.padStart(7)} | ${r[3]?.padStart(8)} | ${r[2]}`);
  }
});

it("one typical 5 KB inbound message (a new outreach to follow@)", async () => {
  const env = benchEnv(db0.d1);
  const size = new TextEncoder().encode(outreach5k("x@example.com")).byteLength;
  let n = 0;
  const one = () => {
    n += 1;
    const raw = outreach5k(`bench-${n}@mail.example.com`);
    return receiveEmail(emailMessage(raw, "owner@example.com", "follow@sprout.test"), env);
  };
  // One owner may start 200 threads a day (SPEC 9): the budget's rows are cleared between
  // rounds, outside the measured time, so every message is tracked (its claim still runs).
  const freshBudget = () => db0.d1.db.exec("delete from answer_log");
  for (let i = 0; i < 200; i++) await one(); // warm up (JIT, caches)
  const perMessage: number[] = [];
  const PER_ROUND = 200;
  const calls = db0.d1.calls;
  for (let r = 0; r < ROUNDS; r++) {
    freshBudget();
    const cpu = await ownCpuMs(db0.d1, async () => {
      for (let i = 0; i < PER_ROUND; i++) await one();
    });
    perMessage.push(cpu / PER_ROUND);
  }
  const callsPer = (db0.d1.calls - calls) / (ROUNDS * PER_ROUND);
  const threads = db0.d1.db.prepare("select count(*) as n from threads").get() as { n: number };
  expect(threads.n).toBe(200 + ROUNDS * PER_ROUND);
  rows.push([
    `inbound outreach, ${size} bytes`,
    median(perMessage).toFixed(3),
    "<= 2 ms",
    callsPer.toFixed(1),
  ]);
});

it("one reminder claimed, rendered and queued (with its event and next step)", async () => {
  const { d1, drop } = freshD1();
  const config = parseConfig(benchEnv(d1));
  if (!config.ok) throw new Error("config");
  const db = openDb(d1.asBinding());
  // 200 users with 100 due threads each: each claim of 100 spans a few owners, as at 08:00.
  d1.db.exec(`with recursive u(i) as (select 1 union all select i + 1 from u where i < 200)
    insert into users (id, email, time_zone, created_at)
    select printf('u%04d', i), printf('u%04d@example.com', i),
      case i % 3 when 0 then 'Europe/Berlin' when 1 then 'America/New_York' else 'UTC' end, 0 from u`);
  d1.db.exec(`with recursive k(i) as (select 1 union all select i + 1 from k where i < 20000)
    insert into threads (id, user_id, kind, status, address, subject, message_id, references_json,
      contacts_json, snippet, sent_at, due_at, last_activity_at, created_at, updated_at)
    select printf('t%06d', i), printf('u%04d', 1 + (i * 7) % 200), 'track', 'scheduled', 'follow',
      'Coffee next week? Loved your talk on platform teams', printf('m%06d@mail.example.com', i),
      '["earlier@mail.example.com"]',
      '[{"name":"Jane Doe","address":"jane@example.org"},{"name":"Sam Lee","address":"sam@example.org"}]',
      'Hi Jane, I really enjoyed your talk on platform teams at the Example Growth Summit last week. Would you have 20 minutes for a coffee or a video call next week?',
      ${NOW} - 5 * 86400000, ${NOW} - 60000 + i, ${NOW} - 5 * 86400000, ${NOW}, ${NOW} from k`);
  const batch = () => claimAndQueueReminders(db, d1.asBinding(), config.value, NOW, 100);
  for (let i = 0; i < 20; i++) await batch(); // warm up
  const perReminder: number[] = [];
  const calls = d1.calls;
  for (let r = 0; r < ROUNDS; r++) {
    let queued = 0;
    const cpu = await ownCpuMs(d1, async () => {
      for (let i = 0; i < 20; i++) queued += (await batch()).summary.queued;
    });
    expect(queued).toBe(2000);
    perReminder.push(cpu / queued);
  }
  rows.push([
    "reminder claimed, rendered and queued",
    median(perReminder).toFixed(3),
    "<= 0.1 ms",
    ((d1.calls - calls) / (ROUNDS * 2000)).toFixed(2),
  ]);

  // Sending what was queued: the payload back out of D1, the Resend request (to the fake,
  // in its own process) and the outcome recorded; per email, in requests of 100.
  const fake = await fakeResendProcess(0);
  try {
    const mailer = new ResendMailer("re_bench", fake.url);
    const send = async () => {
      const summary = noDeliveries();
      const claimed = await claimFresh(db, NOW, 100, `b-${Math.random()}`);
      // Screened against the suppression list, as every send path does (one lookup).
      await sendGroup(db, mailer, await screenGroup(db.$client, claimed, summary), NOW, summary);
      return claimed.length;
    };
    for (let i = 0; i < 10; i++) await send(); // warm up
    const perEmail: number[] = [];
    const sendCalls = d1.calls;
    let emails = 0;
    for (let r = 0; r < ROUNDS; r++) {
      let sent = 0;
      const cpu = await ownCpuMs(d1, async () => {
        for (let i = 0; i < 10; i++) sent += await send();
      });
      perEmail.push(cpu / sent);
      emails += sent;
    }
    rows.push([
      "reminder sent (request of 100) and marked",
      median(perEmail).toFixed(3),
      "(Node's fetch)",
      ((d1.calls - sendCalls) / emails).toFixed(2),
    ]);
  } finally {
    fake.stop();
    drop();
  }
});

it("one cron run with nothing due (retention, leases, claims, the digest look-up)", async () => {
  const { d1, drop } = freshD1();
  const env = benchEnv(d1);
  const run = () => runScheduled(NOW, env);
  for (let i = 0; i < 50; i++) await run();
  const perRun: number[] = [];
  const calls = d1.calls;
  for (let r = 0; r < ROUNDS; r++) {
    const cpu = await ownCpuMs(d1, async () => {
      for (let i = 0; i < 50; i++) await run();
    });
    perRun.push(cpu / 50);
  }
  rows.push([
    "cron run with nothing due (fixed cost of a run)",
    median(perRun).toFixed(3),
    "-",
    ((d1.calls - calls) / (ROUNDS * 50)).toFixed(1),
  ]);
  drop();
});

it("one web page: the threads page of a user with 50 pending threads", async () => {
  const { d1, drop } = freshD1();
  const env = benchEnv(d1);
  const db = openDb(d1.asBinding());
  const now = Date.now();
  d1.db.exec(`insert into users (id, email, time_zone, created_at)
    values ('web1', 'web1@example.com', 'Europe/Berlin', ${now})`);
  d1.db.exec(`with recursive k(i) as (select 1 union all select i + 1 from k where i < 50)
    insert into threads (id, user_id, kind, status, address, subject, message_id, contacts_json,
      snippet, sent_at, due_at, last_activity_at, created_at, updated_at)
    select printf('w%04d', i), 'web1', 'track', 'scheduled', 'follow', 'Coffee next week? #' || i,
      printf('w%04d@mail.example.com', i), '[{"name":"Jane Doe","address":"jane@example.org"}]',
      'Hi Jane, would you have 20 minutes for a coffee next week?', ${now} - 86400000,
      ${now} + i * 3600000, ${now} - 86400000, ${now}, ${now} from k`);
  const session = await newSession(db, "web1", now);
  await runBatch(db, [session.statement]);
  const cookie = `__Host-sprout_session=${session.id}`;
  const page = async () => {
    const res = await app.fetch(
      new Request("https://sprout.test/threads", { headers: { Cookie: cookie } }),
      env,
    );
    const body = await res.text();
    if (res.status !== 200 || !body.includes("Coffee next week? #1<")) {
      throw new Error(`threads page: ${res.status}`);
    }
  };
  for (let i = 0; i < 100; i++) await page();
  const perPage: number[] = [];
  const calls = d1.calls;
  for (let r = 0; r < ROUNDS; r++) {
    const cpu = await ownCpuMs(d1, async () => {
      for (let i = 0; i < 100; i++) await page();
    });
    perPage.push(cpu / 100);
  }
  rows.push([
    "threads page, 50 pending (25 shown per page)",
    median(perPage).toFixed(3),
    "-",
    ((d1.calls - calls) / (ROUNDS * 100)).toFixed(1),
  ]);
  drop();
});
