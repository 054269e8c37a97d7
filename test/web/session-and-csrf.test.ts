import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "../../src/db/sessions";
import { app } from "../../src/web/app";
import { COOKIE, cookieFor, makeThread, makeUser, rowWhere, web } from "./helpers";

/** Routes that answer without a session by design, and why. Every other route needs one. */
const PUBLIC: Record<string, string> = {
  "GET /": "the landing page",
  "GET /app.css": "the stylesheet",
  "GET /healthz": "the health check",
  "GET /login": "the sign-in form",
  "POST /login": "asking for a sign-in link",
  "GET /login/confirm": "the sign-in link's page",
  "POST /login/confirm": "using a sign-in link",
  "POST /logout": "signing out: harmless without a session",
  "GET /signup/confirm": "a confirmation link's page: the new address has no session yet",
  "POST /signup/confirm": "confirming a new address: the token is the authorisation",
  "GET /t/:id/:action": "a reminder's link: its signature is the authorisation",
  "POST /t/:id/:action": "a reminder's link: its signature is the authorisation",
  "GET /digest/unsubscribe": "the digest's unsubscribe link: signed",
  "POST /digest/unsubscribe": "the digest's one-click unsubscribe: signed",
  "POST /webhooks/resend": "Resend's webhook: its Svix signature is the authorisation",
  "GET /dev/outbox": "local development only (DEV_OUTBOX)",
  "GET /dev/outbox.json": "local development only (DEV_OUTBOX)",
  "GET /dev/threads.json": "local development only (DEV_OUTBOX)",
};

