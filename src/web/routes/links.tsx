import { Hono } from "hono";
import type { ThreadRow } from "../../db/schema";
import { findThread } from "../../db/threads";
import { findUserById } from "../../db/users";
import { isLinkAction, type LinkAction, verifyActionLink } from "../../domain/links";
import { type AppEnv, type Ctx, field } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { ACTION_TEXT, actOnThread, DEFAULT_SNOOZE } from "../thread-action";
import { contactLine } from "../thread-card";

/**
 * The pages a reminder's links open: GET only shows what will happen (mail scanners open
 * links), POST acts. The signature is the authorisation, so no session is needed.
 */
export const linkRoutes = new Hono<AppEnv>();

type Checked = { ok: true; thread: ThreadRow; action: LinkAction; sig: string } | { ok: false };

async function checkLink(c: Ctx, sig: string): Promise<Checked> {
  const id = c.req.param("id") ?? "";
  const action = c.req.param("action") ?? "";
  if (!isLinkAction(action)) return { ok: false };
  if (!(await verifyActionLink(c.get("config").signingSecret, id, action, sig))) {
    return { ok: false };
  }
  const thread = await findThread(c.get("db"), id);
  return thread === null ? { ok: false } : { ok: true, thread, action, sig };
}

linkRoutes.get("/t/:id/:action", async (c) => {
  const link = await checkLink(c, c.req.query("s") ?? "");
  if (!link.ok) return failurePage(c, { kind: "bad-link" });
  const { thread, action, sig } = link;
  const text = ACTION_TEXT[action];
  return c.html(
    <Layout title={`${text.button}?`} user={c.get("user")}>
      <p>
        About “{thread.subject}”, to {contactLine(thread)}.
      </p>
      <p>{text.explain}</p>
      <form method="post" action={`/t/${thread.id}/${action}`}>
        <input type="hidden" name="s" value={sig} />
        {action === "snooze" ? (
          <>
            <label for="when">Snooze until</label>
            <p class="hint" id="when-hint">
              For example 1w, 3d, next tuesday, tomorrow 9am.
            </p>
            <input
              type="text"
              id="when"
              name="when"
              value={DEFAULT_SNOOZE}
              aria-describedby="when-hint"
            />
          </>
        ) : null}
        <p>
          <button type="submit">
            {action === "snooze" ? "Snooze" : `Confirm: ${text.button}`}
          </button>
        </p>
      </form>
    </Layout>,
  );
});

linkRoutes.post("/t/:id/:action", async (c) => {
  const form = await c.req.parseBody();
  const link = await checkLink(c, field(form, "s") || (c.req.query("s") ?? ""));
  if (!link.ok) return failurePage(c, { kind: "bad-link" });
  const owner = await findUserById(c.get("db"), link.thread.userId);
  if (owner === null) return failurePage(c, { kind: "bad-link" });
  const done = await actOnThread(
    c.get("db"),
    owner,
    link.thread,
    link.action,
    field(form, "when"),
    c.get("now"),
  );
  if (!done.ok) return failurePage(c, done.error);
  return c.html(
    <Layout title="Done" user={c.get("user")}>
      <p class="notice" role="status">
        {done.value}
      </p>
      <p>
        About “{link.thread.subject}”. <a href="/threads">See all your threads</a>
      </p>
    </Layout>,
  );
});
