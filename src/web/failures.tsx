import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { TokenError } from "../db/login-tokens";
import type { Ctx } from "./context";
import { Layout } from "./layout";
import { LoginForm } from "./login-form";

/** Every expected way a web request fails; one switch below turns each into a page. */
export type WebFailure =
  | { kind: "signed-out" }
  | { kind: "cross-site" }
  | { kind: "token"; error: TokenError }
  | { kind: "signup-token"; error: TokenError }
  | { kind: "signup-closed" }
  | { kind: "bad-link" }
  | { kind: "not-found" }
  | { kind: "bad-request"; message: string }
  /** A request body larger than any of Sprout's forms sends (web/app.ts MAX_BODY_BYTES). */
  | { kind: "too-large" };

/** Renders a failure as its status code and page. */
export function failurePage(c: Ctx, f: WebFailure) {
  const user = c.get("user");
  const show = (status: ContentfulStatusCode, title: string, body: Child) =>
    c.html(
      <Layout title={title} user={user}>
        {body}
      </Layout>,
      status,
    );
  switch (f.kind) {
    case "signed-out":
      return show(
        401,
        "Sign in to continue",
        <>
          <p>This page needs you to be signed in. Sprout emails you a one-time sign-in link.</p>
          <LoginForm email="" error={null} />
        </>,
      );
    case "cross-site":
      return show(
        403,
        "Request refused",
        <p>
          Sprout refused this request because it did not come from Sprout's own pages. Go back to
          the page, reload it and try again.
        </p>,
      );
    case "token": {
      const why = {
        "token-unknown": "This sign-in link is not valid. It may have been copied incompletely.",
        "token-used": "This sign-in link was already used. Each link works once.",
        "token-expired": "This sign-in link has expired. Links work for 15 minutes.",
      }[f.error.kind];
      return show(
        400,
        "Sign-in link not accepted",
        <>
          <p class="alert">{why}</p>
          <p>Ask for a new link:</p>
          <LoginForm email="" error={null} />
        </>,
      );
    }
    case "signup-token": {
      const why = {
        "token-unknown":
          "This confirmation link is not valid: it may have been copied incompletely, or it expired (links work for 7 days).",
        "token-used": "This confirmation link was already used: your address is confirmed.",
        "token-expired": "This confirmation link has expired. Links work for 7 days.",
      }[f.error.kind];
      return show(
        400,
        "Confirmation link not accepted",
        <>
          <p class="alert">{why}</p>
          <p>
            Enter your address to get a sign-in link (or, for a new address, a new confirmation
            link):
          </p>
          <LoginForm email="" error={null} />
        </>,
      );
    }
    case "signup-closed":
      return show(
        403,
        "Sign-up is closed",
        <p>
          This Sprout no longer accepts new users, so this confirmation link creates no account. Ask
          the person who runs it to add your address.
        </p>,
      );
    case "bad-link":
      return show(
        403,
        "Link not accepted",
        <p>
          This link is not valid: it was changed or did not come from this Sprout. Use the links in
          your latest reminder, or <a href="/threads">open your threads</a>.
        </p>,
      );
    case "not-found":
      return show(404, "Not found", <p>There is no page here.</p>);
    case "too-large":
      return show(
        413,
        "Not accepted",
        <p class="alert">
          That request was larger than any of Sprout's forms sends, so nothing was read or changed.{" "}
          <a href="/threads">Back to your threads</a>
        </p>,
      );
    case "bad-request":
      return show(
        400,
        "Not accepted",
        <>
          <p class="alert">{f.message}</p>
          <p>
            Nothing was changed. <a href="/threads">Back to your threads</a>
          </p>
        </>,
      );
  }
}