/** Every route the app serves (its middleware left out), as "METHOD /path". */
const ROUTES = [
  ...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`)),
];
const PROTECTED = ROUTES.filter((route) => PUBLIC[route] === undefined);

describe("sessions", () => {
  it("derives the routes that need a session from the app itself", () => {
    expect(ROUTES.filter((route) => PUBLIC[route] !== undefined).sort()).toEqual(
      Object.keys(PUBLIC).sort(),
    );
    for (const route of [
      "GET /threads",
      "POST /threads/:id/:action",
      "POST /settings",
      "GET /export/events.csv",
      "GET /account/delete",
      "POST /account/delete",
    ]) {
      expect(PROTECTED).toContain(route);
    }
  });

  it.each(PROTECTED)(
    "answers %s without a session with 401 and the sign-in form",
    async (route) => {
      const owner = await makeUser();
      const thread = await makeThread(owner.id);
      const [method = "GET", pattern = ""] = route.split(" ");
      const path = pattern.replace(":id", thread).replace(":action", "stop");
      const res = await web(path, method === "GET" ? {} : { form: { confirm: owner.email } });
      expect(res.status).toBe(401);
      expect(res.text).toContain('action="/login"');
      expect((await rowWhere("threads", "id", thread))?.status).toBe("scheduled");
      expect(await rowWhere("users", "id", owner.id)).not.toBeNull();
    },
  );

  it("answers /threads?view=failed without a session with 401 and the sign-in form", async () => {
    const res = await web("/threads?view=failed");
    expect(res.status).toBe(401);
    expect(res.text).toContain('action="/login"');
  });

  it("signs out without a session harmlessly: it says so and clears the cookie", async () => {
    const res = await web("/logout", { form: {} });
    expect(res.status).toBe(200);
    expect(res.text).toContain("You are signed out.");
    expect(res.res.headers.get("Set-Cookie")).toMatch(new RegExp(`^${COOKIE}=;.*Max-Age=0`));
  });

  it("refuses a POST without a session with 401 and changes nothing", async () => {
    const user = await makeUser();
    const id = await makeThread(user.id);
    const res = await web(`/threads/${id}/stop`, { form: {} });
    expect(res.status).toBe(401);
    expect((await rowWhere("threads", "id", id))?.status).toBe("scheduled");
    const settings = await web("/settings", { form: { timeZone: "Europe/Paris" } });
    expect(settings.status).toBe(401);
  });

  it("refuses an unknown session id", async () => {
    const res = await web("/threads", { cookie: `${COOKIE}=${"b".repeat(52)}` });
    expect(res.status).toBe(401);
  });

  it("ends a session after the idle limit and after the absolute limit", async () => {
    const user = await makeUser();
    const idle = await cookieFor(user.id, Date.now() - SESSION_IDLE_MS - 1000);
    expect((await web("/threads", { cookie: idle })).status).toBe(401);
    const old = await cookieFor(user.id, Date.now() - SESSION_ABSOLUTE_MS - 1000);
    // Seen a minute ago, but started more than 30 days ago.
    await env.DB.prepare("update sessions set last_seen_at = ? where created_at < ?")
      .bind(Date.now() - 60_000, Date.now() - SESSION_ABSOLUTE_MS)
      .run();
    expect((await web("/threads", { cookie: old })).status).toBe(401);
    const fresh = await cookieFor(user.id, Date.now() - SESSION_IDLE_MS + 60_000);
    expect((await web("/threads", { cookie: fresh })).status).toBe(200);
  });

  it("signs out: the session row goes and the cookie is cleared", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const out = await web("/logout", { cookie, form: {} });
    expect(out.status).toBe(200);
    expect(out.res.headers.get("Set-Cookie")).toMatch(new RegExp(`^${COOKIE}=;.*Max-Age=0`));
    expect((await web("/threads", { cookie })).status).toBe(401);
  });
});

describe("cross-site requests", () => {
  it.each([
    ["Sec-Fetch-Site cross-site", { site: "cross-site" }],
    ["Sec-Fetch-Site same-site", { site: "same-site" }],
    ["a foreign Origin", { site: null, origin: "https://evil.example" }],
    ["an opaque Origin", { site: null, origin: "null" }],
    ["neither header", { site: null }],
  ])("refuses a POST with %s (403, nothing changes)", async (_name, headers) => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const id = await makeThread(user.id);
    const res = await web(`/threads/${id}/stop`, { cookie, form: {}, ...headers });
    expect(res.status).toBe(403);
    expect(res.text).toContain("Request refused");
    expect((await rowWhere("threads", "id", id))?.status).toBe("scheduled");
    const del = await web("/account/delete", { cookie, form: { confirm: user.email }, ...headers });
    expect(del.status).toBe(403);
    expect(await rowWhere("users", "id", user.id)).not.toBeNull();
  });

  it("accepts a POST whose Origin is this deployment's when Sec-Fetch-Site is absent", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const id = await makeThread(user.id);
    const res = await web(`/threads/${id}/stop`, {
      cookie,
      form: {},
      site: null,
      origin: "https://sprout.test",
    });
    expect(res.status).toBe(200);
    expect((await rowWhere("threads", "id", id))?.status).toBe("stopped");
  });
});

describe("security headers", () => {
  it("serves every page with a strict CSP, no inline script and a same-origin stylesheet", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    for (const path of ["/", "/login", "/threads", "/settings", "/stats", "/account/delete"]) {
      // Signed in, /login sends you on to your threads; its form is for the signed-out.
      const res = await web(path, path === "/login" ? {} : { cookie });
      expect(res.status, path).toBe(200);
      const csp = res.res.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.text).not.toMatch(/<script|\sstyle="|\son[a-z]+=/i);
      expect(res.text).toContain('<link rel="stylesheet" href="/app.css"/>');
      expect(res.res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    }
    const css = await web("/app.css");
    expect(css.res.headers.get("Content-Type")).toContain("text/css");
    expect(css.text).toContain(".thread{");
  });

  it("answers an unknown path with a 404 page", async () => {
    const res = await web("/no/such/page");
    expect(res.status).toBe(404);
    expect(res.text).toContain("There is no page here");
  });
});
