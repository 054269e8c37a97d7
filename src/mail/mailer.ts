import type { OutgoingEmail } from "../domain/outgoing";

/**
 * What became of one send: delivered, worth retrying later, or refused for good. A retry
 * caused by the API's rate limit says so (`rateLimited`), so the sender can slow down.
 */
export type SendOutcome =
  | { status: "sent"; providerId: string }
  | { status: "retry"; reason: string; retryAfterMs: number | null; rateLimited: boolean }
  | { status: "rejected"; reason: string };

/** One email and the Idempotency-Key that makes repeated attempts deliver it once. */
export interface Envelope {
  email: OutgoingEmail;
  idempotencyKey: string;
}

/** Sends mail. Implementations: Resend and the local dev outbox. */
export interface Mailer {
  /** Sends one email; the same key never delivers twice. */
  send(envelope: Envelope): Promise<SendOutcome>;
  /** Sends up to 100 emails in one request; one outcome per email, in order. */
  sendBatch(envelopes: Envelope[], batchKey: string): Promise<SendOutcome[]>;
}

/** Resend's limit on one batch request. */
export const MAX_BATCH = 100;

/** A retryable outcome that is not a rate limit (a 5xx, a timeout, a network failure). */
export function retryLater(reason: string): SendOutcome {
  return { status: "retry", reason, retryAfterMs: null, rateLimited: false };
}
