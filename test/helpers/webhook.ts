import { env } from "cloudflare:workers";
import { signWebhook } from "../../src/mail/webhook-signature";
import { app } from "../../src/web/app";

// Resend's webhook, as Resend sends it: a JSON event signed the Svix way (svix-id,
// svix-timestamp, svix-signature over `id.timestamp.body`), POSTed to /webhooks/resend.

/** A Svix-format secret: `whsec_` and the base64 of a random 24-byte key. */
export const WEBHOOK_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

/** The test bindings with the webhook configured. */
export const withWebhook = (bindings: Env = env) =>
  ({ ...bindings, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET }) as Env;

let counter = 0;

/** A unique svix-id, so tests sharing one D1 file never collide. */
export function svixId(): string {
  counter += 1;
  return `msg_${counter}_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** A Resend event body shaped like the documented payloads, to one or more recipients. */
export function resendEvent(
  type: string,
  to: string | string[],
  data: Record<string, unknown> = {},
) {
  return JSON.stringify({
    type,
    created_at: "2026-03-04T08:00:05.000Z",
    data: {
      created_at: "2026-03-04T08:00:01.000Z",
      email_id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
      from: "Sprout <sprout@sprout.test>",
      to: Array.isArray(to) ? to : [to],
      subject: "Re: Coffee next week?",
      ...data,
    },
  });
}

/** A permanent (or other) bounce of mail to `to`. */
export const bounce = (to: string | string[], type = "Permanent", subType = "General") =>
  resendEvent("email.bounced", to, {
    bounce: { type, subType, message: "550 5.1.1 The email account does not exist." },
  });

/** A spam complaint from `to`. */
export const complaint = (to: string | string[]) => resendEvent("email.complained", to);

export interface WebhookPost {
  id?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Overrides the computed svix-signature (null leaves the header out). */
  signature?: string | null;
  /** Extra or replacing headers; a null value removes one. */
  headers?: Record<string, string | null>;
  /** What is signed, when it differs from what is sent (a re-serialised body). */
  signedBody?: string;
  bindings?: Env;
}

/** POSTs a signed event to the webhook through the app's own entry point. */
export async function postWebhook(
  body: string | Uint8Array | ReadableStream,
  opts: WebhookPost = {},
) {
  const id = opts.id ?? svixId();
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const text = typeof body === "string" ? body : "";
  const signature =
    opts.signature === undefined
      ? signWebhook(WEBHOOK_SECRET, id, timestamp, opts.signedBody ?? text)
      : opts.signature;
  const headers = new Headers({ "Content-Type": "application/json" });
  const fields: Record<string, string | null> = {
    "svix-id": id,
    "svix-timestamp": String(timestamp),
    "svix-signature": signature,
    ...opts.headers,
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  const res = await app.request(
    "https://sprout.test/webhooks/resend",
    { method: "POST", headers, body },
    opts.bindings ?? withWebhook(),
  );
  return { status: res.status, text: await res.text(), id, timestamp };
}

/** The suppression row of an address, or null. */
export async function suppressionRow(address: string) {
  return env.DB.prepare("select * from suppressions where address = ?")
    .bind(address)
    .first<Record<string, string | number | null>>();
}
