import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxReplyingTo, threadByMessageId } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";
import { cronAt, DAY, HOUR, wipe } from "../helpers/scenario";
import { BASE, COOKIE, countWhere, web } from "./helpers";

// SPEC section 6 through app.request: the confirmation link of a new address. GET shows a
// page, POST confirms: the user is created and the held mail processed, in arrival order,
// before the answer; the user lands signed in on the threads page.

// Tuesday 3 March 2026, 10:00 UTC.
const T0 = Date.parse("2026-03-03T10:00:00Z");
const CONFIRM = "Confirm your address to start using Sprout";

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  await wipe();
});
afterEach(() => {
  vi.useRealTimers();
});

let serial = 0;

/** A fresh stranger's address, so tests never share one. */
function stranger(): string {
  serial += 1;
  return `sam${serial}-${crypto.randomUUID().slice(0, 8)}@newcomer.example`;
}

/** The stranger writes to a Sprout address at `at`; returns the message's id. */
async function writes(from: string, to: string, at: number, subject = "Coffee next week?") {
  vi.setSystemTime(at);
  const messageId = uniqueId("held");
  const record = await deliver(
    mime({ from: `Sam Newcomer <${from}>`, to: "Jane Doe <jane@example.org>", subject, messageId }),
    { from, to },
  );
  expect(record.rejected).toBeNull();
  return messageId;
}

/** The token of the newest confirmation email to an address. */
async function tokenFor(email: string): Promise<string> {
  const row = await env.DB.prepare(
    "select text_body from dev_outbox where to_address = ? and subject = ? order by id desc limit 1",
  )
    .bind(email, CONFIRM)
    .first<{ text_body: string }>();
  const m = /\/signup\/confirm\?token=([a-z2-7]+)/.exec(row?.text_body ?? "");
  if (m?.[1] === undefined) throw new Error(`no confirmation link for ${email}`);
  return m[1];
}

