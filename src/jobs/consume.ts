import type { Config } from "../config";
import { leasedThreads } from "../db/claims";
import type { Db } from "../db/client";
import type { DeliveryRow } from "../db/schema";
import { randomId } from "../domain/signing";
import { sendGroup } from "../mail/deliver";
import { type DeliverySummary, noDeliveries } from "../mail/delivery-summary";
import { MAX_BATCH, type Mailer } from "../mail/mailer";
import type { Clock } from "../mail/pacer";
import { screenGroup } from "../mail/screen";
import type { ReminderMessage } from "./queue-message";
import { addReminders, noReminders, queueReminders, type ReminderSummary } from "./reminders";

/** What one queue batch came to. */
export interface ConsumeSummary {
  messages: number;
  reminders: ReminderSummary;
  deliveries: DeliverySummary;
}

/** Everything the consumer works with, built by the entry point. */
interface ConsumeDeps {
  db: Db;
  d1: D1Database;
  config: Config;
  mailer: Mailer;
  clock: Clock;
}

/** The longest a 429's retry-after holds the consumer (the queue waits meanwhile). */
const MAX_RATE_LIMIT_WAIT_MS = 30_000;

/**
 * Renders, queues and sends the reminders of one queue batch: the threads still held under
 * each message's lease (a thread re-claimed since, or already sent, is skipped), queued in
 * D1 exactly as the cron loop queues them (same delivery ids, same idempotency keys), then
 * sent in requests of up to 100. The consumer then waits out the rest of 1/SEND_RATE (or a
 * 429's retry-after), so one consumer at a time (max_concurrency = 1) keeps to the rate.
 * A send that fails stays queued in D1 for the cron loop to retry.
 */
export async function consumeReminders(
  deps: ConsumeDeps,
  messages: ReminderMessage[],
): Promise<ConsumeSummary> {
  const { db, d1, config, mailer, clock } = deps;
  const started = clock.now();
  const reminders = noReminders();
  const deliveries = noDeliveries();
  const byLease = new Map<number, string[]>();
  for (const m of messages) byLease.set(m.lease, [...(byLease.get(m.lease) ?? []), m.threadId]);
  // Queued already claimed, in batches of up to 100 (a queue batch holds at most 100).
  const groups: DeliveryRow[][] = [];
  for (const [lease, threadIds] of byLease) {
    const threads = await leasedThreads(db, threadIds, lease);
    const queued = await queueReminders(
      db,
      d1,
      config,
      threads,
      lease,
      started,
      `b-${randomId(20)}`,
    );
    addReminders(reminders, queued.summary);
    for (let i = 0; i < queued.claimed.length; i += MAX_BATCH) {
      groups.push(queued.claimed.slice(i, i + MAX_BATCH));
    }
  }
  let pause = 0;
  for (const claimed of groups) {
    // Deliveries to a suppressed address are settled here and never sent.
    const group = await screenGroup(d1, claimed, deliveries);
    if (group.items.length === 0) continue;
    if (deliveries.requests > 0) await clock.sleep(1000 / config.sendRate);
    const sent = await sendGroup(db, mailer, group, clock.now(), deliveries);
    if (sent.rateLimited) {
      pause = Math.min(sent.retryAfterMs ?? 1000, MAX_RATE_LIMIT_WAIT_MS);
      break;
    }
  }
  const spent = clock.now() - started;
  const wait = Math.max(pause, deliveries.requests > 0 ? 1000 / config.sendRate - spent : 0);
  if (wait > 0) await clock.sleep(wait);
  return { messages: messages.length, reminders, deliveries };
}
