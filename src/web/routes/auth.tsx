import { Hono } from "hono";
import { sendLoginLink } from "../../auth/send-login";
import { checkLoginToken, consumeLoginToken } from "../../db/login-tokens";
import { findUserById } from "../../db/users";
import { type AppEnv, field, inBackground } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { LoginForm } from "../login-form";
import { startSession, stopSession } from "../session";

/** Sign-in by one-time email link, and sign-out. */
export const authRoutes = new Hono<AppEnv>();

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

authRoutes.get("/login", (c) => {
  if (c.get("user") !== null) return c.redirect("/threads", 303);
  return c.html(
    <Layout title="Sign in" user={null}>
      <p>Sprout signs you in with a one-time link sent to your email. No password.</p>
      <LoginForm email="" error={null} />
      <p class="hint">
        You can also email <code>login@{c.get("config").mailDomain}</code> from your address.
      </p>
    </Layout>,
  );
});

authRoutes.post("/login", async (c) => {
  const email = field(await c.req.parseBody(), "email").toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) {
    return c.html(
      <Layout title="Sign in" user={null}>
        <LoginForm email={email} error="Enter an email address, like you@example.com." />
      </Layout>,
      400,
    );
  }
  // The same page whether or not the address has an account; the work happens after the
  // response where the runtime allows, so timing does not tell either.
  await inBackground(
    c,
    sendLoginLink(c.get("db"), c.get("config"), c.get("mailer"), email, c.get("now")),
  );
  // With SIGNUP=open a new address gets the confirmation email instead: the page names both,
  // whichever this address got, and depends on nothing but the deployment's setting.
  const open = c.get("config").signup === "open";
  return c.html(
    <Layout title="Check your email" user={null}>
      <p class="notice" role="status">
        If {email} has a Sprout account, a sign-in link is on its way. It works once, within 15
        minutes.
        {open
          ? " If the address is new here, an email to confirm it is on its way instead: its link starts your account."
          : null}
      </p>
      <p>
        Nothing arrived? Check the spam folder, or <a href="/login">ask again</a> in a few minutes.
      </p>
    </Layout>,
  );
});

authRoutes.get("/login/confirm", async (c) => {
  const token = c.req.query("token") ?? "";
  // Looking only: mail scanners that open the link must not use it up.
  const check = await checkLoginToken(c.get("db"), token, c.get("now"));
  if (!check.ok) return failurePage(c, { kind: "token", error: check.error });
  const user = await findUserById(c.get("db"), check.value);
  return c.html(
    <Layout title="Sign in to Sprout" user={c.get("user")}>
      <p>
        Sign in as <strong>{user?.email ?? "your account"}</strong>?
      </p>
      <form method="post" action="/login/confirm">
        <input type="hidden" name="token" value={token} />
        <button type="submit">Sign in</button>
      </form>
    </Layout>,
  );
});

authRoutes.post("/login/confirm", async (c) => {
  const token = field(await c.req.parseBody(), "token");
  const used = await consumeLoginToken(c.get("db"), token, c.get("now"));
  if (!used.ok) return failurePage(c, { kind: "token", error: used.error });
  await startSession(c, used.value);
  return c.redirect("/threads", 303);
});

authRoutes.post("/logout", async (c) => {
  await stopSession(c);
  return c.html(
    <Layout title="Signed out" user={null}>
      <p role="status">You are signed out.</p>
      <p>
        <a href="/login">Sign in again</a>
      </p>
    </Layout>,
  );
});
