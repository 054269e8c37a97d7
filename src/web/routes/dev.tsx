import { Hono } from "hono";
import { latestThreads, listOutbox } from "../../db/dev";
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

devRoutes.get("/dev/threads.json", async (c) =>
  c.json({ threads: await latestThreads(c.get("db")) }),
);
