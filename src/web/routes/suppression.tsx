import { Hono } from "hono";
import type { SuppressionRow, UserRow } from "../../db/schema";
import { liftSuppression } from "../../db/suppressions";
import { formatLocal } from "../../domain/zoned-time";
import type { AppEnv } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { requireUser } from "../session";

/** Where the notice's button posts (same origin, with the session: the usual guard). */
const RESUME_MAIL_PATH = "/mail/resume";

/** Lifting the suppression of the signed-in user's own address. */
export const suppressionRoutes = new Hono<AppEnv>();
suppressionRoutes.use(RESUME_MAIL_PATH, requireUser);

/** What happened, in the user's words, for each cause. */
function Cause(props: { s: SuppressionRow; when: string }) {
  const { s, when } = props;
  switch (s.cause) {
    case "bounce":
      return (
        <p>
          On {when}, mail to <strong>{s.address}</strong> bounced: the receiving mail server refused
          it for good ({s.detail || "permanent bounce"}).
        </p>
      );
    case "complaint":
      return (
        <p>
          On {when}, an email from Sprout to <strong>{s.address}</strong> was reported as spam from
          your mailbox. Sprout also turned your weekly digest off.
        </p>
      );
    case "provider":
      return (
        <p>
          On {when}, Resend, the service Sprout sends mail through, refused to send to{" "}
          <strong>{s.address}</strong>: the address is on Resend's own suppression list (
          {s.detail || "no reason given"}).
        </p>
      );
  }
}

/** After the button: what to expect, for each cause. */
function Afterwards(props: { s: SuppressionRow }) {
  switch (props.s.cause) {
    case "bounce":
      return (
        <p class="hint">
          Resume once your mailbox accepts mail again. If it still refuses mail, the next email
          bounces and Sprout stops again.
        </p>
      );
    case "complaint":
      return (
        <p class="hint">
          Resuming does not turn the weekly digest back on: do that in Settings if you want it.
        </p>
      );
    case "provider":
      return (
        <p class="hint">
          If Resend still refuses, this notice comes back: ask whoever runs this Sprout to remove
          your address from Resend's suppression list.
        </p>
      );
  }
}

/** The threads page's notice for a user whose address is suppressed, with the resume button. */
export function SuppressionNotice(props: { s: SuppressionRow; user: UserRow }) {
  const { s, user } = props;
  const when = formatLocal(new Date(s.createdAt), user.timeZone);
  return (
    <section class="alert" aria-labelledby="suppressed">
      <h2 id="suppressed">Sprout has stopped emailing you</h2>
      <Cause s={s} when={when} />
      <p>
        Until you resume, Sprout sends you nothing: no reminders, no weekly digest, no sign-in
        links, so resume from here while you are signed in. Your threads keep their schedule;
        reminders that come due meanwhile are not sent, now or later (they are listed under{" "}
        <a href="/threads?view=failed">Failed deliveries</a>).
      </p>
      <form method="post" action={RESUME_MAIL_PATH}>
        <button type="submit">Resume emails</button>
      </form>
      <Afterwards s={s} />
    </section>
  );
}

suppressionRoutes.post(RESUME_MAIL_PATH, async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const lifted = await liftSuppression(c.get("db"), user.email);
  return c.html(
    <Layout title={lifted ? "Emails resumed" : "Emails already flowing"} user={user}>
      <p class="notice" role="status">
        {lifted
          ? "Sprout will email you again, starting with the next reminder that comes due."
          : "Nothing was stopped: Sprout already emails you."}
      </p>
      {lifted ? (
        <p>
          Emails that were not sent while they were stopped are not sent now. The weekly digest is
          as your settings say.
        </p>
      ) : null}
      <p>
        <a href="/threads">Back to your threads</a>
      </p>
    </Layout>,
  );
});
