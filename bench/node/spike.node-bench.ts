import { loadavg } from "node:os";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runScheduled } from "../../src/jobs/run-scheduled";
import { ThreadD1 } from "./d1-thread";
import { benchEnv, fakeResendProcess, freshD1, machine, mainThreadCpuMs } from "./harness";

// SPEC section 10's spike: 20,000 reminders due in one minute among 1,000,000 pending
// threads, sent by the real cron code (claim, render, queue, paced send) through the real
// Resend adapter to a fake Resend that enforces the rate (429 beyond it), at SEND_RATE 2, 5
// and 20. Real time: cron runs start a minute apart, each with its 50-second budget. D1 is
// SQLite in its own thread (D1 runs outside the Worker), and every call waits
// D1_LATENCY_MS first, standing in for the round trip from a Worker to D1.
const PENDING = 1_000_000;
const DUE = 20_000;
const USERS = 50_000;
const SPACING_MS = 3; // 20,000 due times spread over the minute before the first run
const D1_LATENCY_MS = Number(process.env.D1_LATENCY_MS ?? "2");
const seed = freshD1();
let d1: ThreadD1;
const lines: string[] = [];

beforeAll(async () => {
  const started = Date.now();
  const far = Date.now() + 30 * 86_400_000;
  seed.d1.db.exec(`with recursive u(i) as (select 1 union all select i + 1 from u where i < ${USERS})
    insert into users (id, email, time_zone, created_at, digest_enabled)
    select printf('u%06d', i), printf('u%06d@example.com', i),
      case i % 3 when 0 then 'Europe/Berlin' when 1 then 'America/New_York' else 'UTC' end, 0, 0
    from u`);
  // Threads 1..20,000 are the spike (their due times are set per round); the rest are due
  // over the coming year.
  seed.d1.db.exec(`with recursive k(i) as (select 1 union all select i + 1 from k where i < ${PENDING})
    insert into threads (id, user_id, kind, status, address, subject, message_id, references_json,
      contacts_json, snippet, sent_at, due_at, last_activity_at, created_at, updated_at)
    select printf('t%07d', i), printf('u%06d', 1 + (i * 7919) % ${USERS}), 'track', 'scheduled',
      'follow', 'Coffee next week? Loved your talk on platform teams #' || i,
      printf('m%07d@mail.example.com', i), '["earlier@mail.example.com"]',
      '[{"name":"Jane Doe","address":"jane@example.org"}]',
      'Hi Jane, I really enjoyed your talk on platform teams. Would you have 20 minutes for a coffee next week?',
      ${far} - 40 * 86400000, ${far} + i * 31, ${far} - 40 * 86400000, ${far} - 40 * 86400000,
      ${far} - 40 * 86400000
    from k`);
  seed.d1.db.close();
  d1 = new ThreadD1(seed.path, D1_LATENCY_MS);
  lines.push(
    `seeded ${PENDING.toLocaleString("en")} pending threads of ${USERS.toLocaleString("en")} users in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}, 600_000);

afterAll(async () => {
  await d1.close();
  seed.drop();
  console.log(
    `\nSpike: ${DUE.toLocaleString("en")} reminders due in one minute among ${PENDING.toLocaleString("en")} pending threads`,
  );
  console.log(
    `(${machine()}; load average ${loadavg()[0]?.toFixed(1)}; D1 latency ${D1_LATENCY_MS} ms a call; fake Resend in its own process)`,
  );
  for (const line of lines) console.log(line);
});

/** Makes threads 1..DUE due in the minute before `runAt`, as if never reminded. */
async function armSpike(runAt: number): Promise<number> {
  const base = runAt - 60_000;
  await d1.exec("delete from deliveries; delete from events");
  await d1
    .prepare(
      `update threads set status = 'scheduled', step = 1, reminders_sent = 0, lease_until = null,
         held = 0, due_at = ?1 + cast(substr(id, 2) as integer) * ${SPACING_MS}
       where id <= ?2`,
    )
    .bind(base, `t${String(DUE).padStart(7, "0")}`)
    .run();
  return base;
}

for (const rate of (process.env.SPIKE_RATES ?? "2,5,20").split(",").map(Number)) {
  it(`SEND_RATE ${rate}: ${rate * 100} emails a second at most`, async () => {
    const fake = await fakeResendProcess(rate);
    try {
      const env = benchEnv(d1, {
        DEV_OUTBOX: "false",
        RESEND_API_KEY: "re_bench",
        RESEND_BASE_URL: fake.url,
        SEND_RATE: String(rate),
      });
      const start = Date.now();
      const base = await armSpike(start);
      const runs: { ms: number; sent: number; stopped: string }[] = [];
      const cpuBefore = mainThreadCpuMs();
      const sqliteBefore = await d1.busyMs();
      for (let k = 0; k < 10; k++) {
        const runAt = start + k * 60_000;
        if (Date.now() < runAt) await new Promise((done) => setTimeout(done, runAt - Date.now()));
        const began = Date.now();
        const summary = await runScheduled(runAt, env);
        runs.push({
          ms: Date.now() - began,
          sent: summary.deliveries.sent,
          stopped: summary.stopped,
        });
        // Done once nothing is left: no due reminder, no delivery waiting for a retry.
        const left = await d1
          .prepare(
            "select (select count(*) from deliveries where status = 'pending') + (select count(*) from threads where status = 'scheduled' and due_at <= ?) as n",
          )
          .bind(runAt)
          .first<{ n: number }>();
        if (summary.stopped === "done" && left?.n === 0) break;
      }
      const cpuAfter = mainThreadCpuMs();
      const ownMs = cpuBefore === null || cpuAfter === null ? Number.NaN : cpuAfter - cpuBefore;
      const sqliteMs = (await d1.busyMs()) - sqliteBefore;
      const stats = await fake.stats();
      const sent = await fake.sent();
      const dueOf = (replyTo: string) => {
        const n = Number(/^re-t(\d{7})-/.exec(replyTo)?.[1] ?? "0");
        return base + n * SPACING_MS;
      };
      const lateness = sent.map(([to, at]) => at - dueOf(to)).sort((a, b) => a - b);
      const activeMs = runs.reduce((sum, r) => sum + r.ms, 0);
      const share = stats.emails / (activeMs / 1000) / (rate * 100);
      const overall = stats.emails / (((stats.lastAt ?? start) - start) / 1000) / (rate * 100);
      const mid = lateness[Math.floor(lateness.length / 2)] ?? 0;
      const last = sent.at(-1);
      const lastLate = last === undefined ? 0 : last[1] - dueOf(last[0]);
      lines.push(
        `SEND_RATE ${String(rate).padStart(2)}: ${stats.emails} sent in ${runs.length} run(s) (${runs.map((r) => `${(r.ms / 1000).toFixed(1)} s/${r.sent}/${r.stopped}`).join(", ")}); ` +
          `${(share * 100).toFixed(1)}% of ${rate * 100}/s while running, ${(overall * 100).toFixed(1)}% overall; ` +
          `last reminder ${(lastLate / 1000).toFixed(1)} s late (median ${(mid / 1000).toFixed(1)} s, worst ${((lateness.at(-1) ?? 0) / 1000).toFixed(1)} s); ` +
          `${stats.requests} requests, ${stats.rateLimited} refused with 429; twice: ${stats.duplicates}, lost: ${DUE - stats.distinct}; ` +
          `per email: the Worker's thread ${(ownMs / stats.emails).toFixed(3)} ms CPU (Sprout, Node's fetch, the D1 adapter), SQLite's thread ${(sqliteMs / stats.emails).toFixed(3)} ms busy`,
      );
      expect(stats.duplicates).toBe(0);
      expect(stats.distinct).toBe(DUE);
    } finally {
      fake.stop();
    }
  }, 900_000);
}
