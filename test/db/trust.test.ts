import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { claimBudget, claimBudgetSql } from "../../src/db/answer-log";
import { openDb } from "../../src/db/client";
import { holdMessage, type NewHold } from "../../src/db/signup";
import { answerBudgets, type Budget, threadBudget } from "../../src/domain/answer-limits";
import { MAX_HELD_MESSAGES } from "../../src/domain/signup";

// db/answer-log.ts and db/signup.ts against real D1: the claims are
// single statements that races cannot overspend, and every query is an index search.

const T0 = Date.parse("2026-03-03T10:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const db = openDb(env.DB);

beforeEach(async () => {
  await env.DB.batch(
    ["answer_log", "signup_holds", "signup_links"].map((t) => env.DB.prepare(`delete from ${t}`)),
  );
});

async function plan(statement: ReturnType<typeof sql>): Promise<string> {
  const rows = await db.all<{ detail: string }>(sql`explain query plan ${statement}`);
  return rows.map((r) => r.detail).join("\n");
}

async function rawPlan(text: string, ...bind: unknown[]): Promise<string> {
  const { results } = await env.DB.prepare(`explain query plan ${text}`)
    .bind(...bind)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}

describe("claimBudget", () => {
  it("allows 5 an hour and 20 a day, on a rolling window", async () => {
    const budgets = answerBudgets("help", "jane@example.org");
    const at = (ms: number) => claimBudget(db, budgets, ms);
    const firstHour = [];
    for (let i = 0; i < 6; i++) firstHour.push(await at(T0 + i * 60_000));
    expect(firstHour).toEqual([true, true, true, true, true, false]);
    // Exactly an hour after the first claim it no longer counts.
    expect(await at(T0 + HOUR)).toBe(true);
    expect(await at(T0 + HOUR + 1)).toBe(false);
    // Over the day: 20 in all, however they spread.
    let granted = 6;
    for (let h = 2; h < 24; h++) if (await at(T0 + h * HOUR)) granted += 1;
    expect(granted).toBe(20);
    expect(await at(T0 + DAY + 1)).toBe(true);
  });

  it("never overspends when claims race: 40 at once, exactly 5 granted", async () => {
    const budgets = answerBudgets("login", "race@example.org");
    const results = await Promise.all(
      Array.from({ length: 40 }, () => claimBudget(db, budgets, T0)),
    );
    expect(results.filter(Boolean)).toHaveLength(5);
    const n = await env.DB.prepare("select count(*) as n from answer_log where key = ?")
      .bind("login:race@example.org")
      .first<{ n: number }>();
    expect(n?.n).toBe(5);
  });

  it("spends all of its budgets or none: a spent deployment cap charges the address nothing", async () => {
    const stmt = env.DB.prepare("insert into answer_log (key, at) values ('signup:all', ?)");
    await env.DB.batch(Array.from({ length: 100 }, (_, i) => stmt.bind(T0 - i)));
    expect(await claimBudget(db, answerBudgets("signup", "new@example.org"), T0)).toBe(false);
    const mine = await env.DB.prepare("select count(*) as n from answer_log where key = ?")
      .bind("signup:new@example.org")
      .first<{ n: number }>();
    expect(mine?.n).toBe(0);
  });

  it("keeps the budgets of different addresses and kinds apart", async () => {
    for (let i = 0; i < 5; i++) await claimBudget(db, answerBudgets("help", "a@example.org"), T0);
    expect(await claimBudget(db, answerBudgets("help", "a@example.org"), T0)).toBe(false);
    expect(await claimBudget(db, answerBudgets("help", "b@example.org"), T0)).toBe(true);
    expect(await claimBudget(db, answerBudgets("list", "a@example.org"), T0)).toBe(true);
    expect(await claimBudget(db, answerBudgets("help", "A@Example.org"), T0)).toBe(false);
  });

  it("counts each key through the index on answer_log (key, at)", async () => {
    const budgets: Budget[] = [...answerBudgets("signup", "x@example.org"), ...threadBudget("u1")];
    const detail = await plan(claimBudgetSql(budgets, T0));
    expect(
      detail.match(/SEARCH answer_log USING COVERING INDEX answer_log_key \(key=\? AND at>\?\)/g),
    ).toHaveLength(budgets.length);
    expect(detail).not.toMatch(/SCAN answer_log/);
  });
});

describe("holdMessage", () => {
  const hold = (i: number, bytes = 100): NewHold => ({
    id: `hold-${i}-${crypto.randomUUID()}`,
    email: "sam@newcomer.example",
    envelopeFrom: "sam@newcomer.example",
    envelopeTo: "3d@sprout.test",
    raw: new Uint8Array(bytes).fill(0x41),
    truncated: false,
    receivedAt: T0,
  });

  it("holds at most 20 messages for an address even when 40 arrive at once", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => holdMessage(db, hold(i), T0)),
    );
    expect(results.filter((r) => r.kind === "held")).toHaveLength(MAX_HELD_MESSAGES);
    expect(results.filter((r) => r.kind === "full")).toHaveLength(20);
  });

  it("stores the bytes exactly, and counts a hold past its 7 days for nothing", async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const h = { ...hold(1), raw: bytes };
    expect(await holdMessage(db, h, T0)).toEqual({ kind: "held" });
    expect(await holdMessage(db, h, T0)).toEqual({ kind: "duplicate" });
    const row = await env.DB.prepare("select raw_base64 from signup_holds where id = ?")
      .bind(h.id)
      .first<{ raw_base64: string }>();
    const back = Uint8Array.from(atob(row?.raw_base64 ?? ""), (c) => c.charCodeAt(0));
    expect([...back]).toEqual([...bytes]);
    for (let i = 2; i <= 20; i++) await holdMessage(db, hold(i), T0);
    expect((await holdMessage(db, hold(21), T0)).kind).toBe("full");
    expect((await holdMessage(db, hold(22), T0 + 7 * DAY)).kind).toBe("held");
  });

  it("reads an address's holds through the index on (email, received_at)", async () => {
    const detail = await rawPlan(
      "select count(*), sum(bytes) from signup_holds where email = ? and expires_at > ?",
      "sam@newcomer.example",
      T0,
    );
    expect(detail).toMatch(/SEARCH signup_holds USING INDEX signup_holds_email \(email=\?\)/);
  });
});
