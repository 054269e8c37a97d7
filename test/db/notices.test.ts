import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDb, runBatch } from "../../src/db/client";
import { claimNotice, NOTICE_RETENTION_MS, pruneNotices } from "../../src/db/events";
import { queryPlan } from "../helpers/db";

const NOW = Date.parse("2026-03-03T10:00:00Z");

async function keys(): Promise<string[]> {
  const { results } = await env.DB.prepare("select key from notices order by key").all<{
    key: string;
  }>();
  return results.map((r) => r.key);
}

describe("pruneNotices (a retention sweep)", () => {
  it("deletes notices older than every window, oldest first, in bounded batches", async () => {
    const db = openDb(env.DB);
    await env.DB.prepare("delete from notices").run();
    const old = NOW - NOTICE_RETENTION_MS;
    await env.DB.prepare(
      "insert into notices (key, at) values ('help:a@example.com', ?1), ('help:b@example.com', ?2), ('help:c@example.com', ?3), ('login:d@example.com', ?4)",
    )
      .bind(old - 3, old - 2, old - 1, old)
      .run();
    await runBatch(db, [pruneNotices(db, NOW, 2)]);
    expect(await keys()).toEqual(["help:c@example.com", "login:d@example.com"]);
    await runBatch(db, [pruneNotices(db, NOW, 2)]);
    // Exactly at the cut-off is kept: it may still be inside a window.
    expect(await keys()).toEqual(["login:d@example.com"]);
  });

  it("never touches a notice a limit still needs: a claim a day old still blocks", async () => {
    const db = openDb(env.DB);
    const key = "foreign-reply:u-day";
    expect(await claimNotice(db, key, NOW, 24 * 3_600_000)).toBe(true);
    const later = NOW + 24 * 3_600_000 - 1;
    await runBatch(db, [pruneNotices(db, later, 100)]);
    expect(await claimNotice(db, key, later, 24 * 3_600_000)).toBe(false);
  });

  it("is an index search on notices_at", async () => {
    const plan = await queryPlan(pruneNotices(openDb(env.DB), NOW, 100));
    expect(plan).toContain("USING COVERING INDEX notices_at (at<?)");
    expect(plan).not.toMatch(/SCAN notices\b/);
  });
});
