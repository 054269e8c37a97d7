import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { type Config, describeConfigError, parseConfig } from "../config";
import { type Db, openDb } from "../db/client";
import { threads } from "../db/schema";
import { listOutbox } from "../mail/outbox-mailer";
import { escapeHtml } from "../mail/templates/layout";

type AppEnv = { Bindings: Env; Variables: { config: Config; db: Db } };

/** The web app: landing page and, in local development, the outbox. */
export const app = new Hono<AppEnv>();

app.use("*", async (c, next) => {
  const config = parseConfig(c.env);
  if (!config.ok) {
    return c.html(
      page("Sprout is not configured", html`<p>${describeConfigError(config.error)}</p>`),
      500,
    );
  }
  c.set("config", config.value);
  c.set("db", openDb(c.env.DB));
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  await next();
});

app.onError((e, c) => {
  console.error(JSON.stringify({ event: "web-error", message: e.message }));
  return c.html(
    page("Something went wrong", html`<p>Sprout hit an unexpected error. Please try again.</p>`),
    500,
  );
});

app.notFound((c) => c.html(page("Not found", html`<p>There is no page here.</p>`), 404));

app.get("/", (c) => {
  const d = c.get("config").mailDomain;
  return c.html(
    page(
      "Sprout",
      html`<p>Sprout reminds you to follow up on your outreach. Write to anyone as usual and add
        a Sprout address in Bcc; if they have not replied, Sprout reminds you, in the same conversation.</p>
        <ul>
          <li><code>follow@${d}</code>: remind me on my cadence (3 business days, 1 week, 2 weeks, 3 months)</li>
          <li><code>3d@${d}</code>, <code>tomorrow9am@${d}</code>, <code>aug15@${d}</code>: remind me then</li>
          <li><code>every3months@${d}</code>: keep in touch until I say stop</li>
          <li><code>list@${d}</code>: email me my pending follow-ups; <code>help@${d}</code>: every format</li>
        </ul>`,
    ),
  );
});

app.get("/healthz", (c) => c.json({ ok: true }));

// Local development only (DEV_OUTBOX=true): what would have been sent, newest first.
app.use("/dev/*", async (c, next) => {
  if (!c.get("config").devOutbox) return c.notFound();
  await next();
});

app.get("/dev/outbox.json", async (c) => c.json({ messages: await listOutbox(c.get("db")) }));

app.get("/dev/outbox", async (c) => {
  const messages = await listOutbox(c.get("db"));
  const items = messages.map(
    (
      m,
    ) => html`<article style="border:1px solid #d1d5db;border-radius:8px;padding:12px;margin:12px 0">
      <h2 style="font-size:1.05rem;margin:0 0 4px">${m.subject}</h2>
      <p style="margin:0;color:#4b5563">To ${m.to} · ${m.createdAt}${m.replyTo === null ? "" : ` · Reply-To ${m.replyTo}`}</p>
      <details><summary>Headers</summary><pre>${Object.entries(m.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n")}</pre></details>
      <pre style="white-space:pre-wrap">${m.text}</pre>
    </article>`,
  );
  return c.html(
    page(
      "Dev outbox",
      html`<p>${messages.length === 0 ? "No mail yet." : `${messages.length} message(s), newest first.`}
        Also as <a href="/dev/outbox.json">JSON</a>.</p>${items}`,
    ),
  );
});

app.get("/dev/threads.json", async (c) => {
  const rows = await c.get("db").select().from(threads).orderBy(desc(threads.createdAt)).limit(200);
  return c.json({
    threads: rows.map((t) => ({
      ...t,
      dueAtIso: t.dueAt === null ? null : new Date(t.dueAt).toISOString(),
      contacts: JSON.parse(t.contactsJson) as unknown,
    })),
  });
});

function page(title: string, body: unknown) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111827">
<header><a href="/" style="color:#166534;font-weight:700;text-decoration:none">Sprout</a></header>
<main><h1>${raw(escapeHtml(title))}</h1>${body}</main></body></html>`;
}
