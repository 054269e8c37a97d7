import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

// This file rebuilds its own database (D1 storage is per test file): it drops what
// test/setup.ts applied, applies the migrations up to 0005, writes rows shaped as the
// code of that time wrote them, then applies the rest.
const BEFORE_SUBJECT = "0006_house.sql";

async function resetTo(lastBefore: string): Promise<void> {
  const { results } = await env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' order by rowid desc",
  ).all<{ name: string }>();
  // Newest first, so each table goes before the tables its foreign keys name.
  await env.DB.batch(results.map((t) => env.DB.prepare(`drop table "${t.name}"`)));
  const upTo = env.TEST_MIGRATIONS.findIndex((m) => m.name === lastBefore);
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS.slice(0, upTo));
}

describe(`migration ${BEFORE_SUBJECT}`, () => {
  beforeAll(async () => {
    expect(env.TEST_MIGRATIONS.map((m) => m.name)).toContain(BEFORE_SUBJECT);
    await resetTo(BEFORE_SUBJECT);
    const insert = env.DB.prepare(
      "insert into deliveries (id, kind, payload, next_attempt_at, created_at) values (?, 'reminder', ?, 1, 1)",
    );
    await env.DB.batch([
      insert.bind("old-1", JSON.stringify({ to: "a@example.com", subject: "Re: Coffee?" })),
      insert.bind("old-no-subject", JSON.stringify({ to: "a@example.com" })),
      insert.bind("old-not-json", "{truncated"),
    ]);
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  });

  it("fills the subject of mail queued before it from the payload", async () => {
    const { results } = await env.DB.prepare("select id, subject from deliveries order by id").all<{
      id: string;
      subject: string;
    }>();
    expect(results).toEqual([
      { id: "old-1", subject: "Re: Coffee?" },
      { id: "old-no-subject", subject: "" },
      { id: "old-not-json", subject: "" },
    ]);
  });
});
