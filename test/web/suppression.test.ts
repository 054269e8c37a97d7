import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { formatLocal } from "../../src/domain/zoned-time";
import { SUPPRESSED_REASON } from "../../src/mail/screen";
import { bounce, complaint, postWebhook, resendEvent, suppressionRow } from "../helpers/webhook";
import { cookieFor, makeUser, rowWhere, web } from "./helpers";

// The web page of a user whose address is suppressed (SPEC section 9): the threads page
// says why and when, with a button that lifts the suppression (POST, same origin, the
// session's own address only).
const NOW = Date.parse("2026-03-04T08:00:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

async function suppressedUser(event: (to: string) => string, timeZone = "Europe/Berlin") {
  const user = await makeUser({ timeZone, digestEnabled: true });
  const res = await postWebhook(event(user.email));
  expect(res.status).toBe(200);
  return { ...user, cookie: await cookieFor(user.id) };
}

const threadsPage = async (cookie: string) => (await web("/threads", { cookie })).text;

describe("the notice on the threads page", () => {
  it("is absent while mail flows", async () => {
    const user = await makeUser();
    const page = await threadsPage(await cookieFor(user.id));
    expect(page).not.toContain("Sprout has stopped emailing you");
    expect(page).not.toContain('action="/mail/resume"');
  });

  it("says a bounce stopped the mail, when (in the user's zone), why, and offers to resume", async () => {
    const user = await suppressedUser((to) => bounce(to));
    const page = await threadsPage(user.cookie);
    expect(page).toContain("Sprout has stopped emailing you");
    expect(page).toContain(`On ${formatLocal(new Date(NOW), "Europe/Berlin")}, mail to`);
    expect(page).toContain(`<strong>${user.email}</strong> bounced`);
    expect(page).toContain("Permanent/General: 550 5.1.1 The email account does not exist.");
    expect(page).toContain("reminders that come due meanwhile are not sent, now or later");
    expect(page).toMatch(
      /<form method="post" action="\/mail\/resume"><button type="submit">Resume emails<\/button><\/form>/,
    );
  });

  it("says a spam report stopped the mail and the digest, and that resuming keeps the digest off", async () => {
    const user = await suppressedUser(complaint);
    const page = await threadsPage(user.cookie);
    expect(page).toContain("was reported as spam from your mailbox");
    expect(page).toContain("Sprout also turned your weekly digest off");
    expect(page).toContain("Resuming does not turn the weekly digest back on");
  });

  it("says when Resend's own list is the reason, and who can lift that", async () => {
    const user = await suppressedUser((to) =>
      resendEvent("email.suppressed", to, {
        suppressed: { type: "OnAccountSuppressionList", message: "Suppressed." },
      }),
    );
    const page = await threadsPage(user.cookie);
    expect(page).toContain(
      "the address is on Resend&#39;s own suppression list (OnAccountSuppressionList: Suppressed.)",
    );
    expect(page).toContain("ask whoever runs this Sprout to remove");
  });

  it("escapes what the webhook said (it is text from outside)", async () => {
    const user = await makeUser();
    await postWebhook(
      resendEvent("email.bounced", user.email, {
        bounce: { type: "Permanent", subType: "General", message: '<script>alert("x")</script>' },
      }),
    );
    const page = await threadsPage(await cookieFor(user.id));
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;");
  });

  it("lists the mail that was not sent under Failed deliveries, saying why", async () => {
    const user = await suppressedUser((to) => bounce(to));
    await env.DB.prepare(
      "insert into deliveries (id, user_id, kind, payload, subject, status, last_error, next_attempt_at, created_at) values (?, ?, 'reminder', '{}', 'Re: Coffee?', 'suppressed', ?, ?, ?)",
    )
      .bind(`sup-${user.id}`, user.id, SUPPRESSED_REASON, NOW, NOW)
      .run();
    const page = (await web("/threads?view=failed", { cookie: user.cookie })).text;
    expect(page).toContain("Re: Coffee?");
    expect(page).toContain("not sent: your address was suppressed");
  });
});

describe("the resume button", () => {
  it("lifts the suppression of the signed-in user's own address, and only that", async () => {
    const user = await suppressedUser((to) => bounce(to));
    const other = await suppressedUser((to) => bounce(to));
    const res = await web("/mail/resume", { cookie: user.cookie, form: {} });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Emails resumed");
    expect(res.text).toContain(
      "Emails that were not sent while they were stopped are not sent now",
    );
    expect(await suppressionRow(user.email)).toBeNull();
    expect(await suppressionRow(other.email)).not.toBeNull();
    expect(await threadsPage(user.cookie)).not.toContain("Sprout has stopped emailing you");
    // A second press changes nothing and says so.
    const again = await web("/mail/resume", { cookie: user.cookie, form: {} });
    expect(again.text).toContain("Nothing was stopped: Sprout already emails you.");
  });

  it("keeps the digest off after a complaint", async () => {
    const user = await suppressedUser(complaint);
    await web("/mail/resume", { cookie: user.cookie, form: {} });
    expect((await rowWhere("users", "id", user.id))?.digest_enabled).toBe(0);
  });

  it("refuses a cross-site POST (403) and one without a session (401), lifting nothing", async () => {
    const user = await suppressedUser((to) => bounce(to));
    const crossSite = await web("/mail/resume", {
      cookie: user.cookie,
      form: {},
      site: "cross-site",
    });
    expect(crossSite.status).toBe(403);
    const noOrigin = await web("/mail/resume", { cookie: user.cookie, form: {}, site: null });
    expect(noOrigin.status).toBe(403);
    const signedOut = await web("/mail/resume", { form: {} });
    expect(signedOut.status).toBe(401);
    const getOnly = await web("/mail/resume", { cookie: user.cookie });
    expect(getOnly.status).toBe(404);
    expect(await suppressionRow(user.email)).not.toBeNull();
  });
});

describe("your data", () => {
  it("the export says why mail stopped; deleting the account removes the suppression", async () => {
    const user = await suppressedUser(complaint);
    const json = JSON.parse((await web("/export.json", { cookie: user.cookie })).text) as {
      suppression: unknown;
    };
    expect(json.suppression).toEqual({
      cause: "complaint",
      detail: "spam complaint",
      event: "email.complained",
      at: new Date(NOW).toISOString(),
    });
    const res = await web("/account/delete", {
      cookie: user.cookie,
      form: { confirm: user.email },
    });
    expect(res.status).toBe(200);
    expect(await suppressionRow(user.email)).toBeNull();
  });

  it("exports no suppression while mail flows", async () => {
    const user = await makeUser();
    const json = JSON.parse((await web("/export.json", { cookie: await cookieFor(user.id) })).text);
    expect(json.suppression).toBeNull();
  });
});
