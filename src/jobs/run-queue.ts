import { describeConfigError, loadConfig } from "../config";
import { openDb } from "../db/client";
import { makeMailer } from "../mail/factory";
import { type Clock, runClock } from "../mail/pacer";
import { type ConsumeSummary, consumeReminders } from "./consume";
import { isReminderMessage, type ReminderMessage } from "./queue-message";

/**
 * The queue consumer's entry: builds the dependencies (the Mailer is made here), consumes
 * the batch, then acknowledges it: its work is committed in D1, and a send that failed is
 * retried by the cron job, not by the queue. A message that is not a ReminderMessage is
 * acknowledged and dropped. If the work itself throws, the queue delivers the batch again,
 * and the leases make that repeat harmless.
 */
export async function runQueue(
  batch: MessageBatch<unknown>,
  env: Env,
  clockFrom: (at: number) => Clock = runClock,
): Promise<ConsumeSummary & { dropped: number }> {
  const config = loadConfig(env);
  if (!config.ok) throw new Error(describeConfigError(config.error));
  const messages: ReminderMessage[] = [];
  for (const m of batch.messages) if (isReminderMessage(m.body)) messages.push(m.body);
  // The clock of the run that enqueued them (see ReminderMessage), moving on from there.
  const clock = clockFrom(Math.max(0, ...messages.map((m) => m.at)) || Date.now());
  const db = openDb(env.DB);
  const mailer = makeMailer(config.value, db, () => clock.now());
  const summary = await consumeReminders(
    { db, d1: env.DB, config: config.value, mailer, clock },
    messages,
  );
  batch.ackAll();
  return { ...summary, dropped: batch.messages.length - messages.length };
}
