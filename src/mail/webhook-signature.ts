// SPEC section 9: Resend signs its webhooks the Svix way. The signed content is
// `${svix-id}.${svix-timestamp}.${body}` under the base64 key after `whsec_`, HMAC-SHA256,
// sent as space-separated `v1,<base64>` entries (several during a key rotation; any one
// matching counts). The HMAC comes from `standardwebhooks` (the package Resend's own SDK
// verifies with); the clock does not: `now` is passed in, and the 5-minute window, the
// exact-bytes rule and the constant-time comparison are checked here.

import { Webhook } from "standardwebhooks";
import { err, ok, type Result } from "../domain/result";
import { timingSafeEqual } from "../domain/signing";

/** How far (seconds) a signature's timestamp may be from now, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** A request whose signature checked out. */
export interface VerifiedWebhook {
  /** `svix-id`: the same for every retry of one event, so it is the replay key. */
  id: string;
  /** `svix-timestamp`, seconds since the epoch. */
  timestamp: number;
  /** The body exactly as received, as text. */
  body: string;
}

/** Why a webhook request is refused. `bad-secret` is a configuration error, not the sender's. */
export type WebhookRefusal =
  | { kind: "missing-header"; header: "svix-id" | "svix-timestamp" | "svix-signature" }
  | { kind: "bad-timestamp" }
  | { kind: "stale"; skewSeconds: number }
  | { kind: "body-not-utf8" }
  | { kind: "bad-secret" }
  | { kind: "bad-signature" };

export interface WebhookRequest {
  /** RESEND_WEBHOOK_SECRET, `whsec_` followed by the base64 key. */
  secret: string;
  headers: Pick<Headers, "get">;
  /** The raw body bytes, before any JSON parsing. */
  body: Uint8Array;
  /** Milliseconds since the epoch. */
  now: number;
}

/** Checks a Resend (Svix) webhook signature over the exact bytes received. */
export function verifyWebhook(req: WebhookRequest): Result<VerifiedWebhook, WebhookRefusal> {
  const id = req.headers.get("svix-id");
  const stamp = req.headers.get("svix-timestamp");
  const signatures = req.headers.get("svix-signature");
  if (id === null || id === "") return err({ kind: "missing-header", header: "svix-id" });
  if (stamp === null || stamp === "") {
    return err({ kind: "missing-header", header: "svix-timestamp" });
  }
  if (signatures === null || signatures === "") {
    return err({ kind: "missing-header", header: "svix-signature" });
  }
  // Only the canonical form: the signed text holds the timestamp as the sender wrote it.
  if (!/^[1-9][0-9]{0,11}$/.test(stamp)) return err({ kind: "bad-timestamp" });
  const timestamp = Number(stamp);
  const skewSeconds = Math.floor(req.now / 1000) - timestamp;
  if (Math.abs(skewSeconds) > WEBHOOK_TOLERANCE_SECONDS) return err({ kind: "stale", skewSeconds });
  // Strict UTF-8 that keeps a BOM: the text re-encodes to exactly the bytes received, so the
  // HMAC covers what was sent, not a re-serialisation of it.
  let body: string;
  try {
    body = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(req.body);
  } catch {
    return err({ kind: "body-not-utf8" });
  }
  const hook = webhook(req.secret);
  if (hook === null) return err({ kind: "bad-secret" });
  const expected = hook.sign(id, new Date(timestamp * 1000), body).slice("v1,".length);
  let matched = false;
  for (const entry of signatures.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    // No early exit: every entry is compared, whichever matches.
    if (timingSafeEqual(entry.slice(comma + 1), expected)) matched = true;
  }
  return matched ? ok({ id, timestamp, body }) : err({ kind: "bad-signature" });
}

/** Signs a body the way Resend does (tests and local tools use it to build requests). */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const hook = webhook(secret);
  if (hook === null) throw new Error("the webhook secret must be whsec_ followed by base64");
  return hook.sign(id, new Date(timestamp * 1000), body);
}

// The key is the base64 after `whsec_`. A secret without the prefix is refused rather than
// guessed at: it is most likely another credential pasted into the wrong setting.
function webhook(secret: string): Webhook | null {
  if (!secret.startsWith("whsec_") || secret.length === "whsec_".length) return null;
  try {
    return new Webhook(secret);
  } catch {
    return null;
  }
}
