import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { recordSuppression } from "../../db/suppressions";
import { EVENT_TYPE_OF, readResendEvent, type SuppressCause } from "../../mail/resend-events";
import { verifyWebhook, type WebhookRefusal } from "../../mail/webhook-signature";
import type { AppEnv, Ctx } from "../context";
import { failurePage } from "../failures";

/** Where Resend posts its events (SPEC section 9); its signature is its authority. */
export const RESEND_WEBHOOK_PATH = "/webhooks/resend";

/**
 * Resend's events are a few kilobytes: a bigger body is refused before it is read whole or
 * hashed, so a stranger cannot make Sprout hash megabytes.
 */
export const MAX_WEBHOOK_BODY = 64 * 1024;

/** Every way a webhook request ends; one switch below turns each into its answer. */
type WebhookOutcome =
  | { kind: "not-configured" }
  | { kind: "bad-secret" }
  | { kind: "too-large" }
  | { kind: "refused"; refusal: Exclude<WebhookRefusal, { kind: "bad-secret" }> }
  | { kind: "ignored"; why: string }
  | { kind: "replay" }
  | { kind: "suppressed"; cause: SuppressCause; recipients: number; added: number };

/** The Resend webhook: a signed event in, the suppression list updated. */
export const webhookRoutes = new Hono<AppEnv>();

webhookRoutes.post(RESEND_WEBHOOK_PATH, async (c) => {
  const outcome = await receive(c);
  console.log(JSON.stringify({ event: "webhook", ...outcome }));
  return answer(c, outcome);
});

async function receive(c: Ctx): Promise<WebhookOutcome> {
  const setting = c.get("config").resendWebhook;
  switch (setting.kind) {
    case "unset":
      return { kind: "not-configured" };
    case "invalid":
      return { kind: "bad-secret" };
    case "set":
      break;
  }
  const body = await readBounded(c.req.raw, MAX_WEBHOOK_BODY);
  if (body === null) return { kind: "too-large" };
  const verified = verifyWebhook({
    secret: setting.secret,
    headers: c.req.raw.headers,
    body,
    now: c.get("now"),
  });
  if (!verified.ok) {
    const refusal = verified.error;
    return refusal.kind === "bad-secret" ? { kind: "bad-secret" } : { kind: "refused", refusal };
  }
  const event = readResendEvent(verified.value.body);
  if (event.kind === "ignore") return { kind: "ignored", why: event.why };
  const recorded = await recordSuppression(
    c.env.DB,
    {
      eventId: verified.value.id,
      eventType: EVENT_TYPE_OF[event.cause],
      cause: event.cause,
      recipients: event.recipients,
      detail: event.detail,
      emailId: event.emailId,
    },
    c.get("now"),
  );
  if (recorded.replay) return { kind: "replay" };
  return {
    kind: "suppressed",
    cause: event.cause,
    recipients: event.recipients.length,
    added: recorded.suppressed,
  };
}

/** The HTTP answer to each outcome. Resend retries anything but a 2xx. */
function answer(c: Ctx, outcome: WebhookOutcome) {
  const text = (status: ContentfulStatusCode, message: string) => c.text(message, status);
  switch (outcome.kind) {
    // Indistinguishable from a path that does not exist.
    case "not-configured":
      return failurePage(c, { kind: "not-found" });
    case "bad-secret":
      return text(500, "The webhook secret of this Sprout is not configured correctly.");
    case "too-large":
      return text(413, "Request body too large.");
    case "refused":
      return text(401, "Signature not accepted.");
    // A replay is acknowledged, or the sender would keep retrying it.
    case "ignored":
    case "replay":
    case "suppressed":
      return c.json({ ok: true, outcome: outcome.kind });
  }
}

/**
 * The request body as bytes, exactly as sent, or null when it is longer than `limit`: a
 * declared Content-Length over the limit is refused unread, and a body without one is read
 * only up to the limit.
 */
async function readBounded(req: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (!Number.isFinite(declared) || declared > limit) return null;
  if (req.body === null) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
