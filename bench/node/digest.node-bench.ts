import { afterAll, beforeAll, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { openDb } from "../../src/db/client";
import { queueDueDigests } from "../../src/jobs/digest";
import { ThreadD1 } from "./d1-thread";
import { benchEnv, freshD1, machine, mainThreadCpuMs } from "./harness";

// The weekly digest for 100,000 users whose digest is due at the same moment (Monday 08:00):
// found through users.next_digest_at, rendered and queued by the real job, 100 users a
// turn as the sending loop asks for them. Sending is left out (at SEND_RATE 2, 100,000
// emails take 500 seconds of requests whatever the code does): what is measured is what
// the Worker and D1 spend per digest, against that. D1 is SQLite in its own thread, every
// call waiting D1_LATENCY_MS first (a Worker-to-D1 round trip), as in the spike benchmark.
const USERS = 100_000;
const MONDAY_8AM = Date.parse("2026-03-09T08:00:00Z");
const D1_LATENCY_MS = Number(process.env.D1_LATENCY_MS ?? "2");
const seed = freshD1();
let d1: ThreadD1;
const lines: string[] = [];

beforeAll(() => {
  const { d1: sync } = seed;
  const started = Date.now();
  const t0 = MONDAY_8AM - 40 * 86_400_000;
  sync.db.exec(`with recursive u(i) as (select 1 union all select i + 1 from u where i < ${USERS})
    insert into users (id, email, time_zone, created_at, next_digest_at)
    select printf('u%06d', i), printf('u%06d@example.com', i), 'UTC', ${t0}, ${MONDAY_8AM} from u`);
  // Three threads each (one answered, two waiting), and their events, over the last weeks.
  sync.db.exec(`with recursive k(i) as (select 1 union all select i + 1 from k where i < ${USERS * 3})
    insert into threads (id, user_id, kind, status, address, subject, message_id, contacts_json,
      snippet, sent_at, due_at, last_activity_at, created_at, updated_at)
    select printf('t%07d', i), printf('u%06d', 1 + (i - 1) / 3), 'track',
      case i % 3 when 0 then 'replied' else 'scheduled' end, 'follow', 'Coffee next week? #' || i,
      printf('m%07d@mail.example.com', i), '[{"name":"Jane Doe","address":"jane@example.org"}]',
      'Hi Jane, would you have 20 minutes for a coffee next week?',
      ${t0} + (i % 30) * 86400000, case i % 3 when 0 then null else ${MONDAY_8AM} + (i % 7) * 86400000 end,
      ${t0}, ${t0}, ${t0} from k`);
  sync.db.exec(`insert into events (user_id, thread_id, kind, source, at)
    select user_id, id, 'outreach', 'email', sent_at from threads`);
  sync.db.exec(`insert into events (user_id, thread_id, kind, source, at)
    select user_id, id, 'followup', 'email', sent_at + 4 * 86400000 from threads where status = 'replied'`);
  sync.db.exec(`insert into events (user_id, thread_id, kind, source, at)
    select user_id, id, 'reply', 'email', sent_at + 6 * 86400000 from threads where status = 'replied'`);
  sync.db.close();
  d1 = new ThreadD1(seed.path, D1_LATENCY_MS);
  lines.push(
    `seeded ${USERS.toLocaleString("en")} users, ${(USERS * 3).toLocaleString("en")} threads and ${(USERS * 5).toLocaleString("en")} events in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}, 600_000);

afterAll(async () => {
  await d1.close();
  seed.drop();
  console.log(
    `\nWeekly digest for ${USERS.toLocaleString("en")} users due at once (${machine()}; D1 latency ${D1_LATENCY_MS} ms a call)`,
  );
  for (const line of lines) console.log(line);
});

it("renders and queues 100,000 digests", async () => {
  const config = parseConfig(benchEnv(d1));
  if (!config.ok) throw new Error("config");
  const db = openDb(d1.asBinding());
  const started = Date.now();
  const cpu0 = mainThreadCpuMs();
  const sqlite0 = await d1.busyMs();
  const calls0 = d1.calls;
  let queued = 0;
  let turns = 0;
  for (;;) {
    const { summary } = await queueDueDigests(db, config.value, MONDAY_8AM + 60_000, 100);
    if (summary.looked === 0) break;
    queued += summary.queued;
    turns += 1;
  }
  const wallMs = Date.now() - started;
  const cpu1 = mainThreadCpuMs();
  const ownMs = cpu0 === null || cpu1 === null ? Number.NaN : cpu1 - cpu0;
  const sqliteMs = (await d1.busyMs()) - sqlite0;
  expect(queued).toBe(USERS);
  const per = (v: number) => (v / queued).toFixed(3);
  lines.push(
    `${queued.toLocaleString("en")} digests queued in ${turns} turns, ${(wallMs / 1000).toFixed(1)} s (${Math.round(queued / (wallMs / 1000))} a second)`,
  );
  lines.push(
    `per digest: the Worker's thread ${per(ownMs)} ms CPU, SQLite's thread ${per(sqliteMs)} ms busy, ${((d1.calls - calls0) / queued).toFixed(2)} D1 calls`,
  );
  const next = await d1
    .prepare("select count(*) as n from users where next_digest_at = ?")
    .bind(MONDAY_8AM + 7 * 86_400_000)
    .first<{ n: number }>();
  lines.push(`users scheduled for next Monday: ${(next?.n ?? 0).toLocaleString("en")}`);
  for (const rate of [2, 5, 20]) {
    const sendSeconds = USERS / (rate * 100);
    lines.push(
      `  at SEND_RATE ${rate}: sending takes ${Math.round(sendSeconds)} s (${Math.ceil(sendSeconds / 50)} cron runs)`,
    );
  }
}, 1_800_000);
