import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountDeletions } from "../../src/db/account";
import { openDb } from "../../src/db/client";
import type { UserRow } from "../../src/db/schema";
import { replyAddress } from "../../src/domain/reply-address";
import { deliver, mime, uniqueId } from "../helpers/email";
import { statementPlan } from "../helpers/plan";
import { cookieFor, makeThread, makeUser, web } from "../web/helpers";

// Issue 9, "leftover data": account delete removes every row that carries the user's
// address or id (SPEC 6), including inbound records written without a user id.

/**
 * The census: every table of the schema, with the columns that can hold a user's id or
 * address. A table added without an entry here fails the first test, so whoever adds one
 * decides how account delete reaches it (src/db/account.ts accountDeletions).
 */
const CARRIERS: Record<string, { columns: string[]; why: string }> = {
  users: { columns: ["id", "email"], why: "the account itself" },
  threads: { columns: ["user_id"], why: "contacts_json holds the contacts, not the user" },
  thread_messages: { columns: ["user_id"], why: "Message-IDs of the user's threads" },
  events: { columns: ["user_id"], why: "the user's activity" },
  deliveries: { columns: ["user_id"], why: "mail to the user; its payload holds the address" },
  inbound: {
    columns: ["user_id", "header_from", "envelope_from", "thread_id"],
    why: "envelope_to is a Sprout address: a reply address names a thread (thread_id)",
  },
  login_tokens: { columns: ["user_id"], why: "hashes only" },
  sessions: { columns: ["user_id"], why: "hashes only" },
  dev_outbox: { columns: ["to_address"], why: "copies of mail sent (local only)" },
  notices: { columns: ["key"], why: "`foreign-reply:<user id>` once-a-day marks" },
  signup_holds: {
    columns: ["email"],
    why: "mail held until its sender (From, authenticated) confirms; envelope_from and raw_base64 are that sender's",
  },
  signup_links: { columns: ["email"], why: "confirmation links of an address (hashes only)" },
  answer_log: { columns: ["key"], why: "`<kind>:<address>` and `threads:<user id>` budgets" },
  suppressions: { columns: ["address"], why: "the address Sprout stopped writing to" },
  webhook_events: { columns: [], why: "Resend's message ids only: no address, no user" },
};

/** Tables that are not Sprout's data (SQLite's, D1's, the migrations' log). */
const INTERNAL = /^(sqlite_|_cf_|d1_migrations$)/;

async function tables(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "select name from sqlite_master where type = 'table' order by name",
  ).all<{ name: string }>();
  return results.map((r) => r.name).filter((n) => !INTERNAL.test(n));
}

async function columns(table: string): Promise<string[]> {
  const { results } = await env.DB.prepare(`pragma table_info(${table})`).all<{ name: string }>();
  return results.map((r) => r.name);
}

