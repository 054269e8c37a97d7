import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/db/client";
import { claimNotice } from "../../src/db/events";
import { SWEEPS, sweepOnce } from "../../src/db/retention";

// The notices sweep (src/db/retention.ts): rate-limit rows are keyed by address, strangers'
// included, so without it the table only grows. Its plan is checked with the other sweeps
// in test/db/retention.test.ts.

const NOW = Date.parse("2026-03-03T10:00:00Z");
const DAY = 24 * 3_600_000;
const sweep = SWEEPS.filter((s) => s.name === "notices");

async function keys(): Promise<string[]> {
  const { results } = await env.DB.prepare("select key from notices order by key").all<{
    key: string;
  }>();
  return results.map((r) => r.key);
}

describe("the notices sweep", () => {
  it("deletes notices older than two days, oldest first, in bounded batches", async () => {
    expect(sweep).toHaveLength(1);
    await env.DB.prepare("delete from notices").run();
    const old = NOW - 2 * DAY;
    await env.DB.prepare(
      "insert into notices (key, at) values ('help:a@example.com', ?1), ('help:b@example.com', ?2), ('help:c@example.com', ?3), ('login:d@example.com', ?4)",
    )
      .bind(old - 3, old - 2, old - 1, old)
      .run();
    expect(await sweepOnce(env.DB, sweep, NOW, 2)).toEqual([2]);
    expect(await keys()).toEqual(["help:c@example.com", "login:d@example.com"]);
    expect(await sweepOnce(env.DB, sweep, NOW, 2)).toEqual([1]);
    // Exactly at the cut-off is kept.
    expect(await keys()).toEqual(["login:d@example.com"]);
  });

  it("never deletes a notice a limit still needs: a claim a day old still blocks", async () => {
    const db = openDb(env.DB);
    const key = "foreign-reply:u-day";
    expect(await claimNotice(db, key, NOW, DAY)).toBe(true);
    const later = NOW + DAY - 1;
    await sweepOnce(env.DB, sweep, later, 100);
    expect(await claimNotice(db, key, later, DAY)).toBe(false);
  });
});
