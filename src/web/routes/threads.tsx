import { Hono } from "hono";
import type { Db } from "../../db/client";
import type { UserRow } from "../../db/schema";
import { suppressionOf } from "../../db/suppressions";
import {
  type Cursor,
  failedPage,
  findOwnThread,
  formatCursor,
  parseCursor,
  THREAD_VIEWS,
  type ThreadView,
  threadPage,
} from "../../db/thread-pages";
import { isLinkAction } from "../../domain/links";
import { formatLocal } from "../../domain/zoned-time";
import { type AppEnv, field } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { requireUser } from "../session";
import { actOnThread } from "../thread-action";
import { ThreadCard } from "../thread-card";
import { SuppressionNotice } from "./suppression";

/** The threads page and its actions (a session is the authorisation). */
export const threadRoutes = new Hono<AppEnv>();
threadRoutes.use("/threads", requireUser);
threadRoutes.use("/threads/*", requireUser);

const VIEW_TITLES: Record<ThreadView, string> = {
  upcoming: "Upcoming",
  waiting: "Needs a time",
  replied: "Replied",
  dormant: "Dormant and stopped",
  failed: "Failed deliveries",
};

const isView = (v: string | undefined): v is ThreadView =>
  (THREAD_VIEWS as readonly string[]).includes(v ?? "");

function Tabs(props: { current: ThreadView }) {
  return (
    <nav aria-label="Thread lists">
      <ul class="tabs">
        {THREAD_VIEWS.map((v) => (
          <li>
            <a href={`/threads?view=${v}`} aria-current={v === props.current ? "page" : undefined}>
              {VIEW_TITLES[v]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function More(props: { view: ThreadView; next: Cursor | null }) {
  if (props.next === null) return null;
  return (
    <p>
      <a href={`/threads?view=${props.view}&after=${formatCursor(props.next)}`}>Next page</a>
    </p>
  );
}

async function listBody(
  db: Db,
  user: UserRow,
  view: ThreadView,
  after: Cursor | null,
  back: string,
) {
  if (view === "failed") {
    const page = await failedPage(db, user.id, after);
    if (page.rows.length === 0) return <p>No failed deliveries. Every email went out.</p>;
    return (
      <>
        {page.rows.map((d) => (
          <article class="thread" aria-label={`Delivery ${d.subject}`}>
            <h3>{d.subject === "" ? "(no subject)" : d.subject}</h3>
            <p class="meta">
              {d.kind} email, queued {formatLocal(new Date(d.createdAt), user.timeZone)} ·{" "}
              {
                {
                  failed: "refused",
                  unknown: "fate unknown, not retried",
                  suppressed: "not sent: your address was suppressed",
                }[d.status]
              }
            </p>
            <p class="alert">Reason: {d.reason}</p>
          </article>
        ))}
        <More view={view} next={page.next} />
      </>
    );
  }
  const page = await threadPage(db, user.id, view, after);
  if (page.rows.length === 0) {
    return <p>Nothing here{after === null ? " yet" : " on this page"}.</p>;
  }
  return (
    <>
      {page.rows.map((t) => (
        <ThreadCard thread={t} user={user} back={back} />
      ))}
      <More view={view} next={page.next} />
    </>
  );
}

threadRoutes.get("/threads", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const viewParam = c.req.query("view");
  const view: ThreadView = isView(viewParam) ? viewParam : "upcoming";
  const after = parseCursor(c.req.query("after"));
  const back = `/threads?view=${view}${after === null ? "" : `&after=${formatCursor(after)}`}`;
  const d = c.get("config").mailDomain;
  const suppression = await suppressionOf(c.get("db"), user.email);
  return c.html(
    <Layout title="Your threads" user={user}>
      {suppression === null ? null : <SuppressionNotice s={suppression} user={user} />}
      {user.paused ? (
        <p class="alert">
          Sprout is paused: no reminders go out. <a href="/settings">Resume in settings</a>.
        </p>
      ) : null}
      <p class="hint">
        Bcc <code>follow@{d}</code> on an outreach to track it. Times are in {user.timeZone}.
      </p>
      <Tabs current={view} />
      <h2>{VIEW_TITLES[view]}</h2>
      {await listBody(c.get("db"), user, view, after, back)}
    </Layout>,
  );
});

threadRoutes.post("/threads/:id/:action", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const action = c.req.param("action");
  const thread = await findOwnThread(c.get("db"), user.id, c.req.param("id"));
  if (thread === null || !isLinkAction(action)) return failurePage(c, { kind: "not-found" });
  const form = await c.req.parseBody();
  const backField = field(form, "back");
  const back = /^\/threads(\?[\w=&.:-]*)?$/.test(backField) ? backField : "/threads";
  const done = await actOnThread(
    c.get("db"),
    user,
    thread,
    action,
    field(form, "when"),
    c.get("now"),
  );
  if (!done.ok) return failurePage(c, done.error);
  return c.html(
    <Layout title="Done" user={user}>
      <p class="notice" role="status">
        {done.value}
      </p>
      <p>
        “{thread.subject}” · <a href={back}>Back to your threads</a>
      </p>
    </Layout>,
  );
});
