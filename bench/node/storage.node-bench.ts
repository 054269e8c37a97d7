import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config";
import { openDb } from "../../src/db/client";
import { receiveEmail } from "../../src/inbound/entry";
import { claimAndQueueReminders } from "../../src/jobs/reminders";
import { benchEnv, freshD1 } from "./harness";
import { emailMessage, outreach5k } from "./messages";

// Bytes per user and per thread, for docs/scaling.md: the SQLite file's used pages (page
// count minus free pages) before and after writing N rows through Sprout's own code.
const USERS = 2_000;
const THREADS = 2_000;
const { d1, drop } = freshD1();
const lines: string[] = [];

function usedBytes(): number {
  const get = (pragma: string) =>
    Number((d1.db.prepare(`PRAGMA ${pragma}`).get() as Record<string, number>)[pragma]);
  return (get("page_count") - get("freelist_count")) * get("page_size");
}

beforeAll(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
  drop();
  console.log("\nStorage, measured in SQLite's pages (what one D1 database holds)");
  for (const line of lines) console.log(line);
});

it("bytes per user, per tracked outreach, per reminder, and what stays after retention", async () => {
  const env = benchEnv(d1);
  const empty = usedBytes();
  d1.db.exec(`with recursive u(i) as (select 1 union all select i + 1 from u where i < ${USERS})
    insert into users (id, email, time_zone, created_at)
    select printf('u%011d', i), printf('someone.%06d@example.com', i), 'Europe/Berlin', 0 from u`);
  const withUsers = usedBytes();
  lines.push(
    `user row (settings, indexes):        ${((withUsers - empty) / USERS).toFixed(0)} bytes`,
  );

  // Tracked outreaches, through the email handler: thread, Message-IDs, outreach event,
  // inbound record (a 5 KB message; Sprout keeps a 500-character snippet, never the body).
  const now = Date.parse("2026-03-03T10:00:00Z");
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now);
  // One owner may start 200 threads a day (SPEC 9): the budget's rows (swept after a day
  // anyway) are cleared every 200 messages and before the pages are counted.
  for (let i = 0; i < THREADS; i++) {
    if (i % 200 === 0) d1.db.exec("delete from answer_log");
    const raw = outreach5k(`storage-${i}@mail.example.com`);
    await receiveEmail(emailMessage(raw, "owner@example.com", "3d@sprout.test"), env);
  }
  vi.useRealTimers();
  d1.db.exec("delete from answer_log");
  const withThreads = usedBytes();
  const inboundBytes = Number(
    (
      d1.db
        .prepare(
          "select sum(length(id) + length(envelope_from) + length(envelope_to) + length(coalesce(header_from, '')) + length(coalesce(message_id, '')) + length(coalesce(subject, '')) + length(outcome) + length(coalesce(detail, '')) + 40) as n from inbound",
        )
        .get() as { n: number }
    ).n,
  );
  const perOutreach = (withThreads - withUsers) / THREADS;
  lines.push(`tracked outreach (all of it):        ${perOutreach.toFixed(0)} bytes`);
  lines.push(`  of which its inbound record's data:  ${(inboundBytes / THREADS).toFixed(0)} bytes`);

  // One reminder for each: the delivery (with its copy of the email) and the event.
  const config = parseConfig(env);
  if (!config.ok) throw new Error("config");
  const db = openDb(d1.asBinding());
  const due = now + 10 * 86_400_000;
  let queued = 0;
  for (;;) {
    const r = await claimAndQueueReminders(db, d1.asBinding(), config.value, due, 100);
    queued += r.summary.queued;
    if (r.summary.claimed === 0) break;
  }
  expect(queued).toBe(THREADS);
  d1.db.prepare("update deliveries set status = 'sent', sent_at = ?").run(due);
  const withReminders = usedBytes();
  const perReminder = (withReminders - withThreads) / THREADS;
  lines.push(`reminder (delivery + event):         ${perReminder.toFixed(0)} bytes`);

  // Retention, one table at a time: inbound records after 30 days, then sent deliveries.
  d1.db.exec("delete from inbound");
  const withoutInbound = usedBytes();
  d1.db.exec("delete from deliveries");
  const after = usedBytes();
  const inbound = (withReminders - withoutInbound) / THREADS;
  const delivery = (withoutInbound - after) / THREADS;
  const kept = (after - withUsers) / THREADS;
  lines.push(`  of which the delivery (30 days):   ${delivery.toFixed(0)} bytes`);
  lines.push(`  and the reminder's event and step: ${(perReminder - delivery).toFixed(0)} bytes`);
  lines.push(`inbound record (kept 30 days):       ${inbound.toFixed(0)} bytes`);
  lines.push(`thread kept after 30 days:           ${(perOutreach - inbound).toFixed(0)} bytes`);
  lines.push(`  with one reminder's event:         ${kept.toFixed(0)} bytes`);
  lines.push(`database file after all this:        ${(after / 1e6).toFixed(1)} MB in use`);
});
