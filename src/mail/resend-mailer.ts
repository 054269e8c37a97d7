import { type CreateEmailOptions, Resend } from "resend";
import { type Envelope, type Mailer, retryLater, type SendOutcome } from "./mailer";

interface ResendFailure {
  message: string;
  statusCode: number | null;
  name: string;
}

/**
 * How long one request may take. A hung request would otherwise hold a sending slot (and a
 * whole cron run); a timeout is retried like a 5xx, with the same Idempotency-Key, so a
 * request that did reach Resend is answered from its idempotency store, not sent again.
 */
const REQUEST_TIMEOUT_MS = 15_000;

/** Sends through the Resend API (or any server that speaks it, at `baseUrl`). */
export class ResendMailer implements Mailer {
  private readonly client: Resend;

  constructor(
    apiKey: string,
    baseUrl: string,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    this.client = new Resend(apiKey, { baseUrl });
  }

  async send({ email, idempotencyKey }: Envelope): Promise<SendOutcome> {
    return this.bounded(async (signal) => {
      const res = await this.client.emails.send(toResend(email), { idempotencyKey, signal });
      if (res.error !== null) return classify(res.error, res.headers);
      return { status: "sent", providerId: res.data.id };
    });
  }

  async sendBatch(envelopes: Envelope[], batchKey: string): Promise<SendOutcome[]> {
    if (envelopes.length === 0) return [];
    const outcomes = await this.bounded<SendOutcome | SendOutcome[]>(async (signal) => {
      const res = await this.client.batch.send(
        envelopes.map((e) => toResend(e.email)),
        { idempotencyKey: batchKey, signal },
      );
      if (res.error !== null) return classify(res.error, res.headers);
      const ids = res.data.data;
      return envelopes.map((_, i): SendOutcome => {
        const id = ids[i]?.id;
        return id === undefined
          ? retryLater("batch answer had no id for this email")
          : { status: "sent", providerId: id };
      });
    });
    return Array.isArray(outcomes) ? outcomes : envelopes.map(() => outcomes);
  }

  /** Runs one request under the timeout; an abort (wherever it surfaces) becomes a retry. */
  private async bounded<T>(request: (signal: AbortSignal) => Promise<T>): Promise<T | SendOutcome> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const timedOut = retryLater(`timeout: no answer within ${this.timeoutMs} ms`);
    try {
      const result = await request(signal);
      // The SDK turns an aborted fetch into a generic network error: name the real cause.
      return signal.aborted && !isSent(result) ? timedOut : result;
    } catch (e) {
      if (signal.aborted) return timedOut;
      throw e;
    }
  }
}

function isSent(result: unknown): boolean {
  const outcomes = Array.isArray(result) ? result : [result];
  return outcomes.some((o) => (o as SendOutcome).status === "sent");
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

/** Maps a Resend error to retry-later (a 429 says it is the rate limit) or refused-for-good. */
function classify(error: ResendFailure, headers: Record<string, string> | null): SendOutcome {
  const status = error.statusCode;
  const reason = `${status ?? "network"} ${error.name}: ${error.message}`.slice(0, 500);
  if (status === null || status === 429 || status >= 500 || status === 409) {
    return {
      status: "retry",
      reason,
      retryAfterMs: retryAfter(headers?.["retry-after"]),
      rateLimited: status === 429,
    };
  }
  return { status: "rejected", reason };
}

/** Retry-After in seconds (what Resend sends); an HTTP date falls back to our backoff. */
function retryAfter(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : null;
}
