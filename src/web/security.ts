import { createMiddleware } from "hono/factory";
import type { AppEnv, Ctx } from "./context";
import { failurePage } from "./failures";
import { DIGEST_UNSUBSCRIBE_PATH } from "./routes/digest";
import { RESEND_WEBHOOK_PATH } from "./routes/webhooks";

/**
 * No scripts at all, styles only from /app.css, forms only to this origin, never framed.
 * Inline SVG charts need no exception: presentation attributes are not styles.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Adds the security headers every response carries. */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
  c.header("X-Frame-Options", "DENY");
  c.header("Cross-Origin-Opener-Policy", "same-origin");
  if (c.get("config")?.publicUrl.startsWith("https://")) {
    c.header("Strict-Transport-Security", "max-age=31536000");
  }
});

/**
 * True when a state-changing request came from Sprout's own pages. Browsers send
 * Sec-Fetch-Site on every request; older ones send Origin on every POST. A request with
 * neither is refused too: no browser Sprout supports sends such a POST.
 */
function isSameOrigin(c: Ctx): boolean {
  const site = c.req.header("Sec-Fetch-Site");
  if (site !== undefined) return site === "same-origin";
  const origin = c.req.header("Origin");
  if (origin === undefined || origin === "null") return false;
  const allowed = [new URL(c.req.url).origin, new URL(c.get("config").publicUrl).origin];
  return allowed.includes(origin);
}

/**
 * POSTs that come from elsewhere by design, each authorised by its own signature: the
 * digest's one-click unsubscribe (mail apps POST it, RFC 8058; its signed URL) and Resend's
 * webhook (its Svix signature over the body).
 */
const SIGNED_ELSEWHERE = new Set([DIGEST_UNSUBSCRIBE_PATH, RESEND_WEBHOOK_PATH]);

/**
 * Refuses every non-GET request that did not come from this origin, before any handler,
 * except the few that are signed instead (SIGNED_ELSEWHERE).
 */
export const crossSiteGuard = createMiddleware<AppEnv>(async (c, next) => {
  const safe = c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS";
  if (safe || SIGNED_ELSEWHERE.has(new URL(c.req.url).pathname)) {
    await next();
    return;
  }
  if (!isSameOrigin(c)) return failurePage(c, { kind: "cross-site" });
  await next();
});
