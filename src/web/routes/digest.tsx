import { Hono } from "hono";
import { stopDigest } from "../../db/digest";
import { verifyDigestUnsubscribe } from "../../domain/links";
import type { AppEnv, Ctx } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";

/** The path of the digest's one-click unsubscribe (RFC 8058); the signature authorises it. */
export const DIGEST_UNSUBSCRIBE_PATH = "/digest/unsubscribe";

/**
 * Unsubscribe from the weekly digest. GET shows a button (link scanners change nothing);
 * POST, from that button or from a mail app's one-click unsubscribe, turns the digest off.
 */
export const digestRoutes = new Hono<AppEnv>();

async function signedUser(c: Ctx): Promise<string | null> {
  const userId = c.req.query("u") ?? "";
  const signature = c.req.query("s") ?? "";
  const valid = await verifyDigestUnsubscribe(c.get("config").signingSecret, userId, signature);
  return valid ? userId : null;
}

digestRoutes.get(DIGEST_UNSUBSCRIBE_PATH, async (c) => {
  if ((await signedUser(c)) === null) return failurePage(c, { kind: "bad-link" });
  const query = new URL(c.req.url).search;
  return c.html(
    <Layout title="Stop the weekly digest?" user={c.get("user")}>
      <p>Sprout will stop sending you the weekly digest. Your reminders are not affected.</p>
      <form method="post" action={`${DIGEST_UNSUBSCRIBE_PATH}${query}`}>
        <p>
          <button type="submit">Stop the weekly digest</button>
        </p>
      </form>
    </Layout>,
  );
});

digestRoutes.post(DIGEST_UNSUBSCRIBE_PATH, async (c) => {
  const userId = await signedUser(c);
  if (userId === null) return failurePage(c, { kind: "bad-link" });
  await stopDigest(c.get("db"), userId);
  return c.html(
    <Layout title="Weekly digest stopped" user={c.get("user")}>
      <p class="notice" role="status">
        You will get no more weekly digests. Turn it back on any time in Settings.
      </p>
    </Layout>,
  );
});
