import { Hono } from "hono";
import { checkSignupLink, heldTotals } from "../../db/signup";
import { confirmSignup, mayConfirm } from "../../inbound/confirm-signup";
import { deliverQueued } from "../../mail/deliver";
import { type AppEnv, field, inBackground } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { startSession } from "../session";

/** The confirmation link of a new address (SPEC section 6): GET shows a page, POST confirms. */
export const signupRoutes = new Hono<AppEnv>();

/** Where a confirmation link points; its token rides in the query, like a sign-in link's. */
const SIGNUP_CONFIRM_PATH = "/signup/confirm";

signupRoutes.get(SIGNUP_CONFIRM_PATH, async (c) => {
  const token = c.req.query("token") ?? "";
  // Looking only: mail scanners that open the link must not confirm anything.
  const check = await checkSignupLink(c.get("db"), token, c.get("now"));
  if (!check.ok) return failurePage(c, { kind: "signup-token", error: check.error });
  if (!(await mayConfirm({ db: c.get("db"), config: c.get("config") }, check.value))) {
    return failurePage(c, { kind: "signup-closed" });
  }
  const { messages } = await heldTotals(c.get("db"), check.value, c.get("now"));
  return c.html(
    <Layout title="Confirm your address" user={c.get("user")}>
      <p>
        Start using Sprout as <strong>{check.value}</strong>?
      </p>
      <p>
        {messages === 0
          ? "Confirming creates your account and signs you in."
          : `Confirming creates your account, acts on the ${messages === 1 ? "message" : `${messages} messages`} you sent to Sprout, and signs you in.`}
      </p>
      <form method="post" action={SIGNUP_CONFIRM_PATH}>
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm</button>
      </form>
    </Layout>,
  );
});

signupRoutes.post(SIGNUP_CONFIRM_PATH, async (c) => {
  const token = field(await c.req.parseBody(), "token");
  const deps = { db: c.get("db"), config: c.get("config"), mailer: c.get("mailer") };
  // The held mail is processed before the answer, so the threads page lists it.
  const confirmed = await confirmSignup(deps, token, c.get("now"));
  if (!confirmed.ok) {
    const e = confirmed.error;
    return failurePage(c, e.kind === "signup-closed" ? e : { kind: "signup-token", error: e });
  }
  await startSession(c, confirmed.value.userId);
  // Answers the held mail asked for (help, a time not understood) leave after the answer.
  await inBackground(
    c,
    deliverQueued(deps.db, deps.mailer, c.get("now"), confirmed.value.deliveryIds),
  );
  return c.redirect("/threads", 303);
});