/** Confirms at `at` as a browser would: GET the link's page, then POST its form. */
async function confirm(token: string, at: number) {
  vi.setSystemTime(at);
  const page = await web(`/signup/confirm?token=${token}`);
  const posted = await web("/signup/confirm", { form: { token } });
  return { page, posted, cookie: (posted.res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}

describe("confirming a new address", () => {
  it("shows a page on GET that changes nothing, however often a scanner opens it", async () => {
    const email = stranger();
    await writes(email, "3d@sprout.test", T0);
    const token = await tokenFor(email);
    for (let i = 0; i < 2; i++) {
      const page = await web(`/signup/confirm?token=${token}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`Start using Sprout as <strong>${email}</strong>?`);
      expect(page.text).toContain("acts on the message you sent to Sprout");
      expect(page.text).toContain('<form method="post" action="/signup/confirm">');
      expect(page.res.headers.get("Set-Cookie")).toBeNull();
    }
    expect(await countWhere("users", "email", email)).toBe(0);
    expect(await countWhere("signup_holds", "email", email)).toBe(1);
  });

  it("creates the user, processes the held mail in arrival order at its arrival times, then signs in", async () => {
    const email = stranger();
    const first = await writes(email, "3d@sprout.test", T0, "First: platform role");
    const second = await writes(email, "follow@sprout.test", T0 + HOUR, "Second: design review");
    const help = await writes(email, "help@sprout.test", T0 + 2 * HOUR, "help");
    await writes(email, "list@sprout.test", T0 + 3 * HOUR, "list");
    await writes(email, "login@sprout.test", T0 + 4 * HOUR, "login");
    const badTime = await writes(email, "3dayz@sprout.test", T0 + 5 * HOUR, "Third: a typo");
    const token = await tokenFor(email);
    // Nothing but the one confirmation reached the address while it was pending.
    expect(await countWhere("dev_outbox", "to_address", email)).toBe(1);

    const confirmedAt = T0 + 2 * DAY;
    const { posted, cookie } = await confirm(token, confirmedAt);
    expect(posted.status).toBe(303);
    expect(posted.res.headers.get("Location")).toBe("/threads");
    expect(cookie).toMatch(new RegExp(`^${COOKIE}=[a-z2-7]{52}$`));

    const user = await env.DB.prepare("select * from users where email = ?")
      .bind(email)
      .first<Record<string, unknown>>();
    expect(user).toMatchObject({
      status: "verified",
      time_zone: "UTC",
      reminder_minutes: 480,
      cadence: "3bd,1w,2w,3mo",
      created_at: confirmedAt,
    });
    // Each thread is sent when its message arrived; times count from there.
    const a = await threadByMessageId(first);
    const b = await threadByMessageId(second);
    const c = await threadByMessageId(badTime);
    expect(a).toMatchObject({ user_id: user?.id, sent_at: T0, status: "scheduled" });
    // 3d@ on Tuesday 10:00 is Friday 6 March at 08:00.
    expect(a?.due_at).toBe(Date.parse("2026-03-06T08:00:00Z"));
    expect(b).toMatchObject({ sent_at: T0 + HOUR, status: "scheduled" });
    expect(c).toMatchObject({ sent_at: T0 + 5 * HOUR, status: "unscheduled" });
    const { results: events } = await env.DB.prepare(
      "select kind, at from events where user_id = ? order by id",
    )
      .bind(user?.id)
      .all<{ kind: string; at: number }>();
    expect(events).toEqual([
      { kind: "outreach", at: T0 },
      { kind: "outreach", at: T0 + HOUR },
      { kind: "outreach", at: T0 + 5 * HOUR },
    ]);
    // help@ is answered, under the question; list@ and login@ are answered by the page the
    // user lands on; the time that did not parse gets its error reply.
    const [helpReply] = await outboxReplyingTo(help);
    expect(helpReply?.subject).toBe("How to use Sprout");
    const [timeError] = await outboxReplyingTo(badTime);
    expect(timeError?.subject).toBe("Re: Third: a typo");
    expect(String(timeError?.text_body)).toContain('did not understand "dayz" in "3dayz"');
    expect(
      (
        await env.DB.prepare("select subject from dev_outbox where to_address = ? order by id")
          .bind(email)
          .all<{ subject: string }>()
      ).results.map((r) => r.subject),
    ).toEqual([CONFIRM, "How to use Sprout", "Re: Third: a typo"]);
    expect(await countWhere("login_tokens", "user_id", String(user?.id))).toBe(0);
    const { results: outcomes } = await env.DB.prepare(
      "select outcome from inbound where id like '%:confirmed' order by received_at",
    ).all<{ outcome: string }>();
    expect(outcomes.map((o) => o.outcome)).toEqual([
      "tracked",
      "tracked",
      "help",
      "list:on-the-web",
      "login:on-the-web",
      "unscheduled:bad-time",
    ]);
    expect(await countWhere("signup_holds", "email", email)).toBe(0);

    // Signed in, on the threads page, which lists them.
    const threads = await web("/threads", { cookie });
    expect(threads.status).toBe(200);
    for (const subject of ["First: platform role", "Second: design review"]) {
      expect(threads.text).toContain(subject);
    }
    const waiting = await web("/threads?view=waiting", { cookie });
    expect(waiting.text).toContain("Third: a typo");
  });

  it("gives the held outreach its first reminder when the clock reaches it", async () => {
    const email = stranger();
    const messageId = await writes(email, "3d@sprout.test", T0, "Platform role");
    await confirm(await tokenFor(email), T0 + DAY);
    await cronAt(Date.parse("2026-03-06T08:01:00Z"));
    const reminders = await outboxReplyingTo(messageId);
    expect(reminders.map((m) => [m.to_address, m.subject])).toEqual([[email, "Re: Platform role"]]);
  });

  it("confirms an address that asked on the sign-in form: an account with nothing held", async () => {
    const email = stranger();
    await web("/login", { form: { email } });
    const { posted, cookie } = await confirm(await tokenFor(email), T0 + HOUR);
    expect(posted.status).toBe(303);
    expect(await countWhere("users", "email", email)).toBe(1);
    expect((await web("/threads", { cookie })).status).toBe(200);
  });
});

describe("confirmation links, hostile", () => {
  it.each([
    ["truncated by one character", (t: string) => t.slice(0, -1)],
    ["with one character more", (t: string) => `${t}a`],
    ["upper-cased", (t: string) => t.toUpperCase()],
    ["forged", () => "a".repeat(52)],
    ["empty", () => ""],
  ])("refuses a token %s on GET and POST, and confirms nothing", async (_n, alter) => {
    const email = stranger();
    await writes(email, "3d@sprout.test", T0);
    const token = alter(await tokenFor(email));
    const page = await web(`/signup/confirm?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(400);
    expect(page.text).toContain("This confirmation link is not valid");
    const posted = await web("/signup/confirm", { form: { token } });
    expect(posted.status).toBe(400);
    expect(posted.res.headers.get("Set-Cookie")).toBeNull();
    expect(await countWhere("users", "email", email)).toBe(0);
    expect(await countWhere("signup_holds", "email", email)).toBe(1);
  });

  it("works for 7 days, not a minute more", async () => {
    const email = stranger();
    await writes(email, "3d@sprout.test", T0);
    const token = await tokenFor(email);
    vi.setSystemTime(T0 + 7 * DAY);
    const late = await web("/signup/confirm", { form: { token } });
    expect(late.status).toBe(400);
    expect(late.text).toContain("has expired");
    expect(await countWhere("users", "email", email)).toBe(0);
    vi.setSystemTime(T0 + 7 * DAY - 60_000);
    expect((await web("/signup/confirm", { form: { token } })).status).toBe(303);
  });

  it("works once: a second POST says it was used, and processes nothing again", async () => {
    const email = stranger();
    const messageId = await writes(email, "3d@sprout.test", T0);
    const token = await tokenFor(email);
    expect((await confirm(token, T0 + HOUR)).posted.status).toBe(303);
    const again = await web("/signup/confirm", { form: { token } });
    expect(again.status).toBe(400);
    expect(again.text).toContain("already used");
    expect(again.res.headers.get("Set-Cookie")).toBeNull();
    const page = await web(`/signup/confirm?token=${token}`);
    expect(page.text).toContain("already used");
    expect(await countWhere("threads", "message_id", messageId)).toBe(1);
  });

  it("lets one of two racing POSTs sign in, and processes each held message once", async () => {
    const email = stranger();
    const ids = [
      await writes(email, "3d@sprout.test", T0),
      await writes(email, "follow@sprout.test", T0 + 1000),
      await writes(email, "help@sprout.test", T0 + 2000, "help"),
    ];
    const token = await tokenFor(email);
    vi.setSystemTime(T0 + HOUR);
    const results = await Promise.all([
      web("/signup/confirm", { form: { token } }),
      web("/signup/confirm", { form: { token } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
    expect(await countWhere("users", "email", email)).toBe(1);
    const user = await env.DB.prepare("select id from users where email = ?")
      .bind(email)
      .first<{ id: string }>();
    expect(await countWhere("sessions", "user_id", String(user?.id))).toBe(1);
    expect(await countWhere("threads", "user_id", String(user?.id))).toBe(2);
    expect(await countWhere("events", "user_id", String(user?.id))).toBe(2);
    expect((await outboxReplyingTo(ids[2] ?? "")).length).toBe(1);
  });

  it("lets two different links of one address race: one user, each message once", async () => {
    const email = stranger();
    await writes(email, "3d@sprout.test", T0);
    const first = await tokenFor(email);
    await writes(email, "follow@sprout.test", T0 + DAY + 1000);
    const second = await tokenFor(email);
    expect(second).not.toBe(first);
    vi.setSystemTime(T0 + DAY + HOUR);
    const results = await Promise.all([
      web("/signup/confirm", { form: { token: first } }),
      web("/signup/confirm", { form: { token: second } }),
    ]);
    expect(results.map((r) => r.status).filter((s) => s === 303).length).toBeGreaterThanOrEqual(1);
    const user = await env.DB.prepare("select id from users where email = ?")
      .bind(email)
      .first<{ id: string }>();
    expect(await countWhere("threads", "user_id", String(user?.id))).toBe(2);
  });

  it("creates no account once SIGNUP=closed, though the link was sent while it was open", async () => {
    const email = stranger();
    await writes(email, "3d@sprout.test", T0);
    const token = await tokenFor(email);
    const closed = { ...env, SIGNUP: "closed" } as Env;
    const page = await web(`/signup/confirm?token=${token}`, {}, closed);
    expect(page.status).toBe(403);
    expect(page.text).toContain("no longer accepts new users");
    const posted = await web("/signup/confirm", { form: { token } }, closed);
    expect(posted.status).toBe(403);
    expect(posted.res.headers.get("Set-Cookie")).toBeNull();
    expect(await countWhere("users", "email", email)).toBe(0);
    expect(await countWhere("signup_holds", "email", email)).toBe(1);
  });

  it("refuses a confirmation POSTed from another site", async () => {
    const email = stranger();
    await writes(email, "3d@sprout.test", T0);
    const token = await tokenFor(email);
    const posted = await web("/signup/confirm", { form: { token }, site: "cross-site" });
    expect(posted.status).toBe(403);
    expect(await countWhere("users", "email", email)).toBe(0);
  });
});

describe("the cron job's sweep", () => {
  it("deletes holds and links not confirmed within 7 days; the link then confirms nothing", async () => {
    const email = stranger();
    await writes(email, "3d@sprout.test", T0);
    const token = await tokenFor(email);
    await cronAt(T0 + 7 * DAY - 60_000);
    expect(await countWhere("signup_holds", "email", email)).toBe(1);
    expect(await countWhere("signup_links", "email", email)).toBe(1);
    const summary = await cronAt(T0 + 7 * DAY + 60_000);
    expect(summary.retention).toMatchObject({ "signup-holds": 1, "signup-links": 1 });
    expect(await countWhere("signup_holds", "email", email)).toBe(0);
    expect(await countWhere("signup_links", "email", email)).toBe(0);
    const late = await web("/signup/confirm", { form: { token } });
    expect(late.status).toBe(400);
    expect(await countWhere("users", "email", email)).toBe(0);
  });

  it("keeps a later message held for its own 7 days", async () => {
    const email = stranger();
    await writes(email, "3d@sprout.test", T0);
    const later = await writes(email, "follow@sprout.test", T0 + 3 * DAY);
    await cronAt(T0 + 7 * DAY + 60_000);
    const { results } = await env.DB.prepare("select received_at from signup_holds where email = ?")
      .bind(email)
      .all<{ received_at: number }>();
    expect(results).toEqual([{ received_at: T0 + 3 * DAY }]);
    expect(later).toContain("@");
  });
});

it("keeps the link in the confirmation email pointing at PUBLIC_URL", async () => {
  const email = stranger();
  await writes(email, "3d@sprout.test", T0);
  const row = await env.DB.prepare("select text_body from dev_outbox where to_address = ?")
    .bind(email)
    .first<{ text_body: string }>();
  expect(row?.text_body).toContain(`${BASE}/signup/confirm?token=`);
});
