import { type Db, runBatch, type Statement } from "../db/client";
import { claimFresh, markFailed, markRetry, markSent, splitBatch } from "../db/deliveries";
import type { DeliveryRow } from "../db/schema";
import { randomId } from "../domain/signing";
import { type DeliverySummary, noDeliveries } from "./delivery-summary";
import { type Mailer, retryLater, type SendOutcome } from "./mailer";
import { rowsOf, type ScreenedGroup, screenGroup } from "./screen";

export { payloadOf } from "./screen";

/**
 * Resend forgets an Idempotency-Key after 24 hours, so past this age a delivery whose
 * fate is unknown is never sent again (it may already have gone out).
 */
const GIVE_UP_AFTER_MS = 20 * 60 * 60 * 1000;

/** How long a 429 that names no Retry-After keeps its batch waiting. */
const RATE_LIMIT_WAIT_MS = 1000;

/** When to try again after a retryable failure: exponential, from 1 minute up to 1 hour. */
function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

/** The statement that records an attempt: raw for the common case (sent), else built. */
type Record =
  | { result: "sent"; statement: D1PreparedStatement }
  | { result: "retry" | "failed" | "unknown"; statement: Statement };

/** What became of one attempt, and the statement that records it. */
function settle(db: Db, row: DeliveryRow, outcome: SendOutcome, now: number): Record {
  switch (outcome.status) {
    case "sent":
      return { result: "sent", statement: markSent(db.$client, row.id, outcome.providerId, now) };
    case "rejected":
      return { result: "failed", statement: markFailed(db, row.id, outcome.reason) };
    case "retry": {
      // A 429 without Retry-After is worth another try as soon as the pace allows.
      const wait =
        outcome.retryAfterMs ??
        (outcome.rateLimited ? RATE_LIMIT_WAIT_MS : backoffMs(row.attempts));
      const giveUp = now + wait - (row.firstAttemptAt ?? now) >= GIVE_UP_AFTER_MS;
      return {
        result: giveUp ? "unknown" : "retry",
        statement: markRetry(db, row.id, outcome.reason, now + wait, giveUp),
      };
    }
  }
}

/** How one request went, for the sender's pacing. */
interface GroupResult {
  /** The API answered 429; `retryAfterMs` is its Retry-After, if it gave one. */
  rateLimited: boolean;
  retryAfterMs: number | null;
  /** When a rate-limited batch may be sent again (it is due then). */
  retryAt: number | null;
}

/**
 * Sends one claimed batch (all its rows share one Idempotency-Key, for life), screened
 * against the suppression list, and records every outcome in one D1 batch. `now` is when
 * the request starts.
 */
export async function sendGroup(
  db: Db,
  mailer: Mailer,
  screened: ScreenedGroup,
  now: number,
  summary: DeliverySummary,
): Promise<GroupResult> {
  const calm: GroupResult = { rateLimited: false, retryAfterMs: null, retryAt: null };
  const group = rowsOf(screened);
  const [first] = screened.items;
  if (first === undefined) return calm;
  const key = first.row.batchKey ?? first.row.id;
  // Past 20 hours Resend may have forgotten the key: resending could deliver twice.
  const firstAttemptAt = first.row.firstAttemptAt;
  if (firstAttemptAt !== null && now - firstAttemptAt >= GIVE_UP_AFTER_MS) {
    await runBatch(
      db,
      group.map((r) => markRetry(db, r.id, r.lastError ?? "unresolved for 20 hours", now, true)),
    );
    summary.unknown += group.length;
    return calm;
  }
  let outcomes: SendOutcome[];
  try {
    outcomes =
      group.length === 1
        ? [await mailer.send({ email: first.email, idempotencyKey: key })]
        : await mailer.sendBatch(
            screened.items.map((c) => ({ email: c.email, idempotencyKey: c.row.id })),
            key,
          );
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    outcomes = group.map(() => retryLater(reason));
  }
  summary.requests += 1;
  // A batch refused as a whole (say one bad address) sent nothing: split it into batches
  // of one so the good ones go out and the bad one fails alone.
  if (group.length > 1 && outcomes.every((o) => o.status === "rejected")) {
    await runBatch(
      db,
      group.map((r) => splitBatch(db, r.id, now)),
    );
    return calm;
  }
  const result = { ...calm };
  const sent: D1PreparedStatement[] = [];
  const others: Statement[] = [];
  group.forEach((row, i) => {
    const outcome = outcomes[i] ?? retryLater("no outcome");
    if (outcome.status === "retry" && outcome.rateLimited) {
      result.rateLimited = true;
      result.retryAfterMs = outcome.retryAfterMs;
      result.retryAt = now + (outcome.retryAfterMs ?? RATE_LIMIT_WAIT_MS);
    }
    const settled = settle(db, row, outcome, now);
    summary[settled.result] += 1;
    if (settled.result === "sent") sent.push(settled.statement);
    else others.push(settled.statement);
  });
  if (result.rateLimited) summary.rateLimited += 1;
  // Each row is recorded on its own; the two kinds need not land together.
  if (sent.length > 0) await db.$client.batch(sent);
  await runBatch(db, others);
  return result;
}

/**
 * Sends the given freshly queued deliveries now, as one batch (the email handler's and the
 * sign-in form's path), except those to a suppressed address.
 */
export async function deliverQueued(
  db: Db,
  mailer: Mailer,
  now: number,
  ids: string[],
): Promise<DeliverySummary> {
  const summary = noDeliveries();
  if (ids.length === 0) return summary;
  const claimed = await claimFresh(db, now, ids.length, `b-${randomId(20)}`, ids);
  const group = await screenGroup(db.$client, claimed, summary);
  await sendGroup(db, mailer, group, now, summary);
  return summary;
}
