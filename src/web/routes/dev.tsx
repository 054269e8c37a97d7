import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { threads } from "../../db/schema";
import { listOutbox } from "../../mail/outbox-mailer";
import type { AppEnv } from "../context";
import { Layout } from "../layout";

/** Local development only (DEV_OUTBOX=true): what would have been sent, newest first. */
export const devRoutes = new Hono<AppEnv>();

devRoutes.use("/dev/*", async (c, next) => {
  if (!c.get("config").devOutbox) return c.notFound();
  await next();
});

devRoutes.get("/dev/outbox.json", async (c) => c.json({ messages: await listOutbox(c.get("db")) }));

devRoutes.get("/dev/outbox", async (c) => {
  const messages = await listOutbox(c.get("db"));
  return c.html(
    <Layout title="Dev outbox" user={c.get("user")}>
      <p>
        {messages.length === 0 ? "No mail yet." : `${messages.length} message(s), newest first.`}{" "}
        Also as <a href="/dev/outbox.json">JSON</a>.
      </p>
      {messages.map((m) => (
        <article class="mail">
          <h2>{m.subject}</h2>
          <p class="meta">
            To {m.to} · {m.createdAt}
            {m.replyTo === null ? "" : ` · Reply-To ${m.replyTo}`}
          </p>
          <details>
            <summary>Headers</summary>
            <pre>
              {Object.entries(m.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join("\n")}
            </pre>
          </details>
          <pre>{m.text}</pre>
        </article>
      ))}
    </Layout>,
  );
});

devRoutes.get("/dev/threads.json", async (c) => {
  const rows = await c.get("db").select().from(threads).orderBy(desc(threads.createdAt)).limit(200);
  return c.json({
    threads: rows.map((t) => ({
      ...t,
      dueAtIso: t.dueAt === null ? null : new Date(t.dueAt).toISOString(),
      contacts: JSON.parse(t.contactsJson) as unknown,
    })),
  });
});
