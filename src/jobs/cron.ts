import type { Config } from "../config";
import { claimDueThreads, clearLapsedLeases } from "../db/claims";
import type { Db } from "../db/client";
import type { DeliverySummary } from "../mail/delivery-summary";
import { MAX_BATCH, type Mailer } from "../mail/mailer";
import type { Clock } from "../mail/pacer";
import { type DigestSummary, noDigests, queueDueDigests } from "./digest";
import type { ReminderMessage } from "./queue-message";
import {
  addReminders,
  claimAndQueueReminders,
  noReminders,
  type ReminderSummary,
} from "./reminders";
import { type RetentionSummary, runRetention } from "./retention";
import { type Refill, type StopReason, sendLoop } from "./send-loop";

/** A run stops starting requests after this long, before the next minute's run begins. */
const RUN_BUDGET_MS = 50_000;
/** Lapsed leases cleared per run (a run that died leaves at most a few batches of them). */
const LAPSED_PER_RUN = 1000;
/** How long a thread handed to the queue stays claimed before it may be claimed again. */
const QUEUED_LEASE_MS = 15 * 60 * 1000;

/** Everything a cron run works with, built by the entry point. */
interface CronDeps {
  db: Db;
  d1: D1Database;
  config: Config;
  mailer: Mailer;
  clock: Clock;
  /** With a queue, reminders are rendered and sent by its consumer, not by this run. */
  queue: Queue<ReminderMessage> | null;
  /** "Now" for retention: never later than the real clock (see runScheduled). */
  retentionNow?: number;
  budgetMs?: number;
}

/** What one cron run did. */
export interface CronSummary {
  now: string;
  mode: "loop" | "queue";
  retention: RetentionSummary;
  leasesCleared: number;
  reminders: ReminderSummary;
  /** Queue path: due threads handed to the consumer. */
  enqueued: number;
  digests: DigestSummary;
  deliveries: DeliverySummary;
  stopped: StopReason;
}

/**
 * One cron run: retention sweeps, then due reminders (enqueued for the consumer when the
 * queue is bound, else rendered here), weekly digests and every pending delivery, sent in
 * the paced loop until nothing is due, the budget is spent or MAX_PER_RUN is reached.
 */
export async function runCron(deps: CronDeps, scheduledTime: number): Promise<CronSummary> {
  const { db, d1, config, clock, queue } = deps;
  const retention = await runRetention(d1, deps.retentionNow ?? clock.now());
  const leasesCleared = await clearLapsedLeases(d1, clock.now(), LAPSED_PER_RUN);
  const enqueued =
    queue === null ? 0 : await enqueueDueReminders(d1, queue, clock.now(), minuteOfSending(config));
  const reminders = noReminders();
  const digests = noDigests();
  // The loop prepares two groups at once. Reminder claims are atomic, so two refills never
  // take the same thread; the digest job reads its due users without claiming them, so its
  // turns run one after the other.
  let digestTurn: Promise<unknown> = Promise.resolve();
  const dueDigests = (room: number, now: number) => {
    const turn = digestTurn.then(() => queueDueDigests(db, config, now, room));
    digestTurn = turn.catch(() => undefined);
    return turn;
  };
  const refill: Refill = async (room, now, batchKey) => {
    if (queue === null) {
      // Reminders are queued already claimed in the batch being filled: written once.
      const r = await claimAndQueueReminders(db, d1, config, now, room, batchKey);
      addReminders(reminders, r.summary);
      if (r.summary.claimed > 0) return { rows: r.claimed, queued: 0, more: true };
    }
    const d = await dueDigests(room, now);
    digests.looked += d.summary.looked;
    digests.queued += d.summary.queued;
    digests.skippedInactive += d.summary.skippedInactive;
    digests.skippedPaused += d.summary.skippedPaused;
    return { rows: [], queued: d.summary.queued, more: d.summary.looked > 0 };
  };
  const { deliveries, stopped } = await sendLoop(
    db,
    deps.mailer,
    clock,
    {
      sendRate: config.sendRate,
      budgetMs: deps.budgetMs ?? RUN_BUDGET_MS,
      maxPerRun: config.maxPerRun,
    },
    refill,
  );
  return {
    now: new Date(scheduledTime).toISOString(),
    mode: queue === null ? "loop" : "queue",
    retention,
    leasesCleared,
    reminders,
    enqueued,
    digests,
    deliveries,
    stopped,
  };
}

/** What the mail API carries in a minute (or MAX_PER_RUN): the most one run enqueues. */
function minuteOfSending(config: Config): number {
  const minute = Math.floor(config.sendRate * 60) * MAX_BATCH;
  return config.maxPerRun === null ? minute : Math.min(minute, config.maxPerRun);
}

/**
 * Claims due threads, oldest first, and hands them to the queue in messages of 100. A
 * thread stays claimed for 15 minutes: if its message is lost, the lease lapses and a later
 * run claims and enqueues it again (the consumer acts only under the current lease).
 */
async function enqueueDueReminders(
  d1: D1Database,
  queue: Queue<ReminderMessage>,
  now: number,
  max: number,
): Promise<number> {
  let enqueued = 0;
  while (enqueued < max) {
    const { threads, lease } = await claimDueThreads(
      d1,
      now,
      Math.min(MAX_BATCH, max - enqueued),
      QUEUED_LEASE_MS,
    );
    if (threads.length === 0) break;
    await queue.sendBatch(threads.map((t) => ({ body: { threadId: t.id, lease, at: now } })));
    enqueued += threads.length;
  }
  return enqueued;
}
