import { Hono } from "hono";
import { deleteAccount, exportAccount } from "../../db/account";
import { type AppEnv, type Ctx, field } from "../context";
import { toCsv } from "../csv";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { requireUser, stopSession } from "../session";

/** Export of all the user's data, and account deletion with a confirmation step. */
export const accountRoutes = new Hono<AppEnv>();
for (const path of ["/export.json", "/export/*", "/account/*"])
  accountRoutes.use(path, requireUser);

const day = (now: number) => new Date(now).toISOString().slice(0, 10);

function download(c: Ctx, body: string, type: string, name: string) {
  c.header("Content-Type", type);
  c.header("Content-Disposition", `attachment; filename="${name}"`);
  c.header("Cache-Control", "no-store");
  return c.body(body);
}

accountRoutes.get("/export.json", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const data = await exportAccount(c.get("db"), user, c.get("now"));
  const name = `sprout-export-${day(c.get("now"))}.json`;
  return download(c, JSON.stringify(data, null, 2), "application/json; charset=utf-8", name);
});

accountRoutes.get("/export/threads.csv", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const data = await exportAccount(c.get("db"), user, c.get("now"));
  const header = [
    "id",
    "subject",
    "contacts",
    "status",
    "kind",
    "address",
    "sentAt",
    "nextReminder",
  ];
  header.push("step", "snippet");
  const rows = data.threads.map((t) => [
    t.id,
    t.subject,
    t.contacts.map((k) => k.address).join("; "),
    t.status,
    t.kind,
    t.address,
    t.sentAtIso,
    t.dueAtIso,
    t.step,
    t.snippet,
  ]);
  const name = `sprout-threads-${day(c.get("now"))}.csv`;
  return download(c, toCsv(header, rows), "text/csv; charset=utf-8", name);
});

accountRoutes.get("/export/events.csv", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const data = await exportAccount(c.get("db"), user, c.get("now"));
  const rows = data.events.map((e) => [e.at, e.kind, e.source, e.threadId]);
  const name = `sprout-events-${day(c.get("now"))}.csv`;
  return download(
    c,
    toCsv(["at", "kind", "source", "threadId"], rows),
    "text/csv; charset=utf-8",
    name,
  );
});

function DeleteForm(props: { error: string | null }) {
  return (
    <form method="post" action="/account/delete">
      <label for="confirm">Type your email address to confirm</label>
      <input
        type="email"
        id="confirm"
        name="confirm"
        autocomplete="off"
        aria-describedby={props.error === null ? undefined : "confirm-error"}
        aria-invalid={props.error === null ? undefined : "true"}
      />
      {props.error === null ? null : (
        <p class="error" id="confirm-error">
          {props.error}
        </p>
      )}
      <p>
        <button type="submit" class="danger">
          Delete my account
        </button>
      </p>
    </form>
  );
}

accountRoutes.get("/account/delete", (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  return c.html(
    <Layout title="Delete your account" user={user}>
      <p>
        This deletes {user.email} from Sprout with every thread, reminder, statistic and setting. It
        cannot be undone. Consider <a href="/export.json">exporting your data</a> first.
      </p>
      <DeleteForm error={null} />
    </Layout>,
  );
});

accountRoutes.post("/account/delete", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const confirm = field(await c.req.parseBody(), "confirm").toLowerCase();
  if (confirm !== user.email) {
    return c.html(
      <Layout title="Delete your account" user={user}>
        <DeleteForm error={`Type ${user.email} exactly to confirm; nothing was deleted.`} />
      </Layout>,
      400,
    );
  }
  await deleteAccount(c.get("db"), user);
  await stopSession(c);
  return c.html(
    <Layout title="Account deleted" user={null}>
      <p role="status">
        Your account and all its data are gone. Mail you send to Sprout from now on is treated as
        from a new sender.
      </p>
    </Layout>,
  );
});
