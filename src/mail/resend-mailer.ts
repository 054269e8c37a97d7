import { type CreateEmailOptions, Resend } from "resend";
import type { Envelope, Mailer, SendOutcome } from "./mailer";

interface ResendFailure {
  message: string;
  statusCode: number | null;
  name: string;
}

/** Sends through the Resend API (or any server that speaks it, at `baseUrl`). */
export class ResendMailer implements Mailer {
  private readonly client: Resend;

  constructor(apiKey: string, baseUrl: string) {
    this.client = new Resend(apiKey, { baseUrl });
  }

  async send({ email, idempotencyKey }: Envelope): Promise<SendOutcome> {
    const res = await this.client.emails.send(toResend(email), { idempotencyKey });
    if (res.error !== null) return classify(res.error, res.headers);
    return { status: "sent", providerId: res.data.id };
  }

  async sendBatch(envelopes: Envelope[], batchKey: string): Promise<SendOutcome[]> {
    if (envelopes.length === 0) return [];
    const res = await this.client.batch.send(
      envelopes.map((e) => toResend(e.email)),
      { idempotencyKey: batchKey },
    );
    if (res.error !== null) {
      const outcome = classify(res.error, res.headers);
      return envelopes.map(() => outcome);
    }
    const ids = res.data.data;
    return envelopes.map((_, i) => {
      const id = ids[i]?.id;
      return id === undefined
        ? { status: "retry", reason: "batch answer had no id for this email", retryAfterMs: null }
        : { status: "sent", providerId: id };
    });
  }
}

function toResend(email: Envelope["email"]): CreateEmailOptions {
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: email.headers,
    ...(email.replyTo === undefined ? {} : { replyTo: email.replyTo }),
  };
}

/** Maps a Resend error to retry-later or refused-for-good. */
export function classify(
  error: ResendFailure,
  headers: Record<string, string> | null,
): SendOutcome {
  const status = error.statusCode;
  const reason = `${status ?? "network"} ${error.name}: ${error.message}`.slice(0, 500);
  if (status === null || status === 429 || status >= 500 || status === 409) {
    return { status: "retry", reason, retryAfterMs: retryAfter(headers?.["retry-after"]) };
  }
  return { status: "rejected", reason };
}

/** Retry-After in seconds (what Resend sends); an HTTP date falls back to our backoff. */
function retryAfter(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : null;
}
