import { describeConfigError, loadConfig } from "../config";
import { openDb } from "../db/client";
import { sweepTrust } from "../db/trust-retention";
import { type DeliverySummary, sendPending } from "../mail/deliver";
import { makeMailer } from "../mail/factory";
import { type DigestSummary, queueDigests } from "./digest";
import { queueDueReminders, type ReminderSummary } from "./reminders";

/** At most this many reminders are queued per run; a backlog drains oldest first. */
export const REMINDERS_PER_RUN = 500;
/** At most this many users are looked at for their weekly digest per run. */
export const DIGEST_CANDIDATES_PER_RUN = 1000;
/** At most this many Resend requests per run (each up to 100 emails). */
export const REQUESTS_PER_RUN = 10;

/** What one cron run did. */
export interface ScheduledSummary {
  now: string;
  reminders: ReminderSummary;
  digests: DigestSummary;
  deliveries: DeliverySummary;
  /** Rows deleted by the sign-up and answer-limit sweeps (db/trust-retention.ts). */
  trust: Record<string, number>;
}

/** The cron entry: `scheduledTime` is "now", so the local cron endpoint can move the clock. */
export async function runScheduled(
  scheduledTime: number,
  env: Env,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<ScheduledSummary> {
  const config = loadConfig(env);
  if (!config.ok) throw new Error(describeConfigError(config.error));
  const now = scheduledTime;
  const db = openDb(env.DB);
  const mailer = makeMailer(config.value, db, () => now);
  const reminders = await queueDueReminders(db, env.DB, config.value, now, REMINDERS_PER_RUN);
  const digests = await queueDigests(db, config.value, now, DIGEST_CANDIDATES_PER_RUN);
  const deliveries = await sendPending(db, mailer, now, { maxRequests: REQUESTS_PER_RUN, sleep });
  // Lapsed holds, expired confirmation links and spent answer budgets (SPEC section 9).
  const trust = await sweepTrust(env.DB, now);
  return { now: new Date(now).toISOString(), reminders, digests, deliveries, trust };
}
