import { describeConfigError, loadConfig } from "../config";
import { openDb } from "../db/client";
import { makeMailer } from "../mail/factory";
import { type Clock, runClock } from "../mail/pacer";
import { type CronSummary, runCron } from "./cron";

/**
 * The cron entry: builds the run's dependencies (the Mailer is made here and nowhere below)
 * and runs it. `scheduledTime` is "now", so the local cron endpoint can move the clock; the
 * run's clock moves on from there as it works.
 */
export async function runScheduled(
  scheduledTime: number,
  env: Env,
  clock: Clock = runClock(scheduledTime),
): Promise<CronSummary> {
  const config = loadConfig(env);
  if (!config.ok) throw new Error(describeConfigError(config.error));
  const db = openDb(env.DB);
  const mailer = makeMailer(config.value, db, () => clock.now());
  // Deleting is for good: the local cron endpoint may move the clock weeks ahead (tests, the
  // demo), and that must not delete what the real clock still keeps (a signed-in session).
  // Deployed, scheduledTime is never ahead of the clock, so this changes nothing there.
  const retentionNow = Math.min(scheduledTime, Date.now());
  return runCron(
    {
      db,
      d1: env.DB,
      config: config.value,
      mailer,
      clock,
      queue: env.SEND_QUEUE ?? null,
      retentionNow,
    },
    scheduledTime,
  );
}
