import { env } from "cloudflare:workers";
import { openDb, runBatch } from "../../src/db/client";
import { users } from "../../src/db/schema";
import { newSession } from "../../src/db/sessions";
import { insertThread, type NewThread } from "../../src/db/threads";
import { randomId } from "../../src/domain/signing";
import { app } from "../../src/web/app";

export const BASE = "https://sprout.test";
export const COOKIE = "__Host-sprout_session";

/** A verified user with a unique address, so tests sharing one D1 file never collide. */
export async function makeUser(extra: Partial<typeof users.$inferInsert> = {}) {
  const id = randomId(12);
  const email = `u-${id}@example.com`;
  await openDb(env.DB)
    .insert(users)
    .values({ id, email, status: "verified", timeZone: "UTC", createdAt: Date.now(), ...extra });
  return { id, email };
}

/** A live session for a user, as the Cookie header that carries it. */
export async function cookieFor(userId: string, now = Date.now()): Promise<string> {
  const db = openDb(env.DB);
  const session = await newSession(db, userId, now);
  await runBatch(db, [session.statement]);
  return `${COOKIE}=${session.id}`;
}

/** A thread for a user; `dueAt` defaults to a day from now. */
export async function makeThread(userId: string, extra: Partial<NewThread> = {}) {
  const db = openDb(env.DB);
  const now = Date.now();
  const id = randomId(10);
  await runBatch(
    db,
    insertThread(
      db,
      {
        id,
        userId,
        kind: "track",
        status: "scheduled",
        address: "follow@sprout.test",
        subject: "Coffee next week?",
        messageId: `${id}@mail.example.com`,
        contactsJson: JSON.stringify([{ name: "Jane Doe", address: "jane@example.org" }]),
        snippet: "Would you have 20 minutes for coffee?",
        sentAt: now - 86_400_000,
        dueAt: now + 86_400_000,
        lastActivityAt: now - 86_400_000,
        createdAt: now,
        updatedAt: now,
        ...extra,
      },
      [`${id}@mail.example.com`],
    ),
  );
  return id;
}

export interface WebInit {
  method?: string;
  cookie?: string;
  form?: Record<string, string>;
  /** Sec-Fetch-Site; POSTs default to "same-origin", null leaves the header out. */
  site?: string | null;
  origin?: string;
}

/** A request to the web app, as a browser on Sprout's own pages would send it. */
export async function web(path: string, init: WebInit = {}, bindings: Env = env) {
  const method = init.method ?? (init.form === undefined ? "GET" : "POST");
  const headers = new Headers();
  if (init.cookie !== undefined) headers.set("Cookie", init.cookie);
  const site = init.site === undefined ? (method === "GET" ? undefined : "same-origin") : init.site;
  if (site !== undefined && site !== null) headers.set("Sec-Fetch-Site", site);
  if (init.origin !== undefined) headers.set("Origin", init.origin);
  const body = init.form === undefined ? undefined : new URLSearchParams(init.form);
  if (body !== undefined) headers.set("Content-Type", "application/x-www-form-urlencoded");
  const res = await app.request(`${BASE}${path}`, { method, headers, body }, bindings);
  return { res, status: res.status, text: await res.text() };
}

/** One row of a table, by a column value (raw SQL: tests read what the database holds). */
export async function rowWhere(table: string, column: string, value: string) {
  return env.DB.prepare(`select * from ${table} where ${column} = ?`)
    .bind(value)
    .first<Record<string, string | number | null>>();
}

/** How many rows of a table match a column value. */
export async function countWhere(table: string, column: string, value: string) {
  const row = await env.DB.prepare(`select count(*) as n from ${table} where ${column} = ?`)
    .bind(value)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** The newest dev-outbox message to an address, if any. */
export async function lastMailTo(to: string) {
  return env.DB.prepare("select * from dev_outbox where to_address = ? order by id desc limit 1")
    .bind(to)
    .first<{ subject: string; text_body: string; html_body: string; idempotency_key: string }>();
}

/** The sign-in link inside a mail's text. */
export function linkIn(text: string): string {
  const m = /https?:\/\/\S+\/login\/confirm\?token=[a-z2-7]+/.exec(text);
  if (m === null) throw new Error(`no sign-in link in: ${text}`);
  return m[0];
}
