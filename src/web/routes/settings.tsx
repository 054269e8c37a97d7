import { Hono } from "hono";
import { saveSettings } from "../../db/settings";
import type { AppEnv } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { requireUser } from "../session";
import { parseSettingsForm, storedValues, submittedValues } from "../settings-fields";
import { SettingsForm } from "../settings-form";

/** The settings page, with the addresses to use and the way to export or delete. */
export const settingsRoutes = new Hono<AppEnv>();
settingsRoutes.use("/settings", requireUser);

function Addresses(props: { domain: string }) {
  const d = props.domain;
  return (
    <section aria-labelledby="addresses">
      <h2 id="addresses">Addresses to use</h2>
      <ul>
        <li>
          <code>follow@{d}</code> in Bcc: remind me on my cadence.
        </li>
        <li>
          <code>3d@{d}</code>, <code>tomorrow9am@{d}</code>, <code>aug15@{d}</code>: remind me then.
        </li>
        <li>
          <code>every3months@{d}</code>: keep in touch until I say stop.
        </li>
        <li>
          <code>list@{d}</code>, <code>help@{d}</code>, <code>login@{d}</code>: my follow-ups, every
          format, a sign-in link.
        </li>
      </ul>
    </section>
  );
}

function DataSection() {
  return (
    <section aria-labelledby="data">
      <h2 id="data">Your data</h2>
      <ul>
        <li>
          <a href="/export.json" download>
            Export everything as JSON
          </a>
        </li>
        <li>
          <a href="/export/threads.csv" download>
            Export threads as CSV
          </a>
        </li>
        <li>
          <a href="/export/events.csv" download>
            Export activity as CSV
          </a>
        </li>
        <li>
          <a href="/account/delete">Delete my account and all its data</a>
        </li>
      </ul>
    </section>
  );
}

settingsRoutes.get("/settings", (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const savedParam = c.req.query("saved");
  const moved = savedParam === undefined ? null : Number.parseInt(savedParam, 10) || 0;
  return c.html(
    <Layout title="Settings" user={user}>
      {moved === null ? null : (
        <p class="notice" role="status">
          Settings saved.
          {moved === 0
            ? ""
            : ` ${moved} pending reminder${moved === 1 ? "" : "s"} moved to your new reminder time.`}
        </p>
      )}
      <SettingsForm values={storedValues(user)} errors={{}} />
      <Addresses domain={c.get("config").mailDomain} />
      <DataSection />
    </Layout>,
  );
});

settingsRoutes.post("/settings", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const form = await c.req.parseBody();
  const parsed = parseSettingsForm(form);
  if (!parsed.ok) {
    return c.html(
      <Layout title="Settings" user={user}>
        <p class="alert" role="alert">
          Some settings were not saved; see the marked fields.
        </p>
        <SettingsForm values={submittedValues(form)} errors={parsed.error} />
      </Layout>,
      400,
    );
  }
  const moved = await saveSettings(c.get("db"), user, parsed.value, c.get("now"));
  return c.redirect(`/settings?saved=${moved}`, 303);
});
