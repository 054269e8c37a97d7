import { env } from "cloudflare:workers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseConfig } from "../src/config";
import { claimDueThreads } from "../src/db/claims";
import { openDb } from "../src/db/client";
import { claimFresh } from "../src/db/deliveries";
import { claimAndQueueReminders } from "../src/jobs/reminders";
import { sendGroup } from "../src/mail/deliver";
import { noDeliveries } from "../src/mail/delivery-summary";
import { makeMailer } from "../src/mail/factory";
import { screenGroup } from "../src/mail/screen";
import { FakeResend } from "../test/helpers/fake-resend";

// Claim, render and send 100 due reminders among 1,000,000 pending threads in local D1,
// through the real Resend adapter to a fake Resend (no network). Nine rounds.
const PENDING = 1_000_000;
const DUE_PER_ROUND = 100;
const ROUNDS = 9;
const NOW = Date.parse("2026-03-03T10:00:00Z");

beforeAll(async () => {
  await env.DB.prepare(
    "insert into users (id, email, time_zone, created_at) values ('u1', 'owner@example.com', 'Europe/Berlin', 0)",
  ).run();
  const started = performance.now();
  // Due rows get due_at in the past, the rest are spread over the next year.
  await env.DB.prepare(
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
     insert into threads (id, user_id, kind, status, address, subject, message_id, contacts_json,
       snippet, sent_at, due_at, last_activity_at, created_at, updated_at)
     select printf('t%09d', i), 'u1', 'track', 'scheduled', 'follow', 'Coffee next week? #' || i,
       printf('m%09d@example.com', i), '[{"name":"Jane Doe","address":"jane@example.org"}]',
       'Hi Jane, would you have 20 minutes for coffee next week? I loved your talk.',
       ?2 - 86400000, case when i <= ?3 then ?2 - i * 1000 else ?2 + (i % 31536000) * 1000 end,
       ?2 - 86400000, ?2, ?2
     from n`,
  )
    .bind(PENDING, NOW, DUE_PER_ROUND * ROUNDS)
    .run();
  console.log(
    `seeded ${PENDING.toLocaleString("en")} pending threads in ${Math.round(performance.now() - started)} ms`,
  );
});

let resend: FakeResend;
beforeAll(() => {
  resend = new FakeResend();
  resend.install();
});
afterAll(() => {
  resend.delivered.length = 0;
});

it("claims, renders and sends 100 due reminders among 1M pending threads", async () => {
  const config = parseConfig(env);
  if (!config.ok) throw new Error("config");
  const db = openDb(env.DB);
  const mailer = makeMailer(config.value, db, () => NOW);
  const rows: {
    claimMs: number;
    rowsRead: number;
    queueMs: number;
    sendMs: number;
    totalMs: number;
  }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    // The claim alone, measured on its own, then released for the job to take.
    const claim = await claimDueThreads(env.DB, NOW, DUE_PER_ROUND);
    const t1 = performance.now();
    await env.DB.prepare("update threads set lease_until = null where lease_until = ?")
      .bind(claim.lease)
      .run();
    const t2 = performance.now();
    const queued = await claimAndQueueReminders(db, env.DB, config.value, NOW, DUE_PER_ROUND);
    const t3 = performance.now();
    const sent = noDeliveries();
    const claimed = await claimFresh(db, NOW, DUE_PER_ROUND, `bench-${round}`);
    await sendGroup(db, mailer, await screenGroup(env.DB, claimed, sent), NOW, sent);
    const t4 = performance.now();
    expect(queued.summary.queued).toBe(DUE_PER_ROUND);
    expect(sent.sent).toBe(DUE_PER_ROUND);
    rows.push({
      claimMs: t1 - t0,
      rowsRead: claim.rowsRead,
      queueMs: t3 - t2,
      sendMs: t4 - t3,
      totalMs: t4 - t2,
    });
  }
  const median = (k: keyof (typeof rows)[number]) => {
    const v = rows.map((r) => r[k]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)] ?? 0;
  };
  console.log("round  claim ms  claim rows_read  claim+render+queue ms  send ms  total ms");
  for (const [i, r] of rows.entries()) {
    console.log(
      `${String(i + 1).padStart(5)}  ${r.claimMs.toFixed(1).padStart(8)}  ${String(r.rowsRead).padStart(15)}  ${r.queueMs.toFixed(1).padStart(21)}  ${r.sendMs.toFixed(1).padStart(7)}  ${r.totalMs.toFixed(1).padStart(8)}`,
    );
  }
  console.log(
    `median: claim ${median("claimMs").toFixed(1)} ms (rows_read ${median("rowsRead")}), claim+render+queue ${median("queueMs").toFixed(1)} ms, send ${median("sendMs").toFixed(1)} ms, total ${median("totalMs").toFixed(1)} ms for ${DUE_PER_ROUND} reminders`,
  );
  expect(resend.delivered).toHaveLength(DUE_PER_ROUND * ROUNDS);
});