async function count(table: string, column: string, value: string): Promise<number> {
  const row = await env.DB.prepare(`select count(*) as n from ${table} where ${column} = ?`)
    .bind(value)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** An inbound row recorded without a user id, with one carrier column set. */
async function inboundRow(fields: Record<string, string>) {
  const row = {
    id: crypto.randomUUID(),
    received_at: Date.now(),
    envelope_from: "someone@example.net",
    envelope_to: "help@sprout.test",
    header_from: "someone@example.net",
    message_id: uniqueId("row"),
    subject: "A subject",
    outcome: "ignored:automated",
    ...fields,
  };
  const names = Object.keys(row);
  await env.DB.prepare(
    `insert into inbound (${names.join(", ")}) values (${names.map(() => "?").join(", ")})`,
  )
    .bind(...Object.values(row))
    .run();
}

/** Every kind of row that can carry `user`'s id or address, as Sprout writes them. */
async function seed(user: { id: string; email: string }) {
  const thread = await makeThread(user.id);
  await cookieFor(user.id);
  // A sign-in link: a token, a delivery, a dev-outbox copy and a `login:` notice.
  await web("/login", { form: { email: user.email } });
  await env.DB.prepare(
    "insert into events (user_id, thread_id, kind, source, at) values (?, ?, 'outreach', 'email', 1)",
  )
    .bind(user.id, thread)
    .run();
  // Through the email entry point: the user's out-of-office answering a reminder (ignored,
  // no user id), and a stranger's auto-reply to the same reply address.
  const address = await replyAddress(env.SIGNING_SECRET ?? "", thread, "sprout.test");
  const headers = { "Auto-Submitted": "auto-replied" };
  await deliver(mime({ from: user.email, headers, subject: "Out of office" }), {
    from: user.email,
    to: address,
  });
  await deliver(mime({ from: "bot@example.net", headers }), {
    from: "bot@example.net",
    to: address,
  });
  // One column at a time: the user's own record, then three without a user id.
  await inboundRow({ user_id: user.id, outcome: "tracked" });
  await inboundRow({ header_from: user.email });
  await inboundRow({ envelope_from: user.email });
  await inboundRow({ thread_id: thread });
  await env.DB.prepare("insert into notices (key, at) values (?, 1)")
    .bind(`foreign-reply:${user.id}`)
    .run();
  // Answer budgets: the sign-in link above spent `login:<address>`; a help answer and a new
  // thread spend the others.
  await env.DB.prepare("insert into answer_log (key, at) values (?, ?), (?, ?)")
    .bind(`help:${user.email}`, Date.now(), `threads:${user.id}`, Date.now())
    .run();
  // Sign-up rows an address can still have: a hold and a link (say, from before an OWNERS
  // address first wrote), and a suppression after a bounce.
  const now = Date.now();
  await env.DB.prepare(
    "insert into signup_holds (id, email, envelope_from, envelope_to, raw_base64, bytes, received_at, expires_at) values (?, ?, ?, '3d@sprout.test', 'eA==', 1, ?, ?)",
  )
    .bind(crypto.randomUUID(), user.email, user.email, now, now + 86_400_000)
    .run();
  await env.DB.prepare(
    "insert into signup_links (token_hash, email, created_at, expires_at) values (?, ?, ?, ?)",
  )
    .bind(crypto.randomUUID(), user.email, now, now + 86_400_000)
    .run();
  await env.DB.prepare(
    "insert into suppressions (address, cause, event_type, event_id, created_at) values (?, 'bounce', 'email.bounced', ?, ?)",
  )
    .bind(user.email, crypto.randomUUID(), now)
    .run();
  return { thread, address };
}

/** The (table, column, value) triples that must reach zero when `user` is deleted. */
function carried(user: { id: string; email: string }, thread: string) {
  const value = (table: string, column: string): string[] => {
    if (column === "thread_id") return [thread];
    if (table === "notices") return [`foreign-reply:${user.id}`];
    if (table === "answer_log")
      return [`help:${user.email}`, `login:${user.email}`, `threads:${user.id}`];
    if (column === "id" || column === "user_id") return [user.id];
    return [user.email];
  };
  return Object.entries(CARRIERS).flatMap(([table, { columns: cols }]) =>
    cols.flatMap((column) => value(table, column).map((v) => [table, column, v] as const)),
  );
}

describe("account delete (issue 9: leftover data)", () => {
  it("has a census entry for every table, naming columns that exist", async () => {
    expect(Object.keys(CARRIERS).sort()).toEqual(await tables());
    for (const [table, { columns: cols }] of Object.entries(CARRIERS)) {
      const present = await columns(table);
      for (const column of cols) expect(present, `${table}.${column}`).toContain(column);
    }
  });

  it("removes every row that carries the user's id or address, and nobody else's", async () => {
    const user = await makeUser();
    const other = await makeUser();
    const mine = await seed(user);
    const theirs = await seed(other);
    for (const [table, column, value] of carried(user, mine.thread)) {
      expect(await count(table, column, value), `${table}.${column} before`).toBeGreaterThan(0);
    }
    // The rows recorded through the email handler, without a user id:
    expect(await count("inbound", "header_from", user.email)).toBeGreaterThanOrEqual(2);
    expect(await count("inbound", "header_from", "bot@example.net")).toBe(2);

    const cookie = await cookieFor(user.id);
    const res = await web("/account/delete", { cookie, form: { confirm: user.email } });
    expect(res.status).toBe(200);

    for (const [table, column, value] of carried(user, mine.thread)) {
      expect(await count(table, column, value), `${table}.${column} after`).toBe(0);
    }
    // The stranger's auto-reply to the deleted user's reply address went with the thread;
    // the one to the other user's address stays, as does everything of theirs.
    expect(await count("inbound", "header_from", "bot@example.net")).toBe(1);
    for (const [table, column, value] of carried(other, theirs.thread)) {
      expect(await count(table, column, value), `${table}.${column} of another`).toBeGreaterThan(0);
    }
  });

  it("finds inbound rows through indexes, not by reading the whole table", async () => {
    const user: UserRow = {
      id: "u1",
      email: "u1@example.com",
    } as UserRow;
    const db = openDb(env.DB);
    const plans: string[] = [];
    for (const statement of accountDeletions(db, user)) plans.push(await statementPlan(statement));
    const scans = plans.filter((p) => /\bSCAN\b/.test(p));
    // Only the local dev outbox and the notices (a day or two of rate limits, swept) scan.
    expect(
      scans.every((p) => /SCAN (dev_outbox|notices)\b/.test(p)),
      scans.join("\n"),
    ).toBe(true);
    for (const index of [
      "inbound_user",
      "inbound_header_from",
      "inbound_envelope_from",
      "inbound_thread",
    ]) {
      expect(
        plans.some((p) => p.includes(index)),
        index,
      ).toBe(true);
    }
  });
});
