import { Hono } from "hono";
import type { AppEnv } from "../context";
import { Layout } from "../layout";
import { STYLESHEET } from "../styles";

/** The landing page, the stylesheet and the health check. */
export const landingRoutes = new Hono<AppEnv>();

landingRoutes.get("/", (c) => {
  const d = c.get("config").mailDomain;
  const user = c.get("user");
  return c.html(
    <Layout title="Sprout: follow-up reminders for your outreach" user={user}>
      <p>
        Write to anyone as usual and add a Sprout address in <strong>Bcc</strong>. If they have not
        replied by then, Sprout reminds you, in the same conversation. It never writes to the people
        you contact.
      </p>
      <h2>Addresses on this Sprout</h2>
      <ul>
        <li>
          <code>follow@{d}</code>: remind me on my cadence (3 business days, 1 week, 2 weeks, 3
          months)
        </li>
        <li>
          <code>3d@{d}</code>, <code>tomorrow9am@{d}</code>, <code>aug15@{d}</code>: remind me then
        </li>
        <li>
          <code>every3months@{d}</code>: keep in touch until I say stop
        </li>
        <li>
          <code>list@{d}</code>: email me my pending follow-ups; <code>help@{d}</code>: every format
        </li>
        <li>
          <code>login@{d}</code>: email me a sign-in link for this page
        </li>
      </ul>
      <p>
        Answer a reminder with one word (<code>done</code>, <code>replied</code>,{" "}
        <code>snooze 1w</code>, <code>stop</code>) or use its links.
      </p>
      <p>
        {user === null ? (
          <a class="button" href="/login">
            Sign in to see your threads
          </a>
        ) : (
          <a class="button" href="/threads">
            Your threads
          </a>
        )}
      </p>
    </Layout>,
  );
});

landingRoutes.get("/app.css", (c) => {
  c.header("Content-Type", "text/css; charset=utf-8");
  c.header("Cache-Control", "public, max-age=3600");
  return c.body(STYLESHEET);
});

landingRoutes.get("/healthz", (c) => c.json({ ok: true }));
