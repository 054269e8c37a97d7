import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDb, runBatch } from "../../src/db/client";
import { insertLoginToken, LOGIN_TOKEN_TTL_MS, newLoginToken } from "../../src/db/login-tokens";
import { deliver, mime } from "../helpers/email";
import { FAKE_RESEND, FakeResend } from "../helpers/fake-resend";
import { BASE, COOKIE, countWhere, lastMailTo, linkIn, makeUser, web } from "./helpers";

const pathOf = (link: string) => link.slice(BASE.length);

/** Stores a token for a user as if it had been issued at `issuedAt`. */
async function tokenIssuedAt(userId: string, issuedAt: number) {
  const db = openDb(env.DB);
  const { token, hash } = await newLoginToken();
  await runBatch(db, [insertLoginToken(db, hash, userId, issuedAt)]);
  return token;
}

describe("sign-in by email link", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("sends the link through the Mailer the request was given: Resend when configured", async () => {
    const resend = new FakeResend();
    resend.install();
    const user = await makeUser();
    const bindings = { ...env, RESEND_API_KEY: "re_test", RESEND_BASE_URL: FAKE_RESEND } as Env;
    const asked = await web("/login", { form: { email: user.email } }, bindings);
    expect(asked.status).toBe(200);
    expect(resend.delivered.map((d) => [d.email.to, d.email.subject])).toEqual([
      [user.email, "Your Sprout sign-in link"],
    ]);
    expect(await lastMailTo(user.email)).toBeNull();
  });

  it("mails a link whose GET only shows a button, and whose POST signs in once", async () => {
    const user = await makeUser();
    const asked = await web("/login", { form: { email: user.email.toUpperCase() } });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain("a sign-in link is on its way");
    const mail = await lastMailTo(user.email);
    expect(mail?.subject).toBe("Your Sprout sign-in link");
    const link = linkIn(mail?.text_body ?? "");
    expect(link.startsWith(`${BASE}/login/confirm?token=`)).toBe(true);
    // Only the hash is stored, never the token itself.
    const token = new URL(link).searchParams.get("token") ?? "";
    expect(token).toMatch(/^[a-z2-7]{52}$/);
    expect(await countWhere("login_tokens", "token_hash", token)).toBe(0);

    // A mail scanner opening the link twice changes nothing.
    for (let i = 0; i < 2; i++) {
      const shown = await web(pathOf(link));
      expect(shown.status).toBe(200);
      expect(shown.text).toContain(`Sign in as <strong>${user.email}</strong>`);
      expect(shown.text).toContain('<form method="post" action="/login/confirm">');
      expect(shown.res.headers.get("Set-Cookie")).toBeNull();
    }

    const signed = await web("/login/confirm", { form: { token } });
    expect(signed.status).toBe(303);
    expect(signed.res.headers.get("Location")).toBe("/threads");
    const cookie = signed.res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${COOKIE}=[a-z2-7]{52};`));
    for (const part of ["Path=/", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age=2592000"]) {
      expect(cookie).toContain(part);
    }
    expect(cookie).not.toContain("Domain=");
    const session = cookie.split(";")[0] ?? "";
    const threads = await web("/threads", { cookie: session });
    expect(threads.status).toBe(200);
    expect(threads.text).toContain("Your threads");

    const again = await web("/login/confirm", { form: { token } });
    expect(again.status).toBe(400);
    expect(again.text).toContain("already used");
    expect(again.res.headers.get("Set-Cookie")).toBeNull();
  });

  it("answers an unknown address exactly like a known one, and mails nothing (SIGNUP=closed)", async () => {
    const closed = { ...env, SIGNUP: "closed" } as Env;
    const known = await makeUser();
    const a = await web("/login", { form: { email: known.email } }, closed);
    const b = await web("/login", { form: { email: "stranger@example.net" } }, closed);
    expect(b.status).toBe(a.status);
    expect(b.text.replace("stranger@example.net", "X")).toBe(a.text.replace(known.email, "X"));
    expect(await lastMailTo("stranger@example.net")).toBeNull();
    expect(await countWhere("users", "email", "stranger@example.net")).toBe(0);
  });

  it("answers an unknown address like a known one with SIGNUP=open, and mails it the confirmation", async () => {
    const known = await makeUser();
    const a = await web("/login", { form: { email: known.email } });
    const b = await web("/login", { form: { email: "newcomer@example.net" } });
    expect(b.status).toBe(a.status);
    expect(b.text.replace("newcomer@example.net", "X")).toBe(a.text.replace(known.email, "X"));
    expect((await lastMailTo("newcomer@example.net"))?.subject).toBe(
      "Confirm your address to start using Sprout",
    );
    // Nothing more than the confirmation: no account until the link is used.
    expect(await countWhere("users", "email", "newcomer@example.net")).toBe(0);
  });

  it("sends at most 5 links an hour and 20 a day to an address, form and login@ together", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.parse("2026-03-03T10:00:00Z");
    try {
      const user = await makeUser();
      for (let i = 0; i < 4; i++) {
        vi.setSystemTime(start + i * 60_000);
        await web("/login", { form: { email: user.email } });
      }
      // The fifth comes by mail, the sixth from the form: the budget is one.
      vi.setSystemTime(start + 4 * 60_000);
      await deliver(mime({ from: user.email, to: "login@sprout.test" }), {
        from: user.email,
        to: "login@sprout.test",
      });
      vi.setSystemTime(start + 5 * 60_000);
      await web("/login", { form: { email: user.email } });
      expect(await countWhere("dev_outbox", "to_address", user.email)).toBe(5);
      expect(await countWhere("login_tokens", "user_id", user.id)).toBe(5);
      // Every hour five more, until 20 in the day.
      for (let hour = 1; hour < 6; hour++) {
        for (let i = 0; i < 6; i++) {
          vi.setSystemTime(start + hour * 3_600_000 + i * 60_000);
          await web("/login", { form: { email: user.email } });
        }
      }
      expect(await countWhere("dev_outbox", "to_address", user.email)).toBe(20);
      vi.setSystemTime(start + 86_400_000 + 60_000);
      await web("/login", { form: { email: user.email } });
      expect(await countWhere("dev_outbox", "to_address", user.email)).toBe(21);
    } finally {
      vi.useRealTimers();
    }
  });

  it("creates an OWNERS account on first sign-in", async () => {
    await web("/login", { form: { email: "owner@example.com" } });
    expect(linkIn((await lastMailTo("owner@example.com"))?.text_body ?? "")).toContain("token=");
  });

  it("refuses a malformed address with a 400 and the form again", async () => {
    const res = await web("/login", { form: { email: "not an address" } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('aria-invalid="true"');
  });

  it.each([
    ["expired", -LOGIN_TOKEN_TTL_MS - 1000, "has expired"],
    ["barely valid", -LOGIN_TOKEN_TTL_MS + 60_000, null],
  ])("treats a %s token accordingly", async (_name, age, message) => {
    const user = await makeUser();
    const token = await tokenIssuedAt(user.id, Date.now() + age);
    const shown = await web(`/login/confirm?token=${token}`);
    const used = await web("/login/confirm", { form: { token } });
    if (message === null) {
      expect(shown.status).toBe(200);
      expect(used.status).toBe(303);
    } else {
      expect(shown.status).toBe(400);
      expect(shown.text).toContain(message);
      expect(used.status).toBe(400);
      expect(used.text).toContain(message);
      expect(used.res.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("refuses a forged token on GET and POST", async () => {
    const forged = "a".repeat(52);
    const shown = await web(`/login/confirm?token=${forged}`);
    expect(shown.status).toBe(400);
    expect(shown.text).toContain("not valid");
    const used = await web("/login/confirm", { form: { token: forged } });
    expect(used.status).toBe(400);
    expect(used.res.headers.get("Set-Cookie")).toBeNull();
  });

  it("lets only one of two racing POSTs of one token sign in", async () => {
    const user = await makeUser();
    const token = await tokenIssuedAt(user.id, Date.now());
    const results = await Promise.all([
      web("/login/confirm", { form: { token } }),
      web("/login/confirm", { form: { token } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
    expect(await countWhere("sessions", "user_id", user.id)).toBe(1);
  });

  it("mails a working link in answer to login@", async () => {
    const user = await makeUser();
    const record = await deliver(mime({ from: user.email, to: `login@sprout.test` }), {
      from: user.email,
      to: "login@sprout.test",
    });
    expect(record.rejected).toBeNull();
    const mail = await lastMailTo(user.email);
    expect(mail?.subject).toBe("Your Sprout sign-in link");
    const token = new URL(linkIn(mail?.text_body ?? "")).searchParams.get("token") ?? "";
    expect((await web("/login/confirm", { form: { token } })).status).toBe(303);
  });

  it("uses a plain, non-Secure cookie when PUBLIC_URL is http (local development)", async () => {
    const user = await makeUser();
    const token = await tokenIssuedAt(user.id, Date.now());
    const local = { ...env, PUBLIC_URL: "http://127.0.0.1:8787" } as Env;
    const signed = await web("/login/confirm", { form: { token } }, local);
    const cookie = signed.res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^sprout_session=[a-z2-7]{52};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).not.toContain("Secure");
  });
});
