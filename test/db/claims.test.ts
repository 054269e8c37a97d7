import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import {
  claimDueThreads,
  clearLapsedLeases,
  DUE_QUERY_SQL,
  LAPSED_LEASES_SQL,
} from "../../src/db/claims";
import { openDb } from "../../src/db/client";
import { queueReminders } from "../../src/jobs/reminders";
import { queryPlan } from "../helpers/plan";
import { seedDueThreads } from "../helpers/seed";
import { makeUser } from "../web/helpers";

const NOW = Date.parse("2026-03-04T08:00:00Z");
const MINUTE = 60_000;

beforeEach(async () => {
  await env.DB.batch(
    ["events", "deliveries", "threads"].map((t) => env.DB.prepare(`delete from ${t}`)),
  );
});

describe("the due-thread claim", () => {
  it("is an index search that walks neither leased nor held rows", async () => {
    const plan = await queryPlan(DUE_QUERY_SQL, [NOW, 100]);
    expect(plan).toMatch(/^SEARCH threads USING INDEX threads_due \(due_at<\?\)$/);
    // Proof by rows read: 1,000 due rows already leased and 1,000 held cost the claim
    // nothing; it reads about what it claims.
    const user = await makeUser();
    await seedDueThreads(user.id, 1000, NOW - 10 * MINUTE, "lz");
    await seedDueThreads(user.id, 1000, NOW - 10 * MINUTE, "hz");
    await seedDueThreads(user.id, 10, NOW - 5 * MINUTE, "fr");
    await env.DB.prepare("update threads set lease_until = ? where id like 'lz%'")
      .bind(NOW + MINUTE)
      .run();
    await env.DB.prepare("update threads set held = 1 where id like 'hz%'").run();
    const claim = await claimDueThreads(env.DB, NOW, 100);
    expect(claim.threads.map((t) => t.id)).toHaveLength(10);
    expect(claim.threads.every((t) => t.id.startsWith("fr"))).toBe(true);
    expect(claim.rowsRead).toBeLessThan(100);
  });

  it("clears lapsed leases through an index, leaving live ones", async () => {
    expect(await queryPlan(LAPSED_LEASES_SQL, [NOW, 1000])).toMatch(
      /^SEARCH threads USING COVERING INDEX threads_lease \(lease_until<\?\)$/,
    );
    const user = await makeUser();
    await seedDueThreads(user.id, 3, NOW - MINUTE, "ls");
    await env.DB.prepare("update threads set lease_until = ? where id = 'ls00001'")
      .bind(NOW - 1)
      .run();
    await env.DB.prepare("update threads set lease_until = ? where id = 'ls00002'")
      .bind(NOW + MINUTE)
      .run();
    expect(await clearLapsedLeases(env.DB, NOW, 1000)).toBe(1);
    const claim = await claimDueThreads(env.DB, NOW, 100);
    expect(claim.threads.map((t) => t.id).sort()).toEqual(["ls00001", "ls00003"]);
  });
});

describe("a lease that runs out mid-run", () => {
  it("records the reminder event once, like the delivery, when two runs reach the same reminder", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 1, NOW - MINUTE, "lx");
    const config = parseConfig(env);
    if (!config.ok) throw new Error("config");
    const db = openDb(env.DB);
    // Run A claims, then stalls past its lease; the lease is cleared and run B takes over.
    const a = await claimDueThreads(env.DB, NOW, 100);
    await clearLapsedLeases(env.DB, a.lease, 1000);
    const b = await claimDueThreads(env.DB, a.lease, 100);
    expect(b.threads).toHaveLength(1);
    await queueReminders(db, env.DB, config.value, b.threads, b.lease, a.lease);
    // Run A wakes up and queues what it claimed.
    await queueReminders(db, env.DB, config.value, a.threads, a.lease, NOW + 6 * MINUTE);
    const count = async (sql: string) =>
      (await env.DB.prepare(sql).first<{ n: number }>())?.n ?? -1;
    expect(await count("select count(*) as n from deliveries where thread_id = 'lx00001'")).toBe(1);
    expect(
      await count(
        "select count(*) as n from events where thread_id = 'lx00001' and kind = 'reminder'",
      ),
    ).toBe(1);
    // And run A's late release changed nothing: the thread is at B's next step.
    const thread = await env.DB.prepare(
      "select reminders_sent, lease_until from threads where id = 'lx00001'",
    ).first<{ reminders_sent: number; lease_until: number | null }>();
    expect(thread).toEqual({ reminders_sent: 1, lease_until: null });
  });

  it("never hands the stale run a delivery to send: it sends only rows it inserted", async () => {
    const user = await makeUser();
    await seedDueThreads(user.id, 1, NOW - MINUTE, "ly");
    const config = parseConfig(env);
    if (!config.ok) throw new Error("config");
    const db = openDb(env.DB);
    const a = await claimDueThreads(env.DB, NOW, 100);
    await clearLapsedLeases(env.DB, a.lease, 1000);
    const b = await claimDueThreads(env.DB, a.lease, 100);
    const byB = await queueReminders(
      db,
      env.DB,
      config.value,
      b.threads,
      b.lease,
      a.lease,
      "b-run-b",
    );
    const byA = await queueReminders(db, env.DB, config.value, a.threads, a.lease, NOW, "b-run-a");
    expect(byB.claimed.map((r) => [r.id, r.batchKey])).toEqual([["rem-ly00001-1", "b-run-b"]]);
    // A's insert found B's row and changed nothing: A has nothing to send under its key.
    expect(byA.claimed).toEqual([]);
    const row = await env.DB.prepare(
      "select batch_key from deliveries where id = 'rem-ly00001-1'",
    ).first();
    expect(row).toEqual({ batch_key: "b-run-b" });
  });
});
