import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

// 0010_suppression.sql rebuilds `deliveries` (SQLite cannot alter a CHECK constraint). This
// file rebuilds its own database (D1 storage is per test file): every migration before
// 0010, rows written the old way in every old status, then 0010 and whatever follows.
const SUBJECT = "0010_suppression.sql";

async function resetTo(firstSkipped: string): Promise<void> {
  const { results } = await env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' order by rowid desc",
  ).all<{ name: string }>();
  // Newest first, so each table goes before the tables its foreign keys name.
  await env.DB.batch(results.map((t) => env.DB.prepare(`drop table "${t.name}"`)));
  const upTo = env.TEST_MIGRATIONS.findIndex((m) => m.name === firstSkipped);
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS.slice(0, upTo));
}

type Row = Record<string, string | number | null>;
const allDeliveries = async () =>
  (await env.DB.prepare("select * from deliveries order by id").all<Row>()).results;
const indexes = async () =>
  (
    await env.DB.prepare(
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'deliveries' order by name",
    ).all<{ name: string; sql: string | null }>()
  ).results;

let before: Row[] = [];
let indexesBefore: { name: string; sql: string | null }[] = [];

describe(`migration ${SUBJECT}`, () => {
  beforeAll(async () => {
    expect(env.TEST_MIGRATIONS.map((m) => m.name)).toContain(SUBJECT);
    await resetTo(SUBJECT);
    await env.DB.prepare(
      "insert into users (id, email, time_zone, created_at) values ('u1', 'jane@example.com', 'UTC', 1), ('u2', 'sam@example.com', 'UTC', 1)",
    ).run();
    const insert = env.DB.prepare(
      `insert into deliveries (id, user_id, thread_id, kind, step, payload, status, attempts,
         next_attempt_at, lease_until, first_attempt_at, last_error, provider_id, created_at,
         sent_at, batch_key, subject)
       values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)`,
    );
    const email = (to: string, subject: string) =>
      JSON.stringify({
        from: "Sprout <s@x>",
        to,
        subject,
        text: "t",
        html: "<p>t</p>",
        headers: {},
      });
    await env.DB.batch([
      insert.bind(
        "d-pending",
        "u1",
        "t1",
        "reminder",
        2,
        email("jane@example.com", "Re: A"),
        "pending",
        1,
        100,
        160,
        90,
        "503 busy",
        null,
        50,
        null,
        "b-key-1",
        "Re: A",
      ),
      insert.bind(
        "d-sent",
        "u1",
        "t1",
        "reminder",
        1,
        email("jane@example.com", "Re: A"),
        "sent",
        1,
        10,
        null,
        10,
        null,
        "em_1",
        5,
        11,
        "b-key-0",
        "Re: A",
      ),
      insert.bind(
        "d-failed",
        "u2",
        null,
        "help",
        null,
        email("sam@example.com", "Help"),
        "failed",
        2,
        20,
        null,
        20,
        "422 validation_error",
        null,
        15,
        null,
        "solo-d-failed",
        "Help",
      ),
      insert.bind(
        "d-unknown",
        "u2",
        "t2",
        "reminder",
        3,
        "{not json",
        "unknown",
        9,
        30,
        null,
        1,
        "timeout",
        null,
        1,
        null,
        null,
        "",
      ),
      insert.bind(
        "d-no-user",
        null,
        null,
        "login",
        null,
        email("x@example.com", "Sign in"),
        "sent",
        1,
        40,
        null,
        40,
        null,
        "em_2",
        40,
        41,
        null,
        "Sign in",
      ),
    ]);
    before = await allDeliveries();
    indexesBefore = await indexes();
    expect(before).toHaveLength(5);
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  });

  it("keeps every row and every column of deliveries as it was", async () => {
    expect(await allDeliveries()).toEqual(before);
  });

  it("recreates every index deliveries had, as it was, and adds the sweep's", async () => {
    const after = await indexes();
    for (const index of indexesBefore) expect(after, index.name).toContainEqual(index);
    expect(after.map((i) => i.name)).toEqual(
      [...indexesBefore.map((i) => i.name), "deliveries_suppressed"].sort(),
    );
    const leftovers = await env.DB.prepare(
      "select name from sqlite_master where name like '%deliveries_new%'",
    ).all();
    expect(leftovers.results).toEqual([]);
  });

  it("accepts the new status and still refuses an unknown one", async () => {
    await env.DB.prepare(
      "update deliveries set status = 'suppressed' where id = 'd-pending'",
    ).run();
    await expect(
      env.DB.prepare("update deliveries set status = 'bounced' where id = 'd-sent'").run(),
    ).rejects.toThrow(/CHECK constraint failed/);
  });

  it("still deletes a user's deliveries with the user (the foreign key survived)", async () => {
    await env.DB.prepare("delete from users where id = 'u2'").run();
    const ids = (await allDeliveries()).map((r) => r.id);
    expect(ids).toEqual(["d-no-user", "d-pending", "d-sent"]);
  });

  it("creates the suppression list and the webhook ids, empty", async () => {
    for (const table of ["suppressions", "webhook_events"]) {
      const row = await env.DB.prepare(`select count(*) as n from ${table}`).first<{ n: number }>();
      expect(row?.n, table).toBe(0);
    }
  });
});
