import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { claimDueThreads, holdThread } from "../../src/db/claims";
import { cronAt, DAY } from "../helpers/scenario";
import { seedDueThreads } from "../helpers/seed";
import { cookieFor, makeThread, makeUser, web } from "../web/helpers";

// Pause and resume (SPEC section 6, issue 10), through the web settings route and the cron
// job: while paused, due reminders are held with their due time kept; resuming makes every
// one that came due meanwhile go out at the next cron run, oldest first.
const WED = Date.parse("2026-03-04T08:00:00Z");
const FORM = {
  timeZone: "UTC",
  reminderTime: "08:00",
  skipWeekends: "on",
  cadence: "3bd, 1w, 2w, 3mo",
  confirmations: "on",
  digestDay: "1",
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

async function setPaused(cookie: string, paused: boolean, at: number) {
  vi.setSystemTime(at);
  const res = await web("/settings", { cookie, form: paused ? { ...FORM, paused: "on" } : FORM });
  expect(res.status).toBe(303);
}

const thread = (id: string) =>
  env.DB.prepare("select due_at, held, lease_until, reminders_sent from threads where id = ?")
    .bind(id)
    .first<{ due_at: number; held: number; lease_until: number | null; reminders_sent: number }>();

/** Reminders the dev outbox holds for a user's threads, oldest first. */
async function sentFor(email: string) {
  const { results } = await env.DB.prepare(
    "select subject from dev_outbox where to_address = ? order by id",
  )
    .bind(email)
    .all<{ subject: string }>();
  return results.map((r) => r.subject);
}

describe("pause and resume", () => {
  it("holds what comes due while paused, then sends it at the next run after resuming, oldest first", async () => {
    vi.setSystemTime(WED - 2 * DAY);
    const user = await makeUser();
    const cookie = await cookieFor(user.id, WED - 2 * DAY);
    const due = [WED, WED + DAY, WED + 2 * DAY];
    const ids = [];
    for (const [i, dueAt] of due.entries()) {
      ids.push(await makeThread(user.id, { dueAt, subject: `Due ${i + 1}` }));
    }
    const later = await makeThread(user.id, { dueAt: WED + 20 * DAY, subject: "Later" });
    await setPaused(cookie, true, WED - DAY);
    for (const at of due) await cronAt(at);
    expect(await sentFor(user.email)).toEqual([]);
    for (const [i, id] of ids.entries()) {
      // Held with the time it was due, not pushed a day at a time.
      expect(await thread(id)).toMatchObject({ due_at: due[i], held: 1, lease_until: null });
    }
    // Resume on Tuesday 10 March at noon: the three go out at the next run, one per run
    // here (MAX_PER_RUN=1) to show the order, the oldest first; "Later" waits its turn.
    const resumeAt = WED + 6 * DAY + 4 * 3_600_000;
    await setPaused(await cookieFor(user.id, resumeAt), false, resumeAt);
    for (const id of ids) expect((await thread(id))?.held).toBe(0);
    const onePerRun = { ...env, MAX_PER_RUN: "1" } as Env;
    for (let i = 1; i <= 4; i++) await cronAt(resumeAt + i * 60_000, onePerRun);
    expect(await sentFor(user.email)).toEqual(["Re: Due 1", "Re: Due 2", "Re: Due 3"]);
    expect((await thread(later))?.reminders_sent).toBe(0);
  });

  it("never holds a thread whose owner resumed after the run read them as paused", async () => {
    vi.setSystemTime(WED - DAY);
    const user = await makeUser({ paused: true });
    const cookie = await cookieFor(user.id, WED - DAY);
    const id = await makeThread(user.id, { dueAt: WED });
    // A run claims the thread while the owner is paused...
    const claim = await claimDueThreads(env.DB, WED, 100);
    const claimed = claim.threads.find((t) => t.id === id);
    if (claimed === undefined) throw new Error("not claimed");
    // ...the owner resumes before the run writes, and then the run tries to hold it.
    await setPaused(cookie, false, WED + 1_000);
    await env.DB.batch(holdThread(env.DB, claimed, claim.lease));
    // Not held (it would never be sent): only the lease is dropped, so it is due again.
    expect(await thread(id)).toMatchObject({ held: 0, lease_until: null, due_at: WED });
  });

  it("releases every held reminder on resume, however many, and only the user's own", async () => {
    vi.setSystemTime(WED - DAY);
    const user = await makeUser({ paused: true });
    const other = await makeUser({ paused: true });
    await seedDueThreads(user.id, 1_200, WED - 10 * DAY, `h${user.id.slice(0, 4)}`);
    await seedDueThreads(other.id, 3, WED - 10 * DAY, `o${other.id.slice(0, 4)}`);
    await env.DB.prepare("update threads set held = 1 where user_id in (?, ?)")
      .bind(user.id, other.id)
      .run();
    await setPaused(await cookieFor(user.id, WED - DAY), false, WED);
    const held = async (userId: string) =>
      (
        await env.DB.prepare("select count(*) as n from threads where user_id = ? and held = 1")
          .bind(userId)
          .first<{ n: number }>()
      )?.n;
    expect(await held(user.id)).toBe(0);
    expect(await held(other.id)).toBe(3);
  });
});
