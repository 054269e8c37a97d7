import { type Db, runBatch, type Statement } from "../db/client";
import {
  claimFresh,
  claimRetryBatch,
  markFailed,
  markRetry,
  markSent,
  splitBatch,
} from "../db/deliveries";
import type { DeliveryRow } from "../db/schema";
import type { OutgoingEmail } from "../domain/outgoing";
import { randomId } from "../domain/signing";
import { MAX_BATCH, type Mailer, type SendOutcome } from "./mailer";

/**
 * Resend forgets an Idempotency-Key after 24 hours, so past this age a delivery whose
 * fate is unknown is never sent again (it may already have gone out).
 */
export const GIVE_UP_AFTER_MS = 20 * 60 * 60 * 1000;

/** Resend allows 2 requests per second per team by default. */
export const MIN_REQUEST_INTERVAL_MS = 500;

/** When to try again after a retryable failure: exponential, from 1 minute up to 1 hour. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

export interface DeliverySummary {
  sent: number;
  retry: number;
  failed: number;
  unknown: number;
  requests: number;
}

/** An empty summary. */
export function noDeliveries(): DeliverySummary {
  return { sent: 0, retry: 0, failed: 0, unknown: 0, requests: 0 };
}

/** What became of one attempt, and the statement that records it. */
export function settle(
  db: Db,
  row: DeliveryRow,
  outcome: SendOutcome,
  now: number,
): { result: "sent" | "retry" | "failed" | "unknown"; statement: Statement } {
  switch (outcome.status) {
    case "sent":
      return { result: "sent", statement: markSent(db, row.id, outcome.providerId, now) };
    case "rejected":
      return { result: "failed", statement: markFailed(db, row.id, outcome.reason) };
    case "retry": {
      const wait = outcome.retryAfterMs ?? backoffMs(row.attempts);
      const giveUp = now + wait - (row.firstAttemptAt ?? now) >= GIVE_UP_AFTER_MS;
      return {
        result: giveUp ? "unknown" : "retry",
        statement: markRetry(db, row.id, outcome.reason, now + wait, giveUp),
      };
    }
  }
}

/** The stored email of a delivery. */
export function payloadOf(row: DeliveryRow): OutgoingEmail {
  return JSON.parse(row.payload) as OutgoingEmail;
}

/**
 * Sends one claimed batch (all its rows share one Idempotency-Key, for life) and records
 * every outcome in one D1 batch. Returns the Retry-After of a 429, if any.
 */
export async function sendGroup(
  db: Db,
  mailer: Mailer,
  group: DeliveryRow[],
  now: number,
  summary: DeliverySummary,
): Promise<{ rateLimitedMs: number | null }> {
  const [first] = group;
  if (first === undefined) return { rateLimitedMs: null };
  const key = first.batchKey ?? first.id;
  // Past 20 hours Resend may have forgotten the key: resending could deliver twice.
  if (first.firstAttemptAt !== null && now - first.firstAttemptAt >= GIVE_UP_AFTER_MS) {
    await runBatch(
      db,
      group.map((r) => markRetry(db, r.id, r.lastError ?? "unresolved for 20 hours", now, true)),
    );
    summary.unknown += group.length;
    return { rateLimitedMs: null };
  }
  let outcomes: SendOutcome[];
  try {
    outcomes =
      group.length === 1
        ? [await mailer.send({ email: payloadOf(first), idempotencyKey: key })]
        : await mailer.sendBatch(
            group.map((r) => ({ email: payloadOf(r), idempotencyKey: r.id })),
            key,
          );
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    outcomes = group.map(() => ({ status: "retry", reason, retryAfterMs: null }));
  }
  summary.requests += 1;
  // A batch refused as a whole (say one bad address) sent nothing: split it into batches
  // of one so the good ones go out and the bad one fails alone.
  if (group.length > 1 && outcomes.every((o) => o.status === "rejected")) {
    await runBatch(
      db,
      group.map((r) => splitBatch(db, r.id, now)),
    );
    return { rateLimitedMs: null };
  }
  const statements: Statement[] = [];
  let rateLimitedMs: number | null = null;
  group.forEach((row, i) => {
    const outcome = outcomes[i] ?? { status: "retry", reason: "no outcome", retryAfterMs: null };
    if (outcome.status === "retry" && outcome.reason.startsWith("429")) {
      rateLimitedMs = outcome.retryAfterMs ?? backoffMs(1);
    }
    const { result, statement } = settle(db, row, outcome, now);
    summary[result] += 1;
    statements.push(statement);
  });
  await runBatch(db, statements);
  return { rateLimitedMs };
}

/** Sends the given freshly queued deliveries now, as one batch (the email handler's path). */
export async function deliverQueued(
  db: Db,
  mailer: Mailer,
  now: number,
  ids: string[],
): Promise<DeliverySummary> {
  const summary = noDeliveries();
  if (ids.length === 0) return summary;
  const group = await claimFresh(db, now, ids.length, `b-${randomId(20)}`, ids);
  await sendGroup(db, mailer, group, now, summary);
  return summary;
}

export interface SendPendingOptions {
  /** At most this many API requests in one run. */
  maxRequests: number;
  /** Waits between requests; tests pass a recorder instead of a real timer. */
  sleep: (ms: number) => Promise<void>;
}

/**
 * Sends everything due: batches being retried first (each with its own key, whole),
 * then fresh batches of up to 100, at most 2 requests a second, stopping at a 429.
 */
export async function sendPending(
  db: Db,
  mailer: Mailer,
  now: number,
  options: SendPendingOptions,
): Promise<DeliverySummary> {
  const summary = noDeliveries();
  let lastRequest: number | null = null;
  while (summary.requests < options.maxRequests) {
    let group = await claimRetryBatch(db, now);
    if (group.length === 0) group = await claimFresh(db, now, MAX_BATCH, `b-${randomId(20)}`);
    if (group.length === 0) break;
    if (lastRequest !== null) await options.sleep(MIN_REQUEST_INTERVAL_MS);
    lastRequest = now;
    const { rateLimitedMs } = await sendGroup(db, mailer, group, now, summary);
    if (rateLimitedMs !== null) break;
  }
  return summary;
}
